"""JSON columns of API list rows, read as text; a page's related rows as JSON; a page's ids as one parameter.

A list of 100 customers has 500 JSON columns (the customer's errors, each package's warnings and errors),
nearly all ``[]``; through ``JSONField`` each is decoded by Django's converters, the largest single cost of
building a page. Read as text (``json_text``) they cost nothing until one holds something, and ``json_list``
decodes only those."""

import json
import uuid
from collections.abc import Iterable
from operator import itemgetter

from django.db import NotSupportedError
from django.db.models import Aggregate, BooleanField, F, TextField
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast

_EMPTY = (None, "", "[]", "null")


def json_text(name: str) -> Cast:
    """The JSON column ``name`` as its text (an annotation for ``.values()``)."""
    return Cast(name, output_field=TextField())


def json_list(value) -> list:
    """A JSON list from ``json_text`` (or already decoded, from a model instance)."""
    if isinstance(value, list):
        return value
    if value in _EMPTY:
        return []
    return json.loads(value)


class JSONRows(Aggregate):
    """The aggregated rows of a group as one JSON text, ``[[column, ...], ...]`` ordered by the first column
    (an annotation for ``.values(<group>).annotate(...)``); ``json_columns`` name the JSON columns among
    them, embedded as JSON (not as strings). Decoded with one ``json.loads`` (C) per group, it replaces a row
    dict per aggregated row: a page of 100 customers reads 100 rows instead of their 400 packages.

    PostgreSQL orders inside the aggregate (the database's collation, as an ORDER BY would); SQLite before
    3.44 cannot, so ``json_rows`` sorts those (SQLite compares text bytewise, as Python does)."""

    function = "JSON_AGG"
    output_field = TextField()

    def __init__(self, *columns: str, json_columns: tuple[str, ...] = ()):
        self.json_columns = json_columns
        self.column_names = columns
        super().__init__(*(F(name) for name in columns))

    def _columns(self, compiler, connection, wrap_json: str) -> tuple[list[str], list]:
        sqls, params = [], []
        columns = self.get_source_expressions()[: len(self.column_names)]  # then Aggregate's filter
        for name, expression in zip(self.column_names, columns, strict=True):
            sql, more = compiler.compile(expression)
            sqls.append(wrap_json % sql if name in self.json_columns else sql)
            params.extend(more)
        return sqls, params

    def as_sql(self, compiler, connection, **extra_context):
        raise NotSupportedError("JSONRows is implemented for PostgreSQL and SQLite.")

    def as_postgresql(self, compiler, connection, **extra_context):
        sqls, params = self._columns(compiler, connection, "%s")
        return f"JSON_AGG(JSON_BUILD_ARRAY({', '.join(sqls)}) ORDER BY {sqls[0]})::text", params

    def as_sqlite(self, compiler, connection, **extra_context):
        sqls, params = self._columns(compiler, connection, "JSON(%s)")
        return f"JSON_GROUP_ARRAY(JSON_ARRAY({', '.join(sqls)}))", params


def json_rows(value: str | None, *, sort: bool) -> list[list]:
    """The rows of a ``JSONRows`` text (``sort``: ordered here by their first column, for SQLite)."""
    rows = json.loads(value) if value else []
    if sort:
        rows.sort(key=itemgetter(0))
    return rows


def uuid_array(values: Iterable[uuid.UUID]) -> str:
    """A PostgreSQL ``uuid[]`` literal of these ids, one parameter (``= ANY(%s::uuid[])``) for a page's ids:
    Django prepares and psycopg quotes a parameter per id one by one (100 ids cost more than the rest of
    the query)."""
    return "{" + ",".join(str(value) for value in values) + "}"


def in_uuid_array(model, column: str, array: str) -> RawSQL:
    """The condition ``model.column IN (ids)`` with the ids as one ``uuid_array`` parameter: SQL that does not
    depend on their number, so a compiled list (``core.compiled``) compiles it once (PostgreSQL)."""
    sql = f'"{model._meta.db_table}"."{column}" = ANY(%s::uuid[])'
    return RawSQL(sql, (array,), BooleanField())  # noqa: S611 (table and column names of the models)
