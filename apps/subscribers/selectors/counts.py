"""Counts of subscribers and workspaces by package."""

from django.db.models import Count, Q

from apps.core.models import Organization
from apps.customers.models import Customer
from apps.customers.selectors import customers_visible_to
from apps.subscribers.models import Subscriber


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


def package_usage(*, customer: Customer) -> dict[str, int]:
    """How many of the customer's subscribers and workspaces hold each package (the customer was read
    through the scoping selector already): two grouped counts."""
    from apps.subscribers.models import Workspace

    usage: dict[str, int] = {}
    for model in (Subscriber, Workspace):
        rows = model.objects.filter(customer=customer).values("package").annotate(n=Count("id")).order_by()
        for row in rows:
            usage[row["package"]] = usage.get(row["package"], 0) + row["n"]
    return usage
