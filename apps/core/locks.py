"""Locks the ORM does not spell: a shared row lock, and a lock held for the rest of a transaction by name.

Both are PostgreSQL's. The embedded default (SQLite) lets one transaction write at a time, so there the rows
are read plainly and the named lock is nothing."""

from django.core.exceptions import EmptyResultSet
from django.db import connections, transaction
from django.db.models import QuerySet


def share_locked_pks(queryset: QuerySet) -> list:
    """The primary keys of the queryset's rows, each locked ``FOR SHARE`` (its own table only) until the
    transaction ends: a writer that locks such a row ``FOR UPDATE`` (or updates it) waits for this
    transaction, and this one for it, while other transactions that share the row do not wait for each other.
    """
    connection = connections[queryset.db]
    if not connection.in_atomic_block:
        raise transaction.TransactionManagementError("share_locked_pks() holds its locks in a transaction.")
    pks = queryset.order_by().values_list("pk", flat=True)
    if connection.vendor != "postgresql":
        return list(pks)
    try:
        sql, params = pks.query.sql_with_params()
    except EmptyResultSet:  # .none(), or a filter that can match nothing
        return []
    table = connection.ops.quote_name(queryset.model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"{sql} FOR SHARE OF {table}", params)
        return [pk for (pk,) in cursor.fetchall()]


def named_lock(name: str, *, using: str = "default") -> None:
    """Wait for, then hold until the transaction ends, the lock called ``name`` (an advisory lock): the
    transactions that take the same name take turns from here on."""
    connection = connections[using]
    if not connection.in_atomic_block:
        raise transaction.TransactionManagementError("named_lock() holds its lock in a transaction.")
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", [name])
