"""Schema changes that do not hold writes while they run, for the migrations that change tables an install
may already have filled (the audit log, the subscribers, the customers): on PostgreSQL a plain
``CREATE INDEX`` blocks every INSERT, UPDATE and DELETE on its table until it ends (seconds to minutes at a
few hundred thousand rows), so an upgrade builds them ``CONCURRENTLY``; a migration using these says
``atomic = False`` (a concurrent build cannot run in a transaction). ``SET NOT NULL`` scans the whole table
under a lock that stops even its reads, so it is proved by a check constraint first. Other databases change
them as before."""

from django.contrib.postgres.operations import AddIndexConcurrently, RemoveIndexConcurrently
from django.db.migrations.operations import AddField, AddIndex, AlterField, RemoveIndex


def index_create_concurrently(schema_editor, name: str, definition: str) -> None:
    """``CREATE INDEX CONCURRENTLY name ON definition`` (PostgreSQL). An index an interrupted build left
    invalid is dropped and built again, where ``IF NOT EXISTS`` alone would keep it (and never use it)."""
    _drop_if_invalid(schema_editor, name)
    schema_editor.execute(f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {name} ON {definition}")


def _drop_if_invalid(schema_editor, name: str) -> None:
    """Drop the index ``name`` if an interrupted concurrent build left it invalid (PostgreSQL)."""
    if schema_editor.collect_sql:
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT NOT indisvalid FROM pg_index WHERE indexrelid = to_regclass(%s)", [name])
        invalid = cursor.fetchone()
    if invalid and invalid[0]:
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {schema_editor.quote_name(name)}")


def index_drop_concurrently(schema_editor, name: str) -> None:
    schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {name}")


class AddFieldAgain(AddField):
    """``AddField`` that keeps the column when it is there already. A migration with ``atomic = False`` is
    recorded only after its last operation: a run stopped after the column was added (while a table is
    filled, or an index is built concurrently) runs again from its first operation, and a plain ``AddField``
    stopped every later ``migrate`` at "column already exists"."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        model = to_state.apps.get_model(app_label, self.model_name)
        if not schema_editor.collect_sql and self.allow_migrate_model(schema_editor.connection.alias, model):
            column = model._meta.get_field(self.name).column
            introspection = schema_editor.connection.introspection
            with schema_editor.connection.cursor() as cursor:
                table = model._meta.db_table
                if table in introspection.table_names(cursor) and column in {
                    info.name for info in introspection.get_table_description(cursor, table)
                }:
                    return None
        return super().database_forwards(app_label, schema_editor, from_state, to_state)


class AddIndexWithoutHoldingWrites(AddIndexConcurrently):
    """``AddIndex`` built ``CONCURRENTLY`` on PostgreSQL (in a migration with ``atomic = False``), and as a
    plain ``AddIndex`` elsewhere (SQLite, the default database, has no such build and needs none). Run again
    after an interrupted run (the migration is not atomic, so it is not recorded), it builds again an index
    the failed build left invalid and keeps one a run stopped after the build left valid, where Django's
    ``CREATE INDEX CONCURRENTLY`` stopped every later ``migrate`` at "relation already exists"."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return AddIndex.database_forwards(self, app_label, schema_editor, from_state, to_state)
        self._ensure_not_in_transaction(schema_editor)
        model = to_state.apps.get_model(app_label, self.model_name)
        if not self.allow_migrate_model(schema_editor.connection.alias, model):
            return None
        _drop_if_invalid(schema_editor, self.index.name)
        sql = str(self.index.create_sql(model, schema_editor, concurrently=True))
        schema_editor.execute(sql.replace(" INDEX CONCURRENTLY ", " INDEX CONCURRENTLY IF NOT EXISTS ", 1))
        return None

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            return super().database_backwards(app_label, schema_editor, from_state, to_state)
        return AddIndex.database_backwards(self, app_label, schema_editor, from_state, to_state)


class RemoveIndexWithoutHoldingWrites(RemoveIndexConcurrently):
    """``RemoveIndex`` dropped ``CONCURRENTLY`` on PostgreSQL (in a migration with ``atomic = False``), and
    as a plain ``RemoveIndex`` elsewhere."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            return super().database_forwards(app_label, schema_editor, from_state, to_state)
        return RemoveIndex.database_forwards(self, app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            return super().database_backwards(app_label, schema_editor, from_state, to_state)
        return RemoveIndex.database_backwards(self, app_label, schema_editor, from_state, to_state)


class SetNotNullWithoutHoldingWrites(AlterField):
    """``AlterField`` that makes a nullable column NOT NULL, its rows without a value filled first by
    ``fill`` (SQL: an UPDATE of the rows whose column is NULL). On PostgreSQL, without holding writes (in a
    migration with ``atomic = False``): a ``CHECK (column IS NOT NULL) NOT VALID`` refuses new rows without a
    value at once (so the release before this one must already write the column: use it a release after the
    column's), the fill runs, ``VALIDATE`` scans the table while writes go on, and ``SET NOT NULL`` then takes
    the constraint as proof instead of scanning under its exclusive lock; the check is dropped. Elsewhere, the
    fill and the plain ``AlterField``. Backwards, the column takes NULL again."""

    def __init__(self, model_name, name, field, fill: str, preserve_default=True):
        self.fill = fill
        super().__init__(model_name, name, field, preserve_default)

    def deconstruct(self):
        name, args, kwargs = super().deconstruct()
        return name, args, {**kwargs, "fill": self.fill}

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        model = to_state.apps.get_model(app_label, self.model_name)
        table = schema_editor.quote_name(model._meta.db_table)
        column = schema_editor.quote_name(model._meta.get_field(self.name).column)
        if schema_editor.connection.vendor != "postgresql":
            schema_editor.execute(self.fill)
            return super().database_forwards(app_label, schema_editor, from_state, to_state)
        check = schema_editor.quote_name(f"{model._meta.db_table}_{self.name}_set")
        alter = f"ALTER TABLE {table}"
        schema_editor.execute(f"{alter} DROP CONSTRAINT IF EXISTS {check}")  # an interrupted run's
        schema_editor.execute(f"{alter} ADD CONSTRAINT {check} CHECK ({column} IS NOT NULL) NOT VALID")
        schema_editor.execute(self.fill)
        schema_editor.execute(f"{alter} VALIDATE CONSTRAINT {check}")
        schema_editor.execute(f"{alter} ALTER COLUMN {column} SET NOT NULL")
        schema_editor.execute(f"{alter} DROP CONSTRAINT {check}")

    def describe(self):
        return f"Fill {self.model_name}.{self.name} and make it NOT NULL without holding writes"
