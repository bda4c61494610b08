"""Timestamps read with psycopg's C loader (``apps.core.dbloaders``) are the datetimes Django's own loader
answers: same instants, same ``tzinfo`` (UTC), same errors; on PostgreSQL only."""

import datetime

import pytest
from django.db import DataError, connection, transaction
from django.db.backends.postgresql.psycopg_any import BaseTzLoader

from apps.core.dbloaders import UtcTimestamptzLoader

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's loaders")

VALUES = [
    "2026-12-03 08:51:34.124931+00",
    "2020-01-01 10:00:00.5+02",
    "1999-12-31 23:59:59-05:30",
    "0001-01-01 00:00:00+00",
    "9999-12-31 23:59:59.999999+00",
]


def _read(sql: str, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def test_a_connection_in_utc_reads_timestamps_with_the_c_loader(db):
    connection.ensure_connection()
    loader = connection.connection.adapters.get_loader(1184, 0)  # timestamptz, text
    assert loader is UtcTimestamptzLoader
    # Django's cursor keeps it: it registers its own again only when the time zones differ.
    with connection.cursor() as cursor:
        assert cursor.cursor.adapters.get_loader(1184, 0) is UtcTimestamptzLoader


@pytest.mark.parametrize("value", VALUES)
def test_the_c_loader_answers_what_djangos_loader_answers(db, value):
    ((read,),) = _read("SELECT %s::timestamptz", [value])

    class DjangoLoader(BaseTzLoader):
        timezone = datetime.UTC

    with connection.cursor() as cursor:
        cursor.execute("SELECT %s::timestamptz::text", [value])
        (text,) = cursor.fetchone()
    expected = DjangoLoader(1184, connection.connection).load(text.encode())
    assert read == expected
    assert read.tzinfo is datetime.UTC and expected.tzinfo is datetime.UTC
    assert read.isoformat() == expected.isoformat()


def test_infinity_is_refused_as_before(db):
    with pytest.raises(DataError), transaction.atomic():
        _read("SELECT 'infinity'::timestamptz")
