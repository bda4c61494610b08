"""Timestamps read from PostgreSQL at C speed.

Django reads every ``timestamptz`` through its own loader, a subclass of psycopg's pure-Python one (a regular
expression, ``int()`` per part, a ``timedelta``, then ``replace(tzinfo=...)``): about 4 µs a value, 1.6 ms for
a page of 100 subscribers (two timestamps a row), more than building their bodies. psycopg's C loader reads
the same text in a tenth of that and answers the same aware datetime, in the session's time zone, when that
zone is UTC, which Django sets on every connection with ``USE_TZ`` (the database's ``TIME_ZONE`` unset). So on
such a connection, and only then, the C loader takes the place of Django's; anywhere else (another zone,
psycopg without its C extension, another database) Django's stays."""

import datetime

from django.db.backends.signals import connection_created

UTC_NAMES = ("UTC", "Etc/UTC")


def _c_loader():
    """psycopg's C ``TimestamptzLoader``, or None without the C extension."""
    try:
        from psycopg import _cmodule
        from psycopg.adapt import Loader
    except ImportError:  # psycopg 2, or no PostgreSQL driver
        return None, None
    module = getattr(_cmodule, "_psycopg", None)
    return getattr(module, "TimestamptzLoader", None), Loader


_CLoader, _Loader = _c_loader()

if _CLoader is not None:

    class UtcTimestamptzLoader(_Loader):
        """psycopg's C loader behind a Python class (the C one is final): ``load`` is the C loader's own
        bound method, so psycopg calls C per value; ``timezone`` is what Django's cursor compares with its
        connection's before it would register its own loader again on each cursor."""

        timezone = datetime.UTC

        def __init__(self, oid, context=None):
            super().__init__(oid, context)
            self._c = _CLoader(oid, context)
            self.load = self._c.load  # shadows the method below: psycopg finds C directly

        def load(self, data):
            return self._c.load(data)

else:  # pragma: no cover - psycopg without its C extension
    UtcTimestamptzLoader = None


def use_c_timestamp_loader(sender, connection, **kwargs) -> None:
    """``connection_created``: on a PostgreSQL connection in UTC, read timestamps with the C loader."""
    if UtcTimestamptzLoader is None or connection.vendor != "postgresql":
        return
    raw = connection.connection
    adapters = getattr(raw, "adapters", None)  # psycopg 3 only
    if adapters is None or connection.timezone is not datetime.UTC:
        return
    if raw.info.parameter_status("TimeZone") not in UTC_NAMES:
        return
    adapters.register_loader("timestamptz", UtcTimestamptzLoader)


def connect() -> None:
    connection_created.connect(use_c_timestamp_loader, dispatch_uid="core.dbloaders.c_timestamps")
