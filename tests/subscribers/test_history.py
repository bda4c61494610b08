"""The package assignment history (issue 4, acceptance 6): every package a subscriber holds is an interval
that is opened, closed once and never rewritten, and that outlives its customer with snapshot ids so that
billing can still compute daily prorated usage."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.backends.postgresql.base import DatabaseWrapper as PostgreSQLWrapper
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.core.models import AuditEvent
from apps.customers.models import Customer
from apps.locations.models import Location
from apps.provisioning.services.provisioning import customer_remove_request
from apps.subscribers.models import PackageAssignment, Subscriber
from apps.subscribers.services.history import (
    _lock_query,
    assignment_change,
    assignment_close,
    assignment_open,
    assignments_close_for_customer,
)
from apps.subscribers.services.subscribers import subscriber_add


def intervals(subscriber_id) -> list[PackageAssignment]:
    return list(PackageAssignment.objects.filter(subscriber_uuid=subscriber_id).order_by("started_at", "id"))


@pytest.fixture
def tom(world) -> Subscriber:
    return Subscriber.objects.get(email="tom@blueharbor.test")


def test_every_subscriber_of_the_world_holds_one_open_interval_with_its_snapshot(world):
    blue = world.blue_harbor
    for subscriber in Subscriber.objects.select_related("customer__org"):
        (interval,) = intervals(subscriber.pk)
        assert interval.is_open and interval.package == subscriber.package
        assert interval.started_at == subscriber.created
        assert (interval.subscriber_id, interval.subscriber_email) == (subscriber.pk, subscriber.email)
        assert interval.customer_uuid == subscriber.customer_id
        assert interval.org_uuid == subscriber.customer.org_id
        assert interval.partner_uuid == subscriber.customer.org.parent_id
    # The first administrator (created by the provisioning task, not subscriber_add) holds the richest
    # package, a calling one, at the headquarters location.
    admin = Subscriber.objects.get(email="admin@blueharbor.test")
    (interval,) = intervals(admin.pk)
    headquarters = Location.objects.get(org=blue.org)
    assert interval.package == "webex_suite"
    assert (interval.location, interval.location_uuid) == (headquarters, headquarters.pk)
    assert (
        intervals(Subscriber.objects.get(email="maria@blueharbor.test").pk)[0].partner_uuid == world.acme.pk
    )


def test_change_closes_and_opens_at_the_same_instant_without_gap_or_overlap(world, tom):
    (first,) = intervals(tom.pk)
    t1 = first.started_at + timedelta(days=3, hours=5)
    t2 = t1 + timedelta(hours=7)
    location = Location.objects.get(org=world.blue_harbor.org)
    assignment_change(subscriber=tom, package="webex_suite", at=t1)
    assignment_change(subscriber=tom, package="webex_suite", location=location, at=t2)  # a move is a change
    rows = intervals(tom.pk)
    assert [(r.package, r.location_uuid) for r in rows] == [
        ("webex_calling", location.pk),  # calling subscribers start at the headquarters
        ("webex_suite", None),
        ("webex_suite", location.pk),
    ]
    assert [(r.started_at, r.ended_at) for r in rows] == [(first.started_at, t1), (t1, t2), (t2, None)]
    for previous, following in zip(rows, rows[1:], strict=False):
        assert previous.ended_at == following.started_at  # no gap, no overlap
    t3 = t2 + timedelta(days=1)
    closed = assignment_close(subscriber=tom, at=t3)
    assert closed.pk == rows[-1].pk and intervals(tom.pk)[-1].ended_at == t3


def test_the_services_are_idempotent(world, tom):
    (opened,) = intervals(tom.pk)
    at_hq = tom.location
    assert assignment_open(subscriber=tom, package="webex_calling", location=at_hq).pk == opened.pk
    assert assignment_change(subscriber=tom, package="webex_calling", location=at_hq).pk == opened.pk
    assert len(intervals(tom.pk)) == 1
    at = timezone.now()
    assignment_close(subscriber=tom, at=at)
    assert assignment_close(subscriber=tom, at=at + timedelta(hours=1)) is None
    assert intervals(tom.pk)[0].ended_at == at
    # With nothing open, a change simply opens.
    reopened = assignment_change(subscriber=tom, package="webex_voice", at=at + timedelta(hours=2))
    assert reopened.is_open and len(intervals(tom.pk)) == 2
    blue = world.blue_harbor
    assert assignments_close_for_customer(customer=blue, at=at + timedelta(hours=3)) == 3
    assert assignments_close_for_customer(customer=blue, at=at + timedelta(hours=4)) == 0


def test_one_open_interval_per_subscriber_service_and_constraint(world, tom):
    with pytest.raises(ValidationError) as refused:
        assignment_open(subscriber=tom, package="webex_suite")
    assert "package" in refused.value.message_dict
    (interval,) = intervals(tom.pk)
    duplicate = {
        field: getattr(interval, field)
        for field in ("subscriber_uuid", "subscriber_email", "customer_uuid", "org_uuid", "package")
    }
    with pytest.raises(IntegrityError), transaction.atomic():
        PackageAssignment.objects.create(subscriber=tom, started_at=timezone.now(), **duplicate)
    with pytest.raises(IntegrityError), transaction.atomic():
        PackageAssignment.objects.create(
            subscriber=tom,
            started_at=timezone.now(),
            ended_at=timezone.now() - timedelta(days=1),
            **duplicate,
        )
    assert intervals(tom.pk) == [interval]


def test_instants_that_would_overlap_or_run_backwards_are_refused(world, tom):
    (first,) = intervals(tom.pk)
    start = first.started_at
    with pytest.raises(ValidationError):
        assignment_close(subscriber=tom, at=start - timedelta(seconds=1))
    with pytest.raises(ValidationError):
        assignment_change(subscriber=tom, package="webex_suite", at=start - timedelta(seconds=1))
    with pytest.raises(ValidationError):
        assignment_close(subscriber=tom, at=start.replace(tzinfo=None))  # naive
    assignment_close(subscriber=tom, at=start + timedelta(days=1))
    with pytest.raises(ValidationError):  # would overlap the closed interval
        assignment_open(subscriber=tom, package="webex_suite", at=start + timedelta(hours=1))
    with pytest.raises(ValidationError):
        assignments_close_for_customer(customer=world.blue_harbor, at=start - timedelta(days=1))
    assert [(r.started_at, r.ended_at) for r in intervals(tom.pk)] == [(start, start + timedelta(days=1))]


def test_bad_package_or_foreign_location_is_refused_and_writes_nothing(world, tom):
    cedar_hq = Location.objects.get(org=world.cedar_pine.org)
    count = PackageAssignment.objects.count()
    with pytest.raises(ValidationError) as refused:
        assignment_change(subscriber=tom, package="webex_suite", location=cedar_hq)
    assert "location" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        assignment_change(subscriber=tom, package="no_such_package")
    assert "package" in refused.value.message_dict
    assert PackageAssignment.objects.count() == count and intervals(tom.pk)[0].is_open


def test_a_closed_interval_is_never_touched_again(world, tom):
    (first,) = intervals(tom.pk)
    t1 = first.started_at + timedelta(days=1)
    assignment_change(subscriber=tom, package="webex_suite", at=t1)
    closed = PackageAssignment.objects.get(pk=first.pk)
    frozen = {f.attname: getattr(closed, f.attname) for f in PackageAssignment._meta.concrete_fields}
    with CaptureQueriesContext(connection) as queries:
        assignment_change(subscriber=tom, package="webex_voice", at=t1 + timedelta(days=1))
        assignment_close(subscriber=tom, at=t1 + timedelta(days=2))
        assignment_close(subscriber=tom, at=t1 + timedelta(days=3))
        assignments_close_for_customer(customer=world.blue_harbor, at=t1 + timedelta(days=4))
    table = PackageAssignment._meta.db_table
    updates = [q["sql"] for q in queries.captured_queries if q["sql"].startswith(f'UPDATE "{table}"')]
    assert updates and all('"ended_at" IS NULL' in sql for sql in updates)  # only open rows are ever updated
    again = PackageAssignment.objects.get(pk=first.pk)
    assert {f.attname: getattr(again, f.attname) for f in PackageAssignment._meta.concrete_fields} == frozen
    again.ended_at = again.ended_at + timedelta(hours=1)
    with pytest.raises(ValueError):
        again.save()
    assert PackageAssignment.objects.get(pk=first.pk).ended_at == t1


def test_history_survives_the_customers_removal_with_its_snapshot_ids(world):
    blue = world.blue_harbor
    expected = {s.pk: (s.email, s.package) for s in Subscriber.objects.filter(customer=blue)}
    cedar_open = PackageAssignment.objects.filter(customer_uuid=world.cedar_pine.pk, ended_at__isnull=True)
    assert cedar_open.count() == 1
    with TestCase.captureOnCommitCallbacks(execute=True):
        customer_remove_request(actor=world.acme_admin, customer=blue)
    assert not Customer.objects.filter(pk=blue.pk).exists()
    rows = list(PackageAssignment.objects.filter(customer_uuid=blue.pk))
    assert {r.subscriber_uuid: (r.subscriber_email, r.package) for r in rows} == expected
    assert len(rows) == len(expected) == 3
    for row in rows:
        assert row.subscriber_id is None  # the subscriber is gone, its id and e-mail stay
        assert (row.org_uuid, row.partner_uuid) == (blue.org_id, world.acme.pk)
        assert row.ended_at is not None and row.ended_at >= row.started_at
    assert len({r.ended_at for r in rows}) == 1  # all closed at the removal's instant
    event = AuditEvent.objects.get(action="customer.removed")
    assert event.after == {"assignments_closed": 3}
    assert cedar_open.count() == 1  # another customer's history is untouched


def test_new_subscribers_open_their_interval_in_the_same_write(world):
    blue = world.blue_harbor
    ana = subscriber_add(
        actor=world.acme_admin,
        customer=blue,
        email="ana@blueharbor.test",
        package="webex_calling",
        extension="3001",
    )
    (interval,) = intervals(ana.pk)
    assert interval.started_at == ana.created and interval.is_open and interval.subscriber == ana
    with pytest.raises(ValidationError):
        subscriber_add(
            actor=world.acme_admin, customer=blue, email="ana@blueharbor.test", package="webex_suite"
        )
    assert len(intervals(ana.pk)) == 1  # the refused add wrote no interval


def test_the_subscriber_lock_is_postgresql_safe():
    """PostgreSQL refuses FOR UPDATE on the nullable side of an outer join: the lock names its own table
    and joins only through non-null foreign keys."""
    postgresql = PostgreSQLWrapper(
        {**connection.settings_dict, "ENGINE": "django.db.backends.postgresql", "NAME": "x", "OPTIONS": {}},
        alias="postgresql-compile-only",
    )
    postgresql.get_autocommit = lambda: False  # compile as if inside a transaction; never connects
    sql, _ = (
        _lock_query("00000000-0000-0000-0000-000000000000").query.get_compiler(connection=postgresql).as_sql()
    )
    assert sql.endswith('FOR UPDATE OF "subscribers_subscriber"')
    assert "OUTER JOIN" not in sql
