"""Statements PostgreSQL parses and plans once per connection: SQL the code runs again and again with other
values and whose plan cannot depend on them (``core.inserts``' writes, ``core.compiled``'s lookups by key:
never a list, whose plan PostgreSQL would then make once for any values), sent as written through a psycopg
cursor whose values the server binds, so that psycopg prepares the statement once it ran
``prepare_threshold`` times on the connection (the database option; ``config.settings``: 5,
``DATABASE_PREPARE_THRESHOLD``). Django's own queries bind their values in the client and are never prepared
(Django lists a known failure of server-side binding with parameters in a SELECT and its GROUP BY, #34255:
only SQL these modules compiled comes here)."""

import itertools
import re

import psycopg
from django.db.backends.utils import CursorDebugWrapper, CursorWrapper

_PLACEHOLDER = re.compile(r"%[s%]")


def numbered(sql: str) -> str:
    """Django's SQL with its placeholders numbered ($1, $2, ...) as PostgreSQL reads them (``%%``: ``%``)."""
    numbers = itertools.count(1)
    return _PLACEHOLDER.sub(lambda m: "%" if m[0] == "%%" else f"${next(numbers)}", sql)


def prepared_cursor(connection) -> CursorWrapper:
    """Django's cursor (its error wrapping, its query log) over a psycopg cursor that sends the SQL as it is
    written (``numbered``), its values bound by the server: psycopg does not parse a long statement of many
    values again at every run (it caches its parsing only up to 4,096 characters and 50 values), and it
    prepares the statement after ``prepare_threshold`` runs, so that PostgreSQL stops parsing and planning it
    too."""
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    connection.validate_thread_sharing()
    with connection.wrap_database_errors:
        cursor = psycopg.RawCursor(connection.connection)
    return (
        _LoggedAsWritten(cursor, connection) if connection.queries_logged else connection.make_cursor(cursor)
    )


class _LoggedAsWritten(CursorDebugWrapper):
    """Django's cursor that logs queries (DEBUG, a test counting them), logging the statement with its values
    in their places as Django's own cursor logs one: Django reads the SQL it logs back from psycopg's cursor,
    which keeps none for a prepared statement."""

    def debug_sql(self, sql=None, params=None, use_last_executed_query=False, many=False):
        if params and not many and len(_NUMBER.findall(sql)) == len(params):
            # $1, $2, ... back to Django's placeholders (a % of the SQL doubled), composed by the backend.
            sql = self.db.ops.compose_sql(_NUMBER.sub("%s", sql.replace("%", "%%")), params)
        return super().debug_sql(sql, params, use_last_executed_query=False, many=many)


_NUMBER = re.compile(r"\$\d+")
