"""PostgreSQL only: trigram indexes (pg_trgm) for the Users page search, ``UPPER(column) LIKE '%TERM%'`` as
Django writes ``icontains``, so that a selective term is found through the index instead of a scan of every
subscriber of the customer (``selectors.subscribers._search``). Other databases keep the plain search. The
extension needs a role allowed to create it (the database owner on PostgreSQL 13+, pg_trgm being trusted)."""

from django.db import migrations

from apps.core.migration_ops import index_create_concurrently, index_drop_concurrently

COLUMNS = ("email", "first_name", "last_name")


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for column in COLUMNS:
        index_create_concurrently(
            schema_editor,
            f"subscriber_{column}_trgm",
            f"subscribers_subscriber USING gin (UPPER({column}::text) gin_trgm_ops)",
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in COLUMNS:
        index_drop_concurrently(schema_editor, f"subscriber_{column}_trgm")


class Migration(migrations.Migration):
    atomic = False  # the indexes are built CONCURRENTLY: writes go on meanwhile (apps.core.migration_ops)

    dependencies = [("subscribers", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
