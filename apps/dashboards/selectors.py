"""What the overview pages count, in a fixed number of queries that read no row per subscriber: the partner's
customers in one aggregate pass (status tiles, needs-attention counts and the customers trend), licences in
use from the counts ``subscribers.services.history`` keeps, and the package trend's past weeks from the
billing day sums (``CustomerUsageDay``, ``PartnerUsageDay``, built daily from the assignment history).

A trend is sampled once a week over the last 90 days, and now: customers that existed at each moment (by
their creation), and packages in use — on each past point's UTC day as billing counts it (licence-days: a
licence held all day counts 1, half a day 0.5; the sum rounded), and held right now at the last point. A past
day the daily usage build has not completed (a fresh install, an outage) is no point (``None``), never a
wrong 0."""

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from itertools import accumulate

from django.db.models import (
    BooleanField,
    Case,
    Count,
    ExpressionWrapper,
    IntegerField,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from apps.accounts.selectors import (
    children_reach,
    children_reach_ids,
    reach_holds_every_customer,
    sees_all_customers_of,
)
from apps.billing.models import CustomerUsageDay, PartnerUsageDay, UsageRun, UsageRunStatus
from apps.core.compiled import CompiledQuery
from apps.core.models import Organization
from apps.customers.models import (
    AWAITING_ATTACH_APPROVAL,
    HELD_BY_SCREENING_STATUS,
    NEEDS_ATTENTION,
    PROVISIONING_FAILED_STATUSES,
    Customer,
    CustomerStatus,
)
from apps.customers.selectors import customers_in_reach, customers_of_partner_visible_to, customers_visible_to
from apps.packages.constants import PackageCode
from apps.subpartners.selectors import billing_start_date
from apps.subscribers.selectors.counts import licences_in_use

TREND_DAYS = 90
STEP_DAYS = 7
ATTENTION_LIMIT = 8
# Provisioning that waits for an attached organisation's administrator to approve the attach request: the
# status a person reads (``Customer.shown_status``), which the stored ``status`` (the API's) has no value for.
WAITING_FOR_APPROVAL = "pending_customer_approval"


@dataclass(frozen=True)
class Trend:
    moments: list[datetime]
    # name (a package code, or English marked for translation) → a value per moment (None: not known)
    series: dict[str, list[int | None]]


def trend_moments(*, now: datetime | None = None) -> list[datetime]:
    now = now or timezone.now()
    start = now - timedelta(days=TREND_DAYS)
    moments = [start + timedelta(days=d) for d in range(0, TREND_DAYS, STEP_DAYS)]
    return [*moments, now]


@dataclass(frozen=True)
class Attention:
    errors: int
    screening: int
    approvals: int
    customers: list[Customer]

    @property
    def total(self) -> int:
        return self.errors + self.screening + self.approvals


@dataclass(frozen=True)
class CustomerOverview:
    """The partner overview's figures of its customers."""

    tiles: list[tuple[str, str, int]]  # (label, key, count) by the status people read
    trend: Trend  # how many existed at each moment
    attention: Attention


def customer_overview(*, actor, partner: Organization, now: datetime | None = None) -> CustomerOverview:
    """The partner's customers (those the actor sees) in one aggregate pass: by the status people read — those
    waiting for their administrator's approval count under their own status, right after Provisioning, and
    not under Provisioning —, how many existed at each moment of the trend, and those that need someone
    (provisioning ended with errors, held by denied-party screening, or waiting for an attached
    organisation's administrator); a second query lists the first few of those (``customer_attention_idx``).
    Both compiled once per process for each reach of an actor (``core.compiled``): building and compiling
    the aggregate cost more than the database's answer."""
    moments = trend_moments(now=now)
    parts = children_reach(actor=actor, parent=partner)
    scope = children_reach_ids(actor, parts) | {"parent_id": partner.id}
    groups = _CUSTOMER_GROUPS.rows(parts, **scope, **{f"at{i}": moment for i, moment in enumerate(moments)})
    by_status: Counter = Counter()
    waiting = errors = screening = 0
    first_existed = [0] * (len(moments) + 1)  # customers by the first moment they existed at (last: none)
    for group in groups:
        n = group["n"]
        if group["waiting"]:
            waiting += n
        else:
            by_status[group["status"]] += n
        errors += n if group["status"] in PROVISIONING_FAILED_STATUSES else 0
        screening += n if group["status"] == HELD_BY_SCREENING_STATUS else 0
        first_existed[group["since"]] += n
    tiles = []
    for status in CustomerStatus:
        tiles.append((status.label, status.value, by_status[status.value]))
        if status is CustomerStatus.PROVISIONING:
            tiles.append((_("Waiting for customer approval"), WAITING_FOR_APPROVAL, waiting))
    existed = list(accumulate(first_existed[: len(moments)]))
    attention = Attention(errors, screening, waiting, _CUSTOMERS_NEEDING_ATTENTION.rows(parts, **scope))
    return CustomerOverview(
        tiles=tiles, trend=Trend(moments, {gettext_noop("Customers"): existed}), attention=attention
    )


def _customer_groups(parts, *, parent_id, home_id=None, user_id=None, **moments) -> QuerySet:
    """``customer_overview``'s aggregate: the customers counted by status, whether they wait for an attached
    organisation's approval, and ``since``, the first of the trend's moments (``at0``, ``at1``, ...) they
    existed at (after the last: the number of moments) — a few dozen groups, one hash aggregate, instead of
    25 filtered counts, each evaluated on every row. For an actor who sees every customer of the partner,
    read by the partner filed on the customers' rows (``customer_partner_counts``), without their
    organisations: the join of 11,000 customers to theirs cost more than the counts."""
    since = Case(
        *(When(created__lte=moments[f"at{i}"], then=Value(i)) for i in range(len(moments))),
        default=Value(len(moments)),
        output_field=IntegerField(),
    )
    waiting = ExpressionWrapper(AWAITING_ATTACH_APPROVAL, output_field=BooleanField())

    def grouped(qs: QuerySet[Customer]) -> QuerySet:
        by = qs.order_by().annotate(waiting=waiting, since=since).values("status", "waiting", "since")
        return by.annotate(n=Count("pk"))

    if reach_holds_every_customer(parts):  # every customer of the partner: an index range, no organisation
        return grouped(Customer.objects.filter(partner_uuid=parent_id))
    return grouped(customers_in_reach(parts, parent_id=parent_id, home_id=home_id, user_id=user_id))


def _customers_needing_attention(parts, *, parent_id, home_id=None, user_id=None) -> QuerySet[Customer]:
    qs = customers_in_reach(parts, parent_id=parent_id, home_id=home_id, user_id=user_id)
    return qs.filter(NEEDS_ATTENTION).select_related("org").order_by("-status_changed")[:ATTENTION_LIMIT]


_CUSTOMER_GROUPS = CompiledQuery(_customer_groups)
_CUSTOMERS_NEEDING_ATTENTION = CompiledQuery(_customers_needing_attention)


def _days_not_summed(*, org: Organization, days: list[date]) -> set[date]:
    """The days among ``days`` whose usage sums do not hold the organisation's: not built (completed) yet,
    or before the billing of its sub-partner started (its customers' usage is not counted then)."""
    built = set(
        UsageRun.objects.filter(day__in=days, status=UsageRunStatus.COMPLETED).values_list("day", flat=True)
    )
    missing = set(days) - built
    subpartner = org.parent if org.is_customer else org
    if subpartner is not None and subpartner.parent_id is not None:
        start = billing_start_date(subpartner=subpartner)
        missing |= {day for day in days if day < start}
    return missing


def _usage_by_day(*, actor, org: Organization, days: list[date]) -> dict[tuple[date, str], float]:
    """Licence-days per (day, package) of a customer organisation, or of a partner's customers: its own
    day sums when the actor sees every one of them, else the sums of the customers it sees."""
    packages = Q(day__in=days, service__in=PackageCode.values)
    if org.is_customer:
        visible = customers_visible_to(actor=actor).filter(org=org)
        rows = CustomerUsageDay.objects.filter(
            packages, org_uuid=org.pk, customer_uuid__in=visible.values("pk")
        )
    elif sees_all_customers_of(actor=actor, partner=org):
        rows = PartnerUsageDay.objects.filter(packages, partner_uuid=org.pk)
    else:
        visible = customers_of_partner_visible_to(actor=actor, partner=org)
        rows = CustomerUsageDay.objects.filter(
            packages, partner_uuid=org.pk, customer_uuid__in=visible.values("pk")
        )
    sums = rows.values("day", "service").annotate(quantity=Sum("quantity")).order_by()
    return {(row["day"], row["service"]): row["quantity"] for row in sums}


def package_trend(
    *, actor, org: Organization, held: dict[str, int] | None = None, now: datetime | None = None
) -> Trend:
    """Subscribers' and workspaces' licences in use by package, for a customer organisation or a partner's
    customers (those the actor sees): on each past moment's UTC day, the billing day sums (licence-days,
    rounded; a removed customer's usage still counts on the days it had some, for a partner's own
    administrators, who read the partner's sums); now, the open intervals (the kept counts). A day not
    summed yet is no point (``None``). A package never in use over the period has no line. ``held``: the
    intervals held now by package, when the caller read them already (``licences_in_use``)."""
    moments = trend_moments(now=now)
    days = [moment.astimezone(UTC).date() for moment in moments[:-1]]
    unknown = _days_not_summed(org=org, days=days)
    used = _usage_by_day(actor=actor, org=org, days=days)  # every day: the same queries whatever is built
    if held is None:
        held = licences_in_use(actor=actor, org=org).held
    codes = sorted({code for _day, code in used} | set(held))
    series = {
        code: [
            *(None if day in unknown else round(used.get((day, code), 0)) for day in days),
            held.get(code, 0),
        ]
        for code in codes
    }
    return Trend(moments, {code: points for code, points in series.items() if any(points)})
