"""Counts of subscribers and workspaces by package."""

from dataclasses import dataclass

from django.db.models import CharField, Count, Q, QuerySet, Sum, Value

from apps.accounts.selectors import (
    children_reach,
    children_reach_ids,
    children_reach_q,
    reach_holds_every_customer,
    reach_ids,
    reach_of,
    reach_q,
)
from apps.core.compiled import CompiledQuery
from apps.core.models import Organization
from apps.customers.models import Customer
from apps.subscribers.models import AssignmentHolder, OpenAssignmentCount, Subscriber, SubscriberStatus


def _scope(form: tuple, *, org_id, home_id=None, user_id=None) -> Q:
    """The rows (with a ``customer``) of a customer organisation, or of a partner's customers, that the actor
    sees, from ``_form_and_ids``: as columns of the customer's organisation (``reach_q``,
    ``children_reach_q``), the same rows as ``customers_visible_to`` without its subquery, which cost a probe
    per counted row."""
    is_customer, reach = form
    if is_customer:
        return Q(customer__org=org_id) & reach_q(
            reach, home_id=home_id, user_id=user_id, path="customer__org__"
        )
    return children_reach_q(reach, parent_id=org_id, home_id=home_id, user_id=user_id, path="customer__org__")


def _by_partner(form: tuple) -> bool:
    """Whether a partner's kept counts are read by the partner they are kept under: the actor sees every
    customer organisation of the partner (a customer's organisation is always of the customer kind), so an
    index range of the partner's few rows replaces a join of each of its customers to its organisation."""
    is_customer, reach = form
    return not is_customer and reach_holds_every_customer(reach)


def _form_and_ids(*, actor, org: Organization) -> tuple[tuple, dict]:
    """What ``_scope``'s SQL depends on (whether ``org`` is a customer's, the actor's reach there), and its
    ids."""
    if org.is_customer:
        reach = reach_of(actor)
        return (True, reach), reach_ids(actor, reach) | {"org_id": org.id}
    parts = children_reach(actor=actor, parent=org)
    return (False, parts), children_reach_ids(actor, parts) | {"org_id": org.id}


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
    form, ids = _form_and_ids(actor=actor, org=org)
    subscribers: dict[str, int] = {}
    intervals: dict[str, int] = {}
    for row in _LICENCES.rows(form, **ids):
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


def _licences(form: tuple, **ids) -> QuerySet:
    """``licences_in_use``'s query, compiled once per process for each form (``core.compiled``): building
    the scope's condition twice and the union cost the overviews more than the database's answer."""

    def summed(counts: QuerySet) -> QuerySet:
        return counts.values("package", "kind").annotate(n=Sum("n")).order_by()

    scope = _scope(form, **ids)
    counts = OpenAssignmentCount.objects
    if _by_partner(form):
        # Those kept under the partner, and, through their customers, those a process older than the
        # partner column wrote (kept under none until the next fold files them): the sums add up the legs.
        held = [
            summed(counts.filter(partner_uuid=ids["org_id"])),
            summed(counts.filter(scope, partner_uuid=None)),
        ]
    else:
        held = [summed(counts.filter(scope))]
    waiting = (
        Subscriber.objects.filter(scope, status=SubscriberStatus.PENDING_USER_MIGRATION)
        .values("package")
        .annotate(kind=Value(_WAITING, output_field=CharField()), n=Count("id"))
        .order_by()
    )
    return held[0].union(*held[1:], waiting, all=True)


_LICENCES = CompiledQuery(_licences)


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
