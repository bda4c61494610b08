"""Writes of the package assignment history (``models.PackageAssignment``): open an interval when a
subscriber (or a workspace: ``workspace_assignment_*``) gets a package, close it when they lose it,
change = close and open at the same instant (no gap, no overlap).

These are building blocks of other writes, not writes of their own: they are called inside the caller's
transaction (``subscriber_add``, the provisioning task, a package change, ``customer_remove``) after that
caller's ``require()``, and they are audited only through the caller's ``audit_record`` — the interval is
part of the caller's write. They check no permission and record no audit entry themselves.

A stored interval is never rewritten: the only update is setting ``ended_at`` of an open one, once, with a
conditional ``UPDATE ... WHERE ended_at IS NULL``. Instants default to now; an explicit ``at`` may not lie
before the start of the interval it closes, nor before the end of the holder's last interval.

Locks: the holder's row (``select_for_update(of=("self",))``, no outer join, PostgreSQL-safe) serialises
concurrent opens and changes of one subscriber or workspace; the partial unique constraints back it.

Counts: every write here also adds a row to ``OpenAssignmentCount`` (the open intervals per customer, package
and kind of holder, which the overviews read) for what it opened and closed, in the same transaction: an
insert, never an update of a shared row, so that two writes to one customer do not wait for each other (a
subscriber's add joins it to its own chained insert: no round trip of its own).
``open_assignment_counts_fold`` (a periodic task) folds each number's rows into one;
``open_assignment_counts_rebuild`` counts a customer's again from its intervals, and
``open_assignment_counts_check`` (``manage.py check_assignment_counts``) finds those that differ.
"""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Count, F, Max, OuterRef, Q, Subquery, Sum
from django.utils import timezone

from apps.core.inserts import Inserts
from apps.core.locks import named_lock
from apps.core.models import Organization
from apps.customers.models import Customer
from apps.locations.models import Location
from apps.packages.constants import PackageCode
from apps.subscribers.models import (
    AssignmentHolder,
    OpenAssignmentCount,
    PackageAssignment,
    Subscriber,
    Workspace,
)
from apps.subscribers.services.holders import locked_customer


def _instant(at: datetime | None) -> datetime:
    if at is None:
        return timezone.now()
    if timezone.is_naive(at):
        raise ValidationError({"at": "An assignment instant needs a time zone."})
    return at


@dataclass(frozen=True)
class _Kind:
    """A kind of holder: its model, the interval's foreign key to it and the snapshot of its label."""

    model: type[models.Model]
    field: str  # "subscriber" | "workspace": the foreign key, and ``<field>_uuid`` its snapshot id
    label_field: str  # the snapshot column of its label
    label_attr: str  # the holder's attribute copied there


_SUBSCRIBER = _Kind(Subscriber, "subscriber", "subscriber_email", "email")
_WORKSPACE = _Kind(Workspace, "workspace", "workspace_name", "name")


def _kind_of(holder: models.Model) -> _Kind:
    return _WORKSPACE if isinstance(holder, Workspace) else _SUBSCRIBER


def _key(interval: PackageAssignment) -> tuple:
    """The count an interval is one of: (customer id, its partner's id, package, kind of holder)."""
    kind = AssignmentHolder.SUBSCRIBER if interval.subscriber_uuid else AssignmentHolder.WORKSPACE
    return (interval.customer_uuid, interval.partner_uuid, interval.package, str(kind))


def _count(
    opened: Iterable[PackageAssignment] = (),
    closed: Iterable[PackageAssignment] = (),
    inserts: Inserts | None = None,
) -> None:
    """Add to the open-assignment counts what ``opened`` and ``closed`` change (see "Counts" above), in one
    insert, or among the caller's ``inserts``."""
    deltas = Counter(_key(interval) for interval in opened)
    deltas.subtract(_key(interval) for interval in closed)
    rows = [
        OpenAssignmentCount(
            customer_id=customer_id, partner_uuid=partner_uuid, package=package, kind=kind, n=delta
        )
        for (customer_id, partner_uuid, package, kind), delta in deltas.items()
        if delta
    ]
    if inserts is not None:
        for row in rows:
            inserts.add(row)
    elif rows:
        OpenAssignmentCount.objects.bulk_create(rows)


@transaction.atomic
def open_assignment_counts_fold() -> int:
    """Fold the rows of each open-assignment count into one, their sum (none when it is 0); returns how many
    rows went. Only the rows of customers with a count to fold (written since the last fold) are read and
    locked, not every customer's: a customer's removal that clears its counts meanwhile is not undone; the
    writes, which only insert, never wait for it. Folds take turns."""
    named_lock("subscribers.open_assignment_counts_fold")
    # Rows a process older than the partner column wrote during a deploy: filed under their partner.
    parent = Customer.objects.filter(pk=OuterRef("customer_id")).values("org__parent_id")[:1]
    OpenAssignmentCount.objects.filter(partner_uuid__isnull=True).update(partner_uuid=Subquery(parent))
    ids: dict[tuple, list] = {}
    sums: Counter = Counter()
    to_fold = (
        OpenAssignmentCount.objects.values("customer_id", "partner_uuid", "package", "kind")
        .annotate(parts=Count("pk"), total=Sum("n"))
        .filter(Q(parts__gt=1) | Q(total=0))
        .values("customer_id")
    )
    rows = (
        OpenAssignmentCount.objects.select_for_update()
        .filter(customer_id__in=to_fold)
        .values_list("pk", "customer_id", "partner_uuid", "package", "kind", "n")
    )
    for pk, *key, n in rows.iterator(chunk_size=5000):
        ids.setdefault(tuple(key), []).append(pk)
        sums[tuple(key)] += n
    folded = [key for key, pks in ids.items() if len(pks) > 1 or sums[key] == 0]
    gone = [pk for key in folded for pk in ids[key]]
    for start in range(0, len(gone), 5000):
        OpenAssignmentCount.objects.filter(pk__in=gone[start : start + 5000]).delete()
    OpenAssignmentCount.objects.bulk_create(
        [
            OpenAssignmentCount(
                customer_id=key[0], partner_uuid=key[1], package=key[2], kind=key[3], n=sums[key]
            )
            for key in folded
            if sums[key]
        ],
        batch_size=5000,
    )
    return len(gone) - sum(1 for key in folded if sums[key])


def _open_intervals_counted(intervals: Q) -> Counter:
    """A live count of the open intervals that ``intervals`` selects, by (customer id, package, kind)."""
    rows = (
        PackageAssignment.objects.filter(intervals, ended_at__isnull=True)
        .values("customer_uuid", "package")
        .annotate(
            subscribers=Count("pk", filter=Q(subscriber_uuid__isnull=False)),
            workspaces=Count("pk", filter=Q(subscriber_uuid__isnull=True)),
        )
        .order_by()
    )
    counted: Counter = Counter()
    for row in rows:
        for kind, field in (
            (AssignmentHolder.SUBSCRIBER, "subscribers"),
            (AssignmentHolder.WORKSPACE, "workspaces"),
        ):
            if row[field]:
                counted[(row["customer_uuid"], row["package"], str(kind))] = row[field]
    return counted


def open_assignment_counts_rebuild(*, customer: Customer) -> None:
    """Count the customer's open intervals again, replacing its counts: for rows written around
    ``services.history`` (the benches' SQL seeding) and to repair counts found wrong. The customer's row is
    locked first: its writes, which share it, wait."""
    with transaction.atomic():
        locked_customer(customer)
        counted = _open_intervals_counted(Q(customer_uuid=customer.pk))
        partner_uuid = Organization.objects.values_list("parent_id", flat=True).get(pk=customer.org_id)
        OpenAssignmentCount.objects.select_for_update().filter(customer=customer).delete()
        OpenAssignmentCount.objects.bulk_create(
            [
                OpenAssignmentCount(
                    customer_id=customer_id, partner_uuid=partner_uuid, package=package, kind=kind, n=n
                )
                for (customer_id, package, kind), n in counted.items()
            ]
        )


def open_assignment_counts_check(*, repair: bool = False) -> list:
    """The ids of the customers whose kept counts differ from a live count of their open intervals (every
    row read: a management command's, not a page's); with ``repair``, their counts are counted again. A
    write under way may show as a difference: check again before repairing by hand."""
    kept: Counter = Counter()
    existing = Customer.objects.values("pk")
    rows = OpenAssignmentCount.objects.filter(customer__in=existing).values("customer_id", "package", "kind")
    for row in rows.annotate(total=Sum("n")).order_by():
        kept[(row["customer_id"], row["package"], row["kind"])] = row["total"]
    counted = _open_intervals_counted(Q(customer_uuid__in=existing))
    # A row kept under another partner than its customer's would be missed by that partner's sums. One kept
    # under none (an older process's, until the next fold files it) is read through its customer: not so.
    misfiled = (
        OpenAssignmentCount.objects.filter(customer__in=existing, partner_uuid__isnull=False)
        .exclude(partner_uuid=F("customer__org__parent_id"))
        .values_list("customer_id", flat=True)
    )
    wrong = sorted({key[0] for key in set(kept) | set(counted) if kept[key] != counted[key]} | set(misfiled))
    if repair:
        for customer in Customer.objects.filter(pk__in=wrong):
            open_assignment_counts_rebuild(customer=customer)
    return wrong


def _holder_lock_query(kind: _Kind, holder_id):
    """The holder row, locked (its own table only: PostgreSQL-safe), with its customer and organisation
    joined through non-null foreign keys."""
    return (
        kind.model.objects.select_for_update(of=("self",))
        .select_related("customer", "customer__org")
        .filter(pk=holder_id)
    )


def _lock_query(subscriber_id):
    """The subscriber row, locked (see ``_holder_lock_query``)."""
    return _holder_lock_query(_SUBSCRIBER, subscriber_id)


def _locked_holder(holder: models.Model) -> models.Model:
    return _holder_lock_query(_kind_of(holder), holder.pk).get()


def _open_interval(holder: models.Model) -> PackageAssignment | None:
    uuid_field = f"{_kind_of(holder).field}_uuid"
    return PackageAssignment.objects.filter(**{uuid_field: holder.pk}, ended_at__isnull=True).first()


# ``PackageCode.values`` builds its list anew at every read; a CSV import's chunk checks hundreds of rows.
_PACKAGE_CODES = frozenset(PackageCode.values)


def _check(holder: models.Model, package: str, location: Location | None) -> None:
    if package not in _PACKAGE_CODES:
        raise ValidationError({"package": f"“{str(package)[:40]}” is not a Wholesale package."})
    if location is not None and location.org_id != holder.customer.org_id:
        raise ValidationError({"location": "The location belongs to another organisation."})


def _same(interval: PackageAssignment, package: str, location: Location | None) -> bool:
    return interval.package == package and interval.location_uuid == (location.pk if location else None)


def _create(holder: models.Model, package: str, location: Location | None, at: datetime) -> PackageAssignment:
    kind = _kind_of(holder)
    uuid_field = f"{kind.field}_uuid"
    last_end = PackageAssignment.objects.filter(**{uuid_field: holder.pk}).aggregate(end=Max("ended_at"))[
        "end"
    ]
    if last_end is not None and at < last_end:
        raise ValidationError({"at": "An interval cannot start before the holder's previous one ended."})
    return _insert(holder, package, location, at)


def _insert(holder: models.Model, package: str, location: Location | None, at: datetime) -> PackageAssignment:
    interval = _interval(holder, package, location, at)
    interval.save(force_insert=True)
    return interval


def _interval(
    holder: models.Model, package: str, location: Location | None, at: datetime
) -> PackageAssignment:
    """The first interval of ``package`` for ``holder`` from ``at``, not saved yet."""
    kind = _kind_of(holder)
    uuid_field = f"{kind.field}_uuid"
    customer = holder.customer
    return PackageAssignment(
        **{kind.field: holder, uuid_field: holder.pk, kind.label_field: getattr(holder, kind.label_attr)},
        customer_uuid=customer.pk,
        org_uuid=customer.org_id,
        partner_uuid=customer.org.parent_id,
        package=package,
        location=location,
        location_uuid=location.pk if location else None,
        started_at=at,
    )


def _end(interval: PackageAssignment, at: datetime) -> bool:
    """Close the open ``interval`` at ``at``; whether it was still open (then it is counted closed)."""
    if at < interval.started_at:
        raise ValidationError({"at": "An interval cannot end before it started."})
    # The one update a stored interval ever gets, and only while it is open.
    ended = PackageAssignment.objects.filter(pk=interval.pk, ended_at__isnull=True).update(ended_at=at)
    interval.ended_at = at
    return bool(ended)


def _open(holder: models.Model, package: str, location: Location | None, at: datetime | None):
    at = _instant(at)
    holder = _locked_holder(holder)
    _check(holder, package, location)
    current = _open_interval(holder)
    if current is not None:
        if _same(current, package, location):
            return current
        label = getattr(holder, _kind_of(holder).label_attr)
        raise ValidationError(
            {"package": f"{label} already holds {current.package}: change it instead of opening."}
        )
    interval = _create(holder, package, location, at)
    _count(opened=[interval])
    return interval


def _close(holder: models.Model, at: datetime | None) -> PackageAssignment | None:
    at = _instant(at)
    holder = _locked_holder(holder)
    current = _open_interval(holder)
    if current is None:
        return None
    if _end(current, at):
        _count(closed=[current])
    return current


def _change(holder: models.Model, package: str, location: Location | None, at: datetime | None):
    at = _instant(at)
    holder = _locked_holder(holder)
    _check(holder, package, location)
    current = _open_interval(holder)
    if current is not None:
        if _same(current, package, location):
            return current
        closed = [current] if _end(current, at) else []
    else:
        closed = []
    interval = _create(holder, package, location, at)
    _count(opened=[interval], closed=closed)
    return interval


@transaction.atomic
def assignment_open(
    *, subscriber: Subscriber, package: str, location: Location | None = None, at: datetime | None = None
) -> PackageAssignment:
    """Start the interval of ``package`` for ``subscriber``. Idempotent: the same package (and location)
    already open returns that interval; another package open is refused (use ``assignment_change``)."""
    return _open(subscriber, package, location, at)


def assignment_first(
    *,
    subscriber: Subscriber,
    package: str,
    location: Location | None = None,
    at: datetime | None = None,
    inserts: Inserts | None = None,
) -> PackageAssignment:
    """The first interval of a subscriber created in the caller's transaction (``subscriber_add``): nothing
    can exist yet, so nothing is locked or looked up — the partial unique constraint still guards it.
    ``inserts``: the caller's rows to write (the new subscriber's), which the interval joins."""
    at = _instant(at)
    _check(subscriber, package, location)
    if inserts is not None:
        interval = inserts.add(_interval(subscriber, package, location, at))
    else:
        interval = _insert(subscriber, package, location, at)
    _count(opened=[interval], inserts=inserts)
    return interval


def assignments_first_batch(*, subscribers: list[Subscriber]) -> None:
    """``assignment_first`` for many subscribers created in the caller's transaction (a CSV import's chunk),
    each from its creation, in one insert."""
    intervals = []
    for subscriber in subscribers:
        _check(subscriber, subscriber.package, subscriber.location)
        at = _instant(subscriber.created)
        intervals.append(_interval(subscriber, subscriber.package, subscriber.location, at))
    PackageAssignment.objects.bulk_create(intervals)
    _count(opened=intervals)


@transaction.atomic
def assignment_close(*, subscriber: Subscriber, at: datetime | None = None) -> PackageAssignment | None:
    """End the subscriber's open interval at ``at``. Idempotent: nothing open returns ``None``."""
    return _close(subscriber, at)


@transaction.atomic
def assignment_change(
    *, subscriber: Subscriber, package: str, location: Location | None = None, at: datetime | None = None
) -> PackageAssignment:
    """Close the open interval and open one of ``package`` at the same instant. Idempotent: the same
    package and location already open returns it unchanged; nothing open just opens."""
    return _change(subscriber, package, location, at)


@transaction.atomic
def workspace_assignment_open(
    *, workspace: Workspace, package: str, location: Location | None = None, at: datetime | None = None
) -> PackageAssignment:
    """``assignment_open`` for a workspace (Common Area Calling): the same rules, keyed by the workspace."""
    return _open(workspace, package, location, at)


@transaction.atomic
def workspace_assignment_close(
    *, workspace: Workspace, at: datetime | None = None
) -> PackageAssignment | None:
    """``assignment_close`` for a workspace."""
    return _close(workspace, at)


@transaction.atomic
def workspace_assignment_change(
    *, workspace: Workspace, package: str, location: Location | None = None, at: datetime | None = None
) -> PackageAssignment:
    """``assignment_change`` for a workspace: a new package or location closes and opens at one instant."""
    return _change(workspace, package, location, at)


@transaction.atomic
def assignments_close_for_customer(*, customer: Customer, at: datetime | None = None) -> int:
    """End every open interval of the customer (before it is removed); returns how many were closed, and
    its counts are all 0. Idempotent: a second call closes nothing."""
    at = _instant(at)
    open_rows = PackageAssignment.objects.filter(customer_uuid=customer.pk, ended_at__isnull=True)
    if open_rows.filter(started_at__gt=at).exists():
        raise ValidationError({"at": "An interval cannot end before it started."})
    closed = open_rows.update(ended_at=at)
    # Nothing of the customer is open now: its counts go to 0 (the removal holds the customer's lock, which
    # its writes share: none is under way).
    OpenAssignmentCount.objects.filter(customer=customer).delete()
    return closed
