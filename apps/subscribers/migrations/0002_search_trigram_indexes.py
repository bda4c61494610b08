"""PostgreSQL only: trigram indexes (pg_trgm) for the Users page search, ``UPPER(column) LIKE '%TERM%'`` as
Django writes ``icontains``, so that a selective term is found through the index instead of a scan of every
subscriber of the customer (``selectors.subscribers._search``). Other databases keep the plain search. The
extension needs a role allowed to create it (the database owner on PostgreSQL 13+, pg_trgm being trusted)."""

from django.db import migrations

COLUMNS = ("email", "first_name", "last_name")


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for column in COLUMNS:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS subscriber_{column}_trgm ON subscribers_subscriber "
            f"USING gin (UPPER({column}::text) gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in COLUMNS:
        schema_editor.execute(f"DROP INDEX IF EXISTS subscriber_{column}_trgm")


class Migration(migrations.Migration):
    dependencies = [("subscribers", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
