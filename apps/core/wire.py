"""The values the API's bodies write most often, opaque ids and instants, as Python writes them and, for the
rows of a list, as PostgreSQL can write them in the page's own query (``OpaqueId`` and ``WebexTime``, for
``.values()``): a page of 100 subscribers encoded 200 ids and formatted 200 instants in Python, most of what
building its bodies cost. Elsewhere (SQLite) the expressions are NULL and a body writes the value from the
row's own column (``wire_id``, ``wire_time``). ``tests/core/test_wire.py`` holds the two spellings
together."""

from collections.abc import Mapping
from datetime import UTC, datetime

from django.db.models import F, Func, TextField

from apps.core.ids import IdType, encode_id


def webex_time(value: datetime | None) -> str | None:
    """ISO-8601 in UTC with milliseconds and ``Z``, as Webex writes times."""
    if value is None:
        return None
    return value.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class _OnPostgreSQL(Func):
    """An expression PostgreSQL computes (``template``) and other databases answer as NULL."""

    output_field = TextField()

    def as_sql(self, compiler, connection, **extra_context):
        return "NULL", []

    def as_postgresql(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, **extra_context)


class OpaqueId(_OnPostgreSQL):
    """``encode_id(id_type, column)``: unpadded base64url of ``ciscospark://us/<TYPE>/<uuid>`` (NULL for a
    NULL column). The prefix is a constant of ``IdType`` (capitals and underscores), written in the SQL."""

    def __init__(self, id_type: IdType, column: str):
        prefix = f"ciscospark://us/{IdType(id_type).value}/"
        self.template = (
            f"TRANSLATE(RTRIM(REPLACE(ENCODE(CONVERT_TO('{prefix}' || (%(expressions)s)::text, 'UTF8'), "
            "'base64'), E'\\n', ''), '='), '+/', '-_')"
        )
        super().__init__(F(column))


class WebexTime(_OnPostgreSQL):
    """``webex_time(expression)``: the instant in UTC, milliseconds truncated, as ``webex_time`` writes it."""

    template = "TO_CHAR((%(expressions)s) AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')"


def wire_id(row: Mapping, wire: str, id_type: IdType, column: str) -> str:
    """The opaque id a row's ``wire`` expression read (``OpaqueId``), else encoded from its ``column``."""
    return row.get(wire) or encode_id(id_type, row[column])


def wire_time(row: Mapping, wire: str, value: datetime | None) -> str | None:
    """The instant a row's ``wire`` expression read (``WebexTime``), else ``webex_time(value)``."""
    return row.get(wire) or webex_time(value)
