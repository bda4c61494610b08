"""PostgreSQL only: a trigram index (pg_trgm) for the audit log's actor filter, ``UPPER(actor_email) LIKE
'%TERM%'`` as Django writes ``icontains``, so that a part of an address finds its events through the index
instead of a scan of the whole log (``core.selectors.audit_events_filter``). Other databases keep the plain
filter. The extension needs a role allowed to create it (the database owner on PostgreSQL 13+, pg_trgm being
trusted), as the subscribers' search indexes do."""

from django.db import migrations

from apps.core.migration_ops import index_create_concurrently, index_drop_concurrently


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    index_create_concurrently(
        schema_editor,
        "audit_actor_email_trgm",
        "core_auditevent USING gin (UPPER(actor_email::text) gin_trgm_ops)",
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    index_drop_concurrently(schema_editor, "audit_actor_email_trgm")


class Migration(migrations.Migration):
    atomic = False  # the indexes are built CONCURRENTLY: writes go on meanwhile (apps.core.migration_ops)

    dependencies = [("core", "0002_outbox")]

    operations = [migrations.RunPython(create, drop)]
