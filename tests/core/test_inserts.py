"""``core.inserts.Inserts``: new rows written with Django's INSERT compiled once per model hold exactly what
``Model.save()`` and ``bulk_create`` write (defaults, ``auto_now`` fields, JSON and NULLs included), leave the
instances as ``save()`` leaves them, go to PostgreSQL in one statement, and name the model of a row the
database refuses, keeping nothing of the write."""

import uuid
from datetime import UTC, datetime

import pytest
from django.contrib.auth.models import Permission
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from apps.accounts.models import User
from apps.core.inserts import InsertRefused, Inserts
from apps.core.models import AuditEvent
from apps.locations.models import Extension
from apps.subscribers.models import PackageAssignment, Subscriber, SubscriberStatus

NOW = datetime(2026, 3, 4, 5, 6, 7, 891011, tzinfo=UTC)


@pytest.fixture
def frozen(monkeypatch):
    """``auto_now`` and ``auto_now_add`` read this instant, whoever writes the row."""
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW)


def _row(instance) -> tuple:
    """The row of ``instance`` as the database holds it (no field converter in between)."""
    meta = type(instance)._meta
    columns = ", ".join(connection.ops.quote_name(f.column) for f in meta.local_concrete_fields)
    table, pk = connection.ops.quote_name(meta.db_table), connection.ops.quote_name(meta.pk.column)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {columns} FROM {table} WHERE {pk} = %s",  # noqa: S608 (the model's own names)
            [meta.pk.get_db_prep_value(instance.pk, connection)],
        )
        return cursor.fetchone()


def _fields(instance) -> dict:
    return {f.attname: getattr(instance, f.attname) for f in type(instance)._meta.concrete_fields}


def _rows(world) -> list:
    """Makers of new rows of the models a subscriber's add writes, each with a fixed primary key: a
    default left to the model, JSON (a list, a dict, None), NULL foreign keys, instants."""
    blue = world.blue_harbor
    person = User.objects.create(email="inserts@blueharbor.test", org=blue.org)
    subscriber_id, location = uuid.uuid4(), blue.org.locations.first()
    return [
        lambda: User(
            id=uuid.UUID(int=1), email="row@blueharbor.test", first_name="Ada", org=blue.org, date_joined=NOW
        ),
        lambda: Subscriber(
            id=subscriber_id,
            customer=blue,
            user=person,
            email=person.email,
            first_name="Ada",
            package="webex_suite",
            status_changed=NOW,
            location=location,
        ),
        lambda: Subscriber(
            id=uuid.UUID(int=2),
            customer=blue,
            email="pending@blueharbor.test",
            package="webex_meetings",
            status=SubscriberStatus.PENDING_USER_MIGRATION,
            consent_sent=NOW,
            from_free_account=True,
            errors=[{"code": 1}],
        ),
        lambda: Extension(id=uuid.UUID(int=3), org=blue.org, extension="9876", subscriber_id=None),
        lambda: PackageAssignment(
            id=uuid.UUID(int=4),
            subscriber_uuid=subscriber_id,
            subscriber_email="x@blueharbor.test",
            customer_uuid=blue.pk,
            org_uuid=blue.org_id,
            partner_uuid=blue.org.parent_id,
            package="webex_suite",
            started_at=NOW,
        ),
        lambda: AuditEvent(
            id=uuid.UUID(int=5),
            actor=world.acme_admin,
            actor_email=world.acme_admin.email,
            action="subscriber.create",
            target_type="subscribers.subscriber",
            target_id="x",
            before=None,
            after={"email": "x@blueharbor.test", "extensions": ["1"], "location": None},
            channel="api",
        ),
    ]


def _written_by(write, make) -> tuple[tuple, dict]:
    """The row ``write`` stores for a new instance from ``make``, and the instance's fields after it; the
    row is rolled back."""
    with transaction.atomic():
        instance = make()
        write(instance)
        assert instance._state.adding is False
        assert instance._state.db == "default"
        found = _row(instance), _fields(instance)
        transaction.set_rollback(True)
    return found


def _inserted(instance) -> None:
    inserts = Inserts()
    assert inserts.add(instance) is instance
    inserts.write()


@pytest.mark.parametrize("index", range(6))
def test_a_row_holds_what_save_and_bulk_create_write(world, frozen, index):
    make = _rows(world)[index]
    saved = _written_by(lambda instance: instance.save(force_insert=True), make)
    bulk = _written_by(lambda instance: type(instance).objects.bulk_create([instance]), make)
    mine = _written_by(_inserted, make)
    assert saved[0] is not None
    assert mine == saved
    assert mine == bulk


def test_auto_now_fields_take_the_instant_of_the_add(world):
    inserts = Inserts()
    subscriber = inserts.add(
        Subscriber(customer=world.blue_harbor, email="early@blueharbor.test", package="webex_meetings")
    )
    assert subscriber.created is not None and subscriber.modified is not None  # readable before write()
    inserts.write()
    stored = Subscriber.objects.get(pk=subscriber.pk)
    assert (stored.created, stored.modified) == (subscriber.created, subscriber.modified)


def test_the_rows_of_a_write_are_one_statement_on_postgresql(world):
    blue = world.blue_harbor
    inserts = Inserts()
    subscriber = inserts.add(Subscriber(customer=blue, email="one@blueharbor.test", package="webex_suite"))
    inserts.add(Extension(org=blue.org, extension="9871", subscriber=subscriber))
    inserts.add(Extension(org=blue.org, extension="9872", subscriber=subscriber))
    with CaptureQueriesContext(connection) as captured:
        inserts.write()
    assert len(captured) == (1 if connection.vendor == "postgresql" else 3)
    assert sorted(subscriber.extensions.values_list("extension", flat=True)) == ["9871", "9872"]
    with CaptureQueriesContext(connection) as captured:
        inserts.write()  # nothing added since
    assert not captured


def test_a_write_run_again_and_again_is_logged_as_written(world):
    """PostgreSQL: psycopg prepares the statement after a few runs (``prepare_threshold``); Django's query
    log still shows it."""
    blue = world.blue_harbor
    with CaptureQueriesContext(connection) as captured:
        for n in range(8):
            inserts = Inserts()
            subscriber = inserts.add(Subscriber(customer=blue, email=f"again{n}@b.test", package="x"))
            inserts.add(Extension(org=blue.org, extension=f"98{n:02d}", subscriber=subscriber))
            inserts.write()
    assert len(captured) == (8 if connection.vendor == "postgresql" else 16)
    assert all(query["sql"].startswith("WITH" if len(captured) == 8 else "INSERT") for query in captured)
    assert Extension.objects.filter(subscriber__email__startswith="again").count() == 8


def test_a_refused_row_names_its_model_and_nothing_of_the_write_is_kept(world):
    blue = world.blue_harbor
    Extension.objects.create(org=blue.org, extension="9870")
    inserts = Inserts()
    refused_row = Subscriber(customer=blue, email="refused@blueharbor.test", package="webex_suite")
    subscriber = inserts.add(refused_row)
    inserts.add(Extension(org=blue.org, extension="9870", subscriber=subscriber))  # taken
    with pytest.raises(InsertRefused) as refused, transaction.atomic():
        inserts.write()
    assert refused.value.model is Extension
    assert not Subscriber.objects.filter(email="refused@blueharbor.test").exists()
    assert subscriber._state.adding  # not saved


def test_what_it_does_not_write_is_refused(world):
    inserts = Inserts()
    with pytest.raises(ValueError, match="new rows"):
        inserts.add(world.blue_harbor)  # saved already
    with pytest.raises(TypeError, match="returned"):
        inserts.add(Permission(pk=10**6, name="x", codename="x", content_type_id=1))  # a sequence's id
