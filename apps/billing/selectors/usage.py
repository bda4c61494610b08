"""Reads of usage for pages, from the sums the daily build keeps (``models.usage``): daily totals per service
over a period (the chart, the invoice previews) and each customer's month (the overview's list)."""

from datetime import date, timedelta

from django.db.models import F, QuerySet, Sum

from apps.billing.catalogue import PriceUnit, service
from apps.billing.models import CustomerUsageDay, CustomerUsageMonth, PartnerUsageDay
from apps.billing.selectors.reports import usage_scope
from apps.core.models import Organization


def usage_per_service_and_day(
    *,
    partner: Organization,
    start: date,
    end: date,
    subpartner: Organization | None = None,
    customer_org_id=None,
) -> QuerySet:
    """(service, day, quantity) rows of the partner's usage from ``start`` to ``end``, by service then day;
    of one customer's organisation when ``customer_org_id`` is given. A few rows a day whatever the number
    of holders: the partner's day sums, or the customer's."""
    scope = usage_scope(partner=partner, subpartner=subpartner)
    if customer_org_id is None:
        usage = PartnerUsageDay.objects.filter(scope, day__range=(start, end))
    else:
        usage = CustomerUsageDay.objects.filter(scope, org_uuid=customer_org_id, day__range=(start, end))
    return usage.values_list("service", "day").annotate(total=Sum("quantity")).order_by("service", "day")


def usage_by_day(*, partner: Organization, start: date, end: date) -> dict[str, list[float]]:
    """{SERVICE_NAME: [quantity of each day from start to end]} of the monthly services (licences held),
    with a zero for a day without usage."""
    days = (end - start).days + 1
    series: dict[str, list[float]] = {}
    for code, day, total in usage_per_service_and_day(partner=partner, start=start, end=end):
        svc = service(code)
        if svc.unit != PriceUnit.MONTHLY:
            continue
        series.setdefault(svc.description, [0.0] * days)[(day - start).days] = total
    return series


def last_days(today: date, count: int) -> tuple[date, date]:
    return today - timedelta(days=count), today - timedelta(days=1)


def usage_per_customer(*, partner: Organization, month: date) -> QuerySet:
    """Each customer's quantity of a calendar month (``month``: its first day; licence-days and Setup Assist
    units together), largest first: one page of an index (the page reads one extra row, no COUNT)."""
    return (
        CustomerUsageMonth.objects.filter(usage_scope(partner=partner), month=month)
        .values("customer_uuid", "org_uuid", "customer_external_id", "partner_uuid", total=F("quantity"))
        .order_by("-quantity", "customer_uuid")
    )


def organisation_names(*, ids) -> dict:
    """{organisation id: name} of the ids still present (a removed customer's usage keeps its id only)."""
    return dict(Organization.objects.filter(pk__in=list(ids)).values_list("id", "name"))
