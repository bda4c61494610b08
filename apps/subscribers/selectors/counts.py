"""Counts of subscribers and workspaces by package."""

from django.db.models import Count, Q, QuerySet, Sum

from apps.core.models import Organization
from apps.customers.models import Customer
from apps.customers.selectors import customers_visible_to
from apps.subscribers.models import AssignmentHolder, OpenAssignmentCount, Subscriber, SubscriberStatus


def _open_counts(*, actor, org: Organization) -> tuple[Q, QuerySet[Customer], QuerySet[OpenAssignmentCount]]:
    """The scope (on a row with a ``customer``), the customers the actor sees, and the open-assignment count
    rows of a customer organisation or of a partner's customers."""
    visible = customers_visible_to(actor=actor)
    scope = Q(customer__org=org) if org.is_customer else Q(customer__org__parent=org)
    return scope, visible, OpenAssignmentCount.objects.filter(scope, customer__in=visible)


def subscriber_package_counts(*, actor, org: Organization) -> list[dict]:
    """Subscribers by package (``{"package", "n"}``, most first), for a customer organisation or across a
    partner's customers, in one query that reads no subscriber it counts: a provisioned subscriber holds its
    package's open interval (``OpenAssignmentCount``, kept by ``services.history``), and the few still
    waiting for their consent (who hold none yet) are counted by their own index."""
    scope, visible, counts = _open_counts(actor=actor, org=org)
    held = counts.filter(kind=AssignmentHolder.SUBSCRIBER).values("package").annotate(n=Sum("n")).order_by()
    waiting = (
        Subscriber.objects.filter(scope, customer__in=visible, status=SubscriberStatus.PENDING_USER_MIGRATION)
        .values("package")
        .annotate(n=Count("id"))
        .order_by()
    )
    by_package: dict[str, int] = {}
    for row in held.union(waiting, all=True):
        by_package[row["package"]] = by_package.get(row["package"], 0) + row["n"]
    ranked = sorted(by_package.items(), key=lambda kv: (-kv[1], kv[0]))
    return [{"package": package, "n": n} for package, n in ranked if n]


def packages_held(*, actor, org: Organization) -> dict[str, int]:
    """How many open package intervals subscribers and workspaces hold now, by package (none at 0), for a
    customer organisation or across a partner's customers: one query of the kept counts."""
    _scope, _visible, counts = _open_counts(actor=actor, org=org)
    rows = counts.values("package").annotate(n=Sum("n")).order_by()
    return {row["package"]: row["n"] for row in rows if row["n"]}


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
