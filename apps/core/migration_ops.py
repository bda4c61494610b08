"""Index builds that do not hold writes while they run, for the migrations that index tables an install may
already have filled (the audit log, the subscribers): on PostgreSQL a plain ``CREATE INDEX`` blocks every
INSERT, UPDATE and DELETE on its table until it ends (seconds to minutes at a few hundred thousand rows), so
an upgrade builds them ``CONCURRENTLY``; a migration using these says ``atomic = False`` (a concurrent build
cannot run in a transaction). Other databases build them as before."""

from django.contrib.postgres.operations import AddIndexConcurrently
from django.db.migrations.operations import AddIndex


def index_create_concurrently(schema_editor, name: str, definition: str) -> None:
    """``CREATE INDEX CONCURRENTLY name ON definition`` (PostgreSQL). An index an interrupted build left
    invalid is dropped and built again, where ``IF NOT EXISTS`` alone would keep it (and never use it)."""
    if not schema_editor.collect_sql:
        with schema_editor.connection.cursor() as cursor:
            cursor.execute("SELECT NOT indisvalid FROM pg_index WHERE indexrelid = to_regclass(%s)", [name])
            invalid = cursor.fetchone()
        if invalid and invalid[0]:
            schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {name}")
    schema_editor.execute(f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {name} ON {definition}")


def index_drop_concurrently(schema_editor, name: str) -> None:
    schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {name}")


class AddIndexWithoutHoldingWrites(AddIndexConcurrently):
    """``AddIndex`` built ``CONCURRENTLY`` on PostgreSQL (in a migration with ``atomic = False``), and as a
    plain ``AddIndex`` elsewhere (SQLite, the default database, has no such build and needs none)."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            return super().database_forwards(app_label, schema_editor, from_state, to_state)
        return AddIndex.database_forwards(self, app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            return super().database_backwards(app_label, schema_editor, from_state, to_state)
        return AddIndex.database_backwards(self, app_label, schema_editor, from_state, to_state)
