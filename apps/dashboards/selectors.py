"""Trends of the overview pages, aggregated in SQL: one query per chart, whatever the number of customers or
subscribers. A trend is sampled at the end of each week over the last 90 days (and now), counting what
existed or was held at that moment: customers by their creation, packages by the assignment history
(``PackageAssignment``, the same truth billing reads)."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from apps.core.models import Organization
from apps.customers.models import AttachState, Customer, CustomerStatus
from apps.customers.selectors import customers_visible_to
from apps.subscribers.models import PackageAssignment

TREND_DAYS = 90
STEP_DAYS = 7
ATTENTION_LIMIT = 8
NEEDS_FIXING = (CustomerStatus.ERROR, CustomerStatus.PROVISIONED_WITH_ERRORS)
# Provisioning that waits for an attached organisation's administrator to approve the attach request: the
# status a person reads (``Customer.shown_status``), which the stored ``status`` (the API's) has no value for.
WAITING_FOR_APPROVAL = "pending_customer_approval"
_WAITING = Q(status=CustomerStatus.PROVISIONING, attach_state=AttachState.PENDING_APPROVAL)


def customer_status_tiles(*, actor, partner: Organization) -> list[tuple[str, str, int]]:
    """(label, key, count) of the partner's customers by the status people read, in one query: those waiting
    for their administrator's approval count under their own status, right after Provisioning, and not under
    Provisioning."""
    qs = customers_visible_to(actor=actor).filter(org__parent=partner)
    counts = qs.aggregate(
        **{f"n_{s}": Count("pk", filter=Q(status=s) & ~_WAITING) for s in CustomerStatus.values},
        waiting=Count("pk", filter=_WAITING),
    )
    tiles = []
    for status in CustomerStatus:
        tiles.append((status.label, status.value, counts[f"n_{status.value}"]))
        if status is CustomerStatus.PROVISIONING:
            tiles.append((_("Waiting for customer approval"), WAITING_FOR_APPROVAL, counts["waiting"]))
    return tiles


@dataclass(frozen=True)
class Trend:
    moments: list[datetime]
    series: dict[str, list[int]]  # name (a package code, or English marked for translation) → counts


def trend_moments(*, now: datetime | None = None) -> list[datetime]:
    now = now or timezone.now()
    start = now - timedelta(days=TREND_DAYS)
    moments = [start + timedelta(days=d) for d in range(0, TREND_DAYS, STEP_DAYS)]
    return [*moments, now]


def _held_at(moment: datetime) -> Q:
    return Q(started_at__lte=moment) & (Q(ended_at__isnull=True) | Q(ended_at__gt=moment))


def _counts_at(moments: list[datetime], held_at) -> dict[str, Count]:
    return {f"m{i}": Count("pk", filter=held_at(moment)) for i, moment in enumerate(moments)}


def _assignments(*, actor, org: Organization) -> QuerySet[PackageAssignment]:
    scope = Q(org=org) if org.is_customer else Q(org__parent=org)
    visible = customers_visible_to(actor=actor).filter(scope)
    return PackageAssignment.objects.filter(customer_uuid__in=visible.values("pk"))


def customer_trend(*, actor, partner: Organization, now: datetime | None = None) -> Trend:
    """How many of the partner's customers existed at each moment (one query)."""
    moments = trend_moments(now=now)
    qs = customers_visible_to(actor=actor).filter(org__parent=partner)
    counts = qs.aggregate(**_counts_at(moments, lambda moment: Q(created__lte=moment)))
    return Trend(moments, {gettext_noop("Customers"): [counts[f"m{i}"] for i in range(len(moments))]})


def package_trend(*, actor, org: Organization, now: datetime | None = None) -> Trend:
    """How many subscribers and workspaces held each package at each moment, for a partner's customers or
    one customer organisation (one grouped query), and their total (the "Subscribers" line)."""
    moments = trend_moments(now=now)
    qs = _assignments(actor=actor, org=org)
    rows = qs.values("package").annotate(**_counts_at(moments, _held_at)).order_by("package")
    series = {row["package"]: [row[f"m{i}"] for i in range(len(moments))] for row in rows}
    series = {code: points for code, points in series.items() if any(points)}
    return Trend(moments, series)


@dataclass(frozen=True)
class Attention:
    errors: int
    screening: int
    approvals: int
    customers: list[Customer]

    @property
    def total(self) -> int:
        return self.errors + self.screening + self.approvals


def customers_needing_attention(*, actor, partner: Organization) -> Attention:
    """Customers that need someone: provisioning ended with errors, held by denied-party screening, or
    waiting for an attached organisation's administrator. Counted in one query; the first few listed."""
    qs = customers_visible_to(actor=actor).filter(org__parent=partner)
    errors = Q(status__in=NEEDS_FIXING)
    screening = Q(status=CustomerStatus.PENDING_RPL_REVIEW)
    approvals = _WAITING
    counts = qs.aggregate(
        errors=Count("pk", filter=errors),
        screening=Count("pk", filter=screening),
        approvals=Count("pk", filter=approvals),
    )
    listed = list(
        qs.filter(errors | screening | approvals)
        .select_related("org")
        .order_by("-status_changed")[:ATTENTION_LIMIT]
    )
    return Attention(counts["errors"], counts["screening"], counts["approvals"], listed)
