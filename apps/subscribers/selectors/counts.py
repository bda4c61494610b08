"""Counts of subscribers and workspaces by package."""

from dataclasses import dataclass

from django.db.models import CharField, Count, Q, Sum, Value

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


@dataclass(frozen=True)
class LicencesInUse:
    subscribers: list[dict]  # subscribers by package, {"package", "n"}, most first
    held: dict[str, int]  # package → open intervals now, subscribers' and workspaces' (none at 0)


_WAITING = "waiting"  # the subscribers waiting for their consent, in the union of ``licences_in_use``


def licences_in_use(*, actor, org: Organization) -> LicencesInUse:
    """The licences in use of a customer organisation, or across a partner's customers, in one query that
    reads no subscriber it counts: the open intervals by package and kind of holder (``OpenAssignmentCount``,
    kept by ``services.history``), and the few subscribers still waiting for their consent, who hold no
    interval yet but count as subscribers of their package (by their own index)."""
    scope = _scope(actor=actor, org=org)
    held = OpenAssignmentCount.objects.filter(scope).values("package", "kind").annotate(n=Sum("n")).order_by()
    waiting = (
        Subscriber.objects.filter(scope, status=SubscriberStatus.PENDING_USER_MIGRATION)
        .values("package")
        .annotate(kind=Value(_WAITING, output_field=CharField()), n=Count("id"))
        .order_by()
    )
    subscribers: dict[str, int] = {}
    intervals: dict[str, int] = {}
    for row in held.union(waiting, all=True):
        package, kind, n = row["package"], row["kind"], row["n"]
        if kind in (AssignmentHolder.SUBSCRIBER, _WAITING):
            subscribers[package] = subscribers.get(package, 0) + n
        if kind != _WAITING:
            intervals[package] = intervals.get(package, 0) + n
    ranked = sorted(subscribers.items(), key=lambda kv: (-kv[1], kv[0]))
    return LicencesInUse(
        subscribers=[{"package": package, "n": n} for package, n in ranked if n],
        held={package: n for package, n in intervals.items() if n},
    )


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
