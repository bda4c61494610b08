"""Reads of usage for pages: daily totals per service over a period (the chart), summed in SQL."""

from datetime import date, timedelta

from django.db.models import Sum

from apps.billing.catalogue import PriceUnit, service
from apps.billing.models import UsageDay
from apps.billing.selectors.reports import usage_scope
from apps.core.models import Organization


def usage_by_day(
    *, partner: Organization, start: date, end: date, customer_org_id=None
) -> dict[str, list[float]]:
    """{SERVICE_NAME: [quantity of each day from start to end]} of the monthly services (licences held),
    with a zero for a day without usage."""
    usage = UsageDay.objects.filter(usage_scope(partner=partner), day__range=(start, end))
    if customer_org_id is not None:
        usage = usage.filter(org_uuid=customer_org_id)
    days = (end - start).days + 1
    series: dict[str, list[float]] = {}
    rows = usage.values_list("service", "day").annotate(total=Sum("quantity")).order_by("service", "day")
    for code, day, total in rows:
        svc = service(code)
        if svc.unit != PriceUnit.MONTHLY:
            continue
        series.setdefault(svc.description, [0.0] * days)[(day - start).days] = total
    return series


def last_days(today: date, count: int) -> tuple[date, date]:
    return today - timedelta(days=count), today - timedelta(days=1)


def usage_per_customer(*, partner: Organization, start: date, end: date):
    """Each customer's quantity over a period (licence-days and Setup Assist units), largest first; the
    page reads one extra row, no COUNT."""
    return (
        UsageDay.objects.filter(usage_scope(partner=partner), day__range=(start, end))
        .values("customer_uuid", "org_uuid", "customer_external_id", "partner_uuid")
        .annotate(total=Sum("quantity"))
        .order_by("-total", "customer_uuid")
    )


def organisation_names(*, ids) -> dict:
    """{organisation id: name} of the ids still present (a removed customer's usage keeps its id only)."""
    return dict(Organization.objects.filter(pk__in=list(ids)).values_list("id", "name"))
