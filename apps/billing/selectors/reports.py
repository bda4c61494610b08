"""Reads of billing reports: the reports an actor sees (a partner's own, never another's), one report by
its id, the list of the API with its filters, and the rows of a report aggregated in SQL."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.db.models import Count, Max, Min, Q, QuerySet, Sum
from django.http import Http404

from apps.billing.models import BillingReport, ReportCategory, ReportType, UsageDay
from apps.core.ids import IdType, decode_id, decode_id_or_uuid
from apps.core.models import Organization
from apps.subscribers.models import PackageAssignment

SORTS = {
    "id": ("id",),
    "billingStartDate": ("start_date", "id"),
    "billingEndDate": ("end_date", "id"),
    "status": ("status", "id"),
}


def billing_reports_of(*, partner: Organization) -> QuerySet[BillingReport]:
    """The reports a partner owns (the caller's acting partner has been resolved and checked)."""
    return BillingReport.objects.filter(partner=partner).select_related("partner", "subpartner", "created_by")


def billing_report_get(*, partner: Organization, report_id: str) -> BillingReport:
    """One report of the partner by its opaque id (or bare uuid); 404 for any other."""
    found = decode_id_or_uuid(report_id, IdType.BILLING_REPORT)
    report = billing_reports_of(partner=partner).filter(pk=found).first() if found else None
    if report is None:
        raise Http404("Billing Report not found.")
    return report


def report_subpartner(*, partner: Organization, org_id) -> Organization | None:
    """The sub-partner ``subPartnerOrgId`` names: one directly below ``partner``, else None (the same answer
    whether the organisation exists elsewhere or not)."""
    found = decode_id(org_id, IdType.ORGANIZATION) if isinstance(org_id, str) else None
    return Organization.objects.filter(pk=found, parent=partner, kind="partner").first() if found else None


def billing_reports_list(
    *,
    partner: Organization,
    start: date | None = None,
    end: date | None = None,
    type: str = "",
    status: str = "",
    subpartner: Organization | None = None,
    sort: str = "billingStartDate",
) -> QuerySet[BillingReport]:
    reports = billing_reports_of(partner=partner)
    if start is not None:
        reports = reports.filter(start_date=start)
    if end is not None:
        reports = reports.filter(end_date=end)
    if type:
        reports = reports.filter(type=type)
    if status:
        reports = reports.filter(status=status)
    if subpartner is not None:
        reports = reports.filter(subpartner=subpartner)
    return reports.order_by(*SORTS.get(sort, SORTS["billingStartDate"]))


# --- the rows of a report ----------------------------------------------------------------------------------


def usage_scope(*, partner: Organization, subpartner: Organization | None = None) -> Q:
    """The usage a partner is billed for: a top-level partner's subscription (its sub-partners' customers
    included); a sub-partner's own customers (the sub-partner itself, or its parent naming it)."""
    if subpartner is not None:
        return Q(partner_uuid=subpartner.id)
    if partner.is_subpartner:
        return Q(partner_uuid=partner.id)
    return Q(billed_partner_uuid=partner.id)


_GROUPS = {
    ReportType.PARTNER: ("service",),
    ReportType.CUSTOMER: ("service", "org_uuid", "customer_external_id", "location_uuid"),
    ReportType.USER: (
        "service",
        "org_uuid",
        "customer_external_id",
        "location_uuid",
        "kind",
        "holder_uuid",
        "user_uuid",
    ),
}


@dataclass(frozen=True)
class ReportRow:
    service: str
    start: date
    end: date
    quantity: float
    org_uuid: object = None
    customer_external_id: str = ""
    location_uuid: object = None
    kind: str = ""
    holder_uuid: object = None
    user_uuid: object = None


def report_rows(*, report: BillingReport, chunk_size: int = 5000) -> Iterator[ReportRow]:
    """The report's lines, aggregated in SQL and streamed (a server-side cursor on PostgreSQL)."""
    if report.category == ReportCategory.POINT_IN_TIME:
        yield from _point_in_time_rows(report=report, chunk_size=chunk_size)
        return
    groups = _GROUPS[report.type]
    rows = (
        UsageDay.objects.filter(
            usage_scope(partner=report.partner, subpartner=report.subpartner),
            day__gte=report.start_date,
            day__lte=report.end_date,
        )
        .values(*groups)
        .annotate(first=Min("day"), last=Max("day"), total=Sum("quantity"))
        .order_by()
    )
    if report.type != ReportType.USER:
        rows = rows.order_by(*groups)
    for row in rows.values_list(*groups, "first", "last", "total").iterator(chunk_size=chunk_size):
        values = dict(zip(groups, row[: len(groups)], strict=True))
        yield ReportRow(start=row[-3], end=row[-2], quantity=row[-1], **values)


def _point_in_time_rows(*, report: BillingReport, chunk_size: int) -> Iterator[ReportRow]:
    """The package allocations held at the end of the report's last day, one unit each."""
    instant = datetime.combine(report.end_date + timedelta(days=1), time.min, tzinfo=UTC)
    if report.subpartner is not None or report.partner.is_subpartner:
        scope = Q(partner_uuid=(report.subpartner or report.partner).id)
    else:
        scope = Q(partner_uuid=report.partner.id) | Q(
            partner_uuid__in=Organization.objects.filter(parent=report.partner).values("id")
        )
    held = PackageAssignment.objects.filter(
        scope, Q(ended_at__isnull=True) | Q(ended_at__gte=instant), started_at__lt=instant
    )
    fields = {
        ReportType.PARTNER: ("package",),
        ReportType.CUSTOMER: ("package", "org_uuid", "location_uuid"),
        ReportType.USER: ("package", "org_uuid", "location_uuid", "subscriber_uuid", "workspace_uuid"),
    }[report.type]
    rows = held.values(*fields).annotate(total=Count("id")).order_by(*fields)
    for row in rows.iterator(chunk_size=chunk_size):
        holder = row.get("subscriber_uuid") or row.get("workspace_uuid")
        yield ReportRow(
            service=row["package"],
            start=report.end_date,
            end=report.end_date,
            quantity=float(row["total"]),
            org_uuid=row.get("org_uuid"),
            location_uuid=row.get("location_uuid"),
            kind=("subscriber" if row.get("subscriber_uuid") else "workspace") if holder else "",
            holder_uuid=holder,
        )
