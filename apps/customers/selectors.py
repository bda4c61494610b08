"""Reads about customers and subscribers, always through ``orgs_visible_to``."""

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from apps.accounts.selectors import orgs_visible_to
from apps.core.models import Organization

from .models import Customer, CustomerStatus, Subscriber

CUSTOMER_SORTS = {
    "name": "org__name",
    "-name": "-org__name",
    "status": "status",
    "-status": "-status",
    "created": "created",
    "-created": "-created",
}


def customers_visible_to(*, actor) -> QuerySet[Customer]:
    return Customer.objects.filter(org__in=orgs_visible_to(actor=actor))


def customers_of_partner(
    *,
    actor,
    partner: Organization,
    search: str = "",
    status: str = "",
    sort: str = "name",
    include_indirect: bool = False,
) -> QuerySet[Customer]:
    """The partner's customers; a search also reaches the customers of its indirect providers."""
    scope = Q(org__parent=partner)
    if include_indirect or search:
        scope |= Q(org__parent__parent=partner)
    qs = customers_visible_to(actor=actor).filter(scope).select_related("org", "org__parent")
    if search:
        qs = qs.filter(Q(org__name__icontains=search) | Q(external_id__iexact=search))
    if status in CustomerStatus.values:
        qs = qs.filter(status=status)
    qs = qs.annotate(subscriber_count=Count("subscribers"))
    return qs.order_by(CUSTOMER_SORTS.get(sort, "org__name"), "id")


def customer_of_org(*, org: Organization) -> Customer | None:
    return Customer.objects.filter(org=org).first()


def customer_status_counts(*, actor, partner: Organization) -> dict[str, int]:
    rows = (
        customers_visible_to(actor=actor)
        .filter(org__parent=partner)
        .values("status")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts = {row["status"]: row["n"] for row in rows}
    return {status: counts.get(status, 0) for status in CustomerStatus.values}


def subscriber_package_counts(*, actor, org: Organization) -> list[dict]:
    """Subscribers by package, for a customer organisation or across a partner's customers."""
    visible = customers_visible_to(actor=actor)
    scope = Q(customer__org=org) if org.is_customer else Q(customer__org__parent=org)
    rows = (
        Subscriber.objects.filter(scope, customer__in=visible)
        .values("package")
        .annotate(n=Count("id"))
        .order_by("-n", "package")
    )
    return list(rows)


def subscribers_of(*, actor, org: Organization) -> QuerySet[Subscriber]:
    if not orgs_visible_to(actor=actor).filter(id=org.id).exists():
        raise Http404
    return Subscriber.objects.filter(customer__org=org).order_by("email")
