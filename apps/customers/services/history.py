"""Writes of the package assignment history (``history_models.PackageAssignment``): open an interval when a
subscriber gets a package, close it when they lose it, change = close and open at the same instant (no gap,
no overlap).

These are building blocks of other writes, not writes of their own: they are called inside the caller's
transaction (``subscriber_add``, the provisioning task, a package change, ``customer_remove``) after that
caller's ``require()``, and they are audited only through the caller's ``audit_record`` — the interval is
part of the caller's write. They check no permission and record no audit entry themselves.

A stored interval is never rewritten: the only update is setting ``ended_at`` of an open one, once, with a
conditional ``UPDATE ... WHERE ended_at IS NULL``. Instants default to now; an explicit ``at`` may not lie
before the start of the interval it closes, nor before the end of the holder's last interval.

Locks: the subscriber row (``select_for_update(of=("self",))``, no outer join, PostgreSQL-safe) serialises
concurrent opens and changes of one subscriber; the partial unique constraint backs it.
"""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from apps.customers.history_models import PackageAssignment
from apps.customers.models import Customer, Location, Subscriber
from apps.packages.constants import PackageCode


def _instant(at: datetime | None) -> datetime:
    if at is None:
        return timezone.now()
    if timezone.is_naive(at):
        raise ValidationError({"at": "An assignment instant needs a time zone."})
    return at


def _lock_query(subscriber_id):
    """The subscriber row, locked (its own table only: PostgreSQL-safe), with its customer and organisation
    joined through non-null foreign keys."""
    return (
        Subscriber.objects.select_for_update(of=("self",))
        .select_related("customer", "customer__org")
        .filter(pk=subscriber_id)
    )


def _locked_subscriber(subscriber: Subscriber) -> Subscriber:
    return _lock_query(subscriber.pk).get()


def _open_interval(subscriber: Subscriber) -> PackageAssignment | None:
    return PackageAssignment.objects.filter(subscriber_uuid=subscriber.pk, ended_at__isnull=True).first()


def _check(subscriber: Subscriber, package: str, location: Location | None) -> None:
    if package not in PackageCode.values:
        raise ValidationError({"package": f"“{str(package)[:40]}” is not a Wholesale package."})
    if location is not None and location.org_id != subscriber.customer.org_id:
        raise ValidationError({"location": "The location belongs to another organisation."})


def _same(interval: PackageAssignment, package: str, location: Location | None) -> bool:
    return interval.package == package and interval.location_uuid == (location.pk if location else None)


def _create(
    subscriber: Subscriber, package: str, location: Location | None, at: datetime
) -> PackageAssignment:
    last_end = PackageAssignment.objects.filter(subscriber_uuid=subscriber.pk).aggregate(end=Max("ended_at"))[
        "end"
    ]
    if last_end is not None and at < last_end:
        raise ValidationError({"at": "An interval cannot start before the holder's previous one ended."})
    customer = subscriber.customer
    return PackageAssignment.objects.create(
        subscriber=subscriber,
        subscriber_uuid=subscriber.pk,
        subscriber_email=subscriber.email,
        customer_uuid=customer.pk,
        org_uuid=customer.org_id,
        partner_uuid=customer.org.parent_id,
        package=package,
        location=location,
        location_uuid=location.pk if location else None,
        started_at=at,
    )


def _end(interval: PackageAssignment, at: datetime) -> PackageAssignment:
    if at < interval.started_at:
        raise ValidationError({"at": "An interval cannot end before it started."})
    # The one update a stored interval ever gets, and only while it is open.
    PackageAssignment.objects.filter(pk=interval.pk, ended_at__isnull=True).update(ended_at=at)
    interval.ended_at = at
    return interval


@transaction.atomic
def assignment_open(
    *, subscriber: Subscriber, package: str, location: Location | None = None, at: datetime | None = None
) -> PackageAssignment:
    """Start the interval of ``package`` for ``subscriber``. Idempotent: the same package (and location)
    already open returns that interval; another package open is refused (use ``assignment_change``)."""
    at = _instant(at)
    subscriber = _locked_subscriber(subscriber)
    _check(subscriber, package, location)
    current = _open_interval(subscriber)
    if current is not None:
        if _same(current, package, location):
            return current
        raise ValidationError(
            {"package": f"{subscriber.email} already holds {current.package}: change it instead of opening."}
        )
    return _create(subscriber, package, location, at)


@transaction.atomic
def assignment_close(*, subscriber: Subscriber, at: datetime | None = None) -> PackageAssignment | None:
    """End the subscriber's open interval at ``at``. Idempotent: nothing open returns ``None``."""
    at = _instant(at)
    subscriber = _locked_subscriber(subscriber)
    current = _open_interval(subscriber)
    return _end(current, at) if current is not None else None


@transaction.atomic
def assignment_change(
    *, subscriber: Subscriber, package: str, location: Location | None = None, at: datetime | None = None
) -> PackageAssignment:
    """Close the open interval and open one of ``package`` at the same instant. Idempotent: the same
    package and location already open returns it unchanged; nothing open just opens."""
    at = _instant(at)
    subscriber = _locked_subscriber(subscriber)
    _check(subscriber, package, location)
    current = _open_interval(subscriber)
    if current is not None:
        if _same(current, package, location):
            return current
        _end(current, at)
    return _create(subscriber, package, location, at)


@transaction.atomic
def assignments_close_for_customer(*, customer: Customer, at: datetime | None = None) -> int:
    """End every open interval of the customer (before it is removed); returns how many were closed.
    Idempotent: a second call closes nothing."""
    at = _instant(at)
    open_rows = PackageAssignment.objects.filter(customer_uuid=customer.pk, ended_at__isnull=True)
    if open_rows.filter(started_at__gt=at).exists():
        raise ValidationError({"at": "An interval cannot end before it started."})
    return open_rows.update(ended_at=at)
