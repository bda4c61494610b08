"""Locks the ORM does not spell: a shared row lock, and a lock held for the rest of a transaction by name.

Both are PostgreSQL's. The embedded default (SQLite) lets one transaction write at a time, so there the rows
are read plainly and the named lock is nothing."""

from django.db import connections, transaction
from django.db.models import QuerySet


def share_locked_sql(sql: str, queryset: QuerySet) -> str:
    """A read of the queryset's rows (``sql``, compiled from it) that locks each ``FOR SHARE`` (its own table
    only) until the transaction ends: a writer that locks such a row ``FOR UPDATE`` (or updates it) waits for
    this transaction, and this one for it, while other transactions that share the row do not wait for each
    other. On PostgreSQL; elsewhere the read as it is. ``core.compiled.CompiledQuery.share_locked_pks`` runs
    it, compiled once."""
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return sql
    return f"{sql} FOR SHARE OF {connection.ops.quote_name(queryset.model._meta.db_table)}"


def require_transaction(connection, message: str) -> None:
    """A lock held until the transaction ends needs a transaction (autocommit would let it go at once)."""
    if not connection.in_atomic_block:
        raise transaction.TransactionManagementError(message)


def named_lock(name: str, *, using: str = "default") -> None:
    """Wait for, then hold until the transaction ends, the lock called ``name`` (an advisory lock): the
    transactions that take the same name take turns from here on."""
    connection = connections[using]
    require_transaction(connection, "named_lock() holds its lock in a transaction.")
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", [name])
