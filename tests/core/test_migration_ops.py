"""The migrations that index tables an install may already have filled (the audit log, the subscribers, the
customers) build their indexes without holding writes on PostgreSQL (``CREATE INDEX CONCURRENTLY``, outside a
transaction), and an index an interrupted build left invalid is built again; a column made NOT NULL is proved
so by a check validated while writes go on; on SQLite they change as before."""

import importlib

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from apps.core.migration_ops import index_create_concurrently

CONCURRENT = [
    ("core", "0003_audit_actor_email_trigram"),
    ("core", "0005_audit_created_covering_index"),
    ("subscribers", "0002_search_trigram_indexes"),
    ("customers", "0008_customer_status_idx"),
    ("customers", "0009_customer_partner"),
    ("subscribers", "0005_open_count_partner"),
    ("customers", "0010_customer_partner_required"),
]
postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL builds")


@pytest.mark.parametrize(("app", "name"), CONCURRENT)
def test_each_runs_outside_a_transaction(app, name):
    assert MigrationLoader(None, ignore_no_migrations=True).get_migration(app, name).atomic is False


def _sql_of(app: str, name: str) -> list[str]:
    loader = MigrationLoader(connection)
    migration = loader.get_migration(app, name)
    if migration.operations[0].reduces_to_sql:  # the covering index: Django writes its SQL
        state = loader.project_state((app, name), at_end=False)
        with connection.schema_editor(collect_sql=True, atomic=False) as editor:
            migration.apply(state, editor, collect_sql=True)
        return editor.collected_sql
    module = importlib.import_module(f"apps.{app}.migrations.{name}")
    with connection.schema_editor(collect_sql=True, atomic=False) as editor:
        module.create(None, editor)
    return editor.collected_sql


@postgresql_only
@pytest.mark.django_db(transaction=True)  # as the migration runs: outside a transaction
def test_on_postgresql_each_index_is_built_concurrently():
    for app, name in CONCURRENT:
        built = [sql for sql in _sql_of(app, name) if "CREATE INDEX" in sql]
        assert built and all("CREATE INDEX CONCURRENTLY" in sql for sql in built), (name, built)


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_an_index_left_invalid_is_built_again():
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE migration_ops_probe (n integer)")
        cursor.execute("INSERT INTO migration_ops_probe VALUES (1), (1)")
    try:
        # A unique build over duplicates fails and leaves the index invalid, as an interrupted build would.
        with pytest.raises(Exception), connection.cursor() as cursor:  # noqa: B017, PT011 (the driver's error)
            cursor.execute("CREATE UNIQUE INDEX CONCURRENTLY probe_n ON migration_ops_probe (n)")
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM migration_ops_probe")
        with connection.schema_editor(atomic=False) as editor:
            index_create_concurrently(editor, "probe_n", "migration_ops_probe (n)")
        with connection.cursor() as cursor:
            cursor.execute("SELECT indisvalid FROM pg_index WHERE indexrelid = to_regclass('probe_n')")
            assert cursor.fetchone() == (True,)
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE migration_ops_probe")


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_on_postgresql_the_customers_partner_is_required_without_holding_writes():
    """``SET NOT NULL`` alone scans the table under an exclusive lock: a check refusing new rows without a
    partner comes first, then the fill of those a process of the release before wrote, then its validation
    (writes go on), and ``SET NOT NULL`` takes the check as proof. The old status index is dropped
    concurrently."""
    sql = _sql_of("customers", "0010_customer_partner_required")
    steps = ["NOT VALID", 'SET "partner_uuid" = (SELECT', "VALIDATE CONSTRAINT", "SET NOT NULL"]
    at = [next(i for i, statement in enumerate(sql) if step in statement) for step in steps]
    assert at == sorted(at), sql
    assert any("DROP CONSTRAINT" in statement for statement in sql[at[-1] :]), sql
    assert any(statement.startswith("DROP INDEX CONCURRENTLY") for statement in sql), sql


def _customer_index_op(name: str):
    """The operation of customers/0010 that builds ``name``, with the project's states around it."""
    loader = MigrationLoader(connection)
    migration = loader.get_migration("customers", "0010_customer_partner_required")
    state = loader.project_state(("customers", "0010_customer_partner_required"), at_end=False)
    for op in migration.operations:
        after = state.clone()
        op.state_forwards("customers", after)
        if getattr(op, "index", None) is not None and op.index.name == name:
            return op, state, after
        state = after
    raise LookupError(name)


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_migrations_index_left_by_an_interrupted_run_is_built_again_on_the_next():
    """A concurrent build that fails (cancelled, a deadlock, the deploy's timeout) leaves its index behind,
    invalid, and the migration unrecorded: ``migrate`` run again must build it, not stop at "relation already
    exists" (the index of customers/0010, as left invalid, then as left built by a run stopped after it)."""
    op, before, after = _customer_index_op("customer_partner_walk")

    def valid() -> bool | None:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT indisvalid FROM pg_index WHERE indexrelid = to_regclass('customer_partner_walk')"
            )
            found = cursor.fetchone()
        return found[0] if found else None

    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE pg_index SET indisvalid = false "
                "WHERE indexrelid = to_regclass('customer_partner_walk')"
            )
        assert valid() is False
        with connection.schema_editor(atomic=False) as editor:
            op.database_forwards("customers", editor, before, after)
        assert valid() is True
        with connection.schema_editor(atomic=False) as editor:  # built, the run stopped before its record
            op.database_forwards("customers", editor, before, after)
        assert valid() is True
    finally:
        with connection.cursor() as cursor:
            cursor.execute("REINDEX INDEX customer_partner_walk")


@postgresql_only
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("app", "name"), [("customers", "0009_customer_partner"), ("subscribers", "0005_open_count_partner")]
)
def test_a_partner_column_migration_stopped_after_its_column_runs_again(app, name):
    """Not atomic (its index is built concurrently): a run stopped after the column was added (during the
    filling, or the index's build) is not recorded, so ``migrate`` runs it again from its first operation:
    the column already there is kept, not "column already exists" for every later ``migrate``. Here every
    operation has run and the migration runs again."""
    loader = MigrationLoader(connection)
    migration = loader.get_migration(app, name)
    state = loader.project_state((app, name), at_end=False)
    with connection.schema_editor(atomic=False) as editor:
        for op in migration.operations:
            after = state.clone()
            op.state_forwards(app, after)
            op.database_forwards(app, editor, state, after)
            state = after
