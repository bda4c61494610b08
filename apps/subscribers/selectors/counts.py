"""Counts of subscribers and workspaces by package."""

from django.db.models import Count, Q, Sum

from apps.accounts.selectors import children_visible_q
from apps.core.models import Organization
from apps.customers.models import Customer
from apps.customers.selectors import customers_visible_to
from apps.subscribers.models import AssignmentHolder, OpenAssignmentCount, Subscriber, SubscriberStatus


def _scope(*, actor, org: Organization) -> Q:
    """The rows (with a ``customer``) of a customer organisation, or of a partner's customers, that the actor
    sees: a partner's as columns of the customer's organisation (``children_visible_q``), the same rows as
    ``customers_visible_to`` without its subquery, which cost a probe per counted row."""
    if org.is_customer:
        return Q(customer__org=org, customer__in=customers_visible_to(actor=actor))
    return children_visible_q(actor=actor, parent=org, path="customer__org__")


def subscriber_package_counts(*, actor, org: Organization) -> list[dict]:
    """Subscribers by package (``{"package", "n"}``, most first), for a customer organisation or across a
    partner's customers, in one query that reads no subscriber it counts: a provisioned subscriber holds its
    package's open interval (``OpenAssignmentCount``, kept by ``services.history``), and the few still
    waiting for their consent (who hold none yet) are counted by their own index."""
    scope = _scope(actor=actor, org=org)
    held = OpenAssignmentCount.objects.filter(scope, kind=AssignmentHolder.SUBSCRIBER).values("package")
    held = held.annotate(n=Sum("n")).order_by()
    waiting = (
        Subscriber.objects.filter(scope, status=SubscriberStatus.PENDING_USER_MIGRATION)
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
    rows = OpenAssignmentCount.objects.filter(_scope(actor=actor, org=org)).values("package")
    rows = rows.annotate(n=Sum("n")).order_by()
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
