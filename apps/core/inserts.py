"""New rows written as ``Model.save()`` writes them, with the SQL Django compiles once per model, and several
rows of a write sent to PostgreSQL in one statement.

A subscriber's add writes four rows after its person (the subscriber, its extension, its package interval,
its audit entry): through ``save()`` Django built and compiled an INSERT for each, every time (~0.3 ms of CPU
apiece), and each went to the database on a round trip of its own. ``Inserts`` keeps Django as the only
spelling of a table's columns: the INSERT is Django's own (``InsertQuery``), compiled once per model and
database; each row's values are what ``save()`` would send, worked out when the row is added, as ``save()``
works them out (``pre_save(add=True)``: ``auto_now``/``auto_now_add`` fields take the time of the add, then
``get_db_prep_save``), so that a caller can read them (``created``) before the rows are written. ``write()``
sends the rows: one statement on PostgreSQL (the INSERTs chained in a ``WITH``: one round trip, one plan),
one statement per row elsewhere (SQLite). After it, each instance is saved as ``save()`` leaves it.

What it writes: new rows of models whose primary key the code gives (a UUID default, not a sequence), with
no parent model, and nothing for the database to hand back (no ``db_default``, no generated or returned
column). No ``pre_save``/``post_save`` signal is sent (as with ``bulk_create``), and a model's own ``save()``
does not run. The rows' foreign keys are checked when the transaction commits (Django's constraints are
deferred), so a row may name another of the same ``write()`` in any order.

A row refused by the database (a unique index: an e-mail or an extension taken by a concurrent write) raises
``InsertRefused``, an ``IntegrityError`` that names the refused row's model; nothing of the ``write()`` is
kept (PostgreSQL: the statement is one; elsewhere: the caller's atomic block rolls back)."""

from dataclasses import dataclass
from typing import TypeVar

from django.db import IntegrityError, connections, router
from django.db.models import Field, Model
from django.db.models.fields import NOT_PROVIDED
from django.db.models.sql import InsertQuery

from apps.core.prepared import numbered, prepared_cursor

M = TypeVar("M", bound=Model)


class InsertRefused(IntegrityError):
    """The database refused a row of an ``Inserts.write()``: ``model`` is the refused row's model (None when
    the database did not say which table refused it)."""

    def __init__(self, message: str, *, model: type[Model] | None):
        super().__init__(message)
        self.model = model


@dataclass(frozen=True, eq=False)  # one per model and database: keyed by identity (hashing its fields costs)
class _Statement:
    sql: str  # INSERT INTO "table" ("a", "b") VALUES (%s, %s), as Django compiles it
    fields: tuple[Field, ...]


_STATEMENTS: dict[tuple[str, type[Model]], _Statement] = {}


def _statement(model: type[Model], alias: str, instance: Model) -> _Statement:
    """Django's INSERT of every concrete column of ``model``, compiled once per model and database."""
    key = (alias, model)
    statement = _STATEMENTS.get(key)
    if statement is None:
        meta = model._meta
        if meta.parents or meta.db_returning_fields or any(f.generated for f in meta.concrete_fields):
            raise TypeError(f"Inserts writes models without parents or columns returned: {meta.label}")
        fields = tuple(meta.local_concrete_fields)
        if any(f.db_default is not NOT_PROVIDED or hasattr(f, "get_placeholder") for f in fields):
            raise TypeError(f"Inserts writes columns of plain placeholders and no db_default: {meta.label}")
        query = InsertQuery(model)
        query.insert_values(fields, [instance], raw=True)  # raw: the shape only, no pre_save() side effect
        ((sql, params),) = query.get_compiler(using=alias).as_sql()
        if len(params) != len(fields):
            raise TypeError(f"Inserts compiled {len(params)} values for {len(fields)} columns: {meta.label}")
        statement = _STATEMENTS[key] = _Statement(sql=sql, fields=fields)
    return statement


_CHAINS: dict[tuple[str, tuple[_Statement, ...]], str] = {}


def _chained(alias: str, statements: tuple[_Statement, ...]) -> str:
    """One PostgreSQL statement of the INSERTs: all but the last as data-modifying WITH queries (each runs
    once), the placeholders numbered ($1, $2, ...) as PostgreSQL reads them. Built once per sequence."""
    key = (alias, statements)
    sql = _CHAINS.get(key)
    if sql is None:
        *first, last = statements
        chained = ", ".join(f"i{n} AS ({statement.sql})" for n, statement in enumerate(first))
        sql = f"WITH {chained} {last.sql}" if first else last.sql
        sql = _CHAINS[key] = numbered(sql)
    return sql


class Inserts:
    """New model instances, each added with ``add`` (its values worked out then, as ``save()`` would), all
    written with ``write``."""

    def __init__(self):
        self._rows: list[tuple[Model, _Statement, list]] = []
        self._alias: str | None = None

    def add(self, instance: M) -> M:
        """Take a new instance (``_state.adding``, its primary key set): its values as ``save()`` would
        write them now (``auto_now`` fields set on it). Returns the instance."""
        model = type(instance)
        if not instance._state.adding or instance.pk is None:
            raise ValueError(f"Inserts writes new rows whose primary key is given: {model._meta.label}")
        alias = router.db_for_write(model, instance=instance)
        if self._alias not in (None, alias):
            raise ValueError("Inserts writes the rows of one database at a time")
        self._alias = alias
        instance._prepare_related_fields_for_save(operation_name="save")
        connection = connections[alias]
        statement = _statement(model, alias, instance)
        values = []
        for field in statement.fields:
            value = field.pre_save(instance, add=True)
            if hasattr(value, "resolve_expression"):
                raise TypeError(f"Inserts writes values, not expressions: {model._meta.label}.{field.name}")
            values.append(field.get_db_prep_save(value, connection=connection))
        self._rows.append((instance, statement, values))
        return instance

    def write(self) -> None:
        """Send every row added; each instance is then saved (``_state``) as ``save()`` leaves it."""
        if not self._rows:
            return
        connection = connections[self._alias]
        if connection.vendor == "postgresql":
            sql = _chained(self._alias, tuple(statement for _, statement, _ in self._rows))
            with prepared_cursor(connection) as cursor:
                try:
                    cursor.execute(sql, [value for _, _, values in self._rows for value in values])
                except IntegrityError as exc:
                    raise InsertRefused(str(exc), model=self._refused_model(exc)) from exc
        else:
            with connection.cursor() as cursor:
                for instance, statement, values in self._rows:
                    try:
                        cursor.execute(statement.sql, values)
                    except IntegrityError as exc:
                        raise InsertRefused(str(exc), model=type(instance)) from exc
        for instance, _, _ in self._rows:
            instance._state.adding = False
            instance._state.db = self._alias
        self._rows = []

    def _refused_model(self, exc: IntegrityError) -> type[Model] | None:
        """The model of the table PostgreSQL names in its refusal."""
        diag = getattr(exc.__cause__, "diag", None)
        table = getattr(diag, "table_name", None)
        return next((type(i) for i, _, _ in self._rows if type(i)._meta.db_table == table), None)
