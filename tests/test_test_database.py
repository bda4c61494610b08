"""The test suite's PostgreSQL backend (config/test_postgresql): a flush deletes the rows, which is only safe
while every foreign key is checked at commit."""

import pytest
from django.core.management.color import no_style
from django.db import connection

postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="the PostgreSQL backend only")


@postgresql
def test_a_flush_deletes_the_rows_and_a_full_flush_still_truncates():
    tables = ["core_organization", "accounts_user"]
    assert connection.ops.sql_flush(no_style(), tables) == [
        'DELETE FROM "core_organization";',
        'DELETE FROM "accounts_user";',
    ]
    (truncate,) = connection.ops.sql_flush(no_style(), tables, reset_sequences=True)
    assert truncate.startswith("TRUNCATE") and "RESTART IDENTITY" in truncate


@postgresql
@pytest.mark.django_db
def test_every_foreign_key_is_checked_at_commit():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conrelid::regclass::text, conname FROM pg_constraint "
            "WHERE contype = 'f' AND NOT (condeferrable AND condeferred)"
        )
        immediate = cursor.fetchall()
        cursor.execute("SELECT count(*) FROM pg_constraint WHERE contype = 'f'")
        (foreign_keys,) = cursor.fetchone()
    assert foreign_keys > 50
    assert immediate == []


@postgresql
@pytest.mark.django_db(transaction=True)
def test_the_flush_after_a_committing_test_empties_a_world(world):
    """The world is built for this test on committed data; the next test (below) finds nothing of it."""
    assert world.acme_admin.pk


@postgresql
@pytest.mark.django_db(transaction=True)
def test_the_database_is_empty_after_the_flush():
    from apps.accounts.models import User
    from apps.core.models import Organization

    assert not User.objects.exists() and not Organization.objects.exists()
