"""PostgreSQL only: a trigram index (pg_trgm) for the searches by organisation name (the Partner Hub customers
and indirect providers pages, the operators' partners), ``UPPER(name) LIKE '%TERM%'`` as Django writes
``icontains``, so that a selective term is found through the index instead of a scan of every organisation.
Other databases keep the plain search. The extension needs a role allowed to create it (the database owner
on PostgreSQL 13+, pg_trgm being trusted), as for the audit log's and the Users page's."""

from django.db import migrations


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS organization_name_trgm ON core_organization "
        "USING gin (UPPER(name::text) gin_trgm_ops)"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS organization_name_trgm")


class Migration(migrations.Migration):
    dependencies = [("core", "0003_audit_actor_email_trigram")]

    operations = [migrations.RunPython(create, drop)]
