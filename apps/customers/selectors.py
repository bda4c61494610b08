"""Reads about customers and subscribers, always through ``orgs_visible_to``."""

from collections.abc import Iterable

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404

from apps.accounts.selectors import orgs_visible_to
from apps.core.ids import IdType, decode_id
from apps.core.models import Organization
from apps.restrictions.selectors import people_hidden_from_partner_staff

from .models import Customer, CustomerPackage, CustomerStatus, PackageStatus, Subscriber

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


def customers_with_people_visible_to(*, actor) -> QuerySet[Customer]:
    """The customers whose people (users, workspaces) the actor sees: ``customers_visible_to`` less, for a
    partner's staff, the ones restrictions hide people of (see ``people_hidden_from_partner_staff``)."""
    visible = customers_visible_to(actor=actor)
    home = getattr(actor, "org", None)
    if home is not None and home.is_partner:
        visible = visible.exclude(people_hidden_from_partner_staff())
    return visible


def customers_of_partner(
    *,
    actor,
    partner: Organization,
    search: str = "",
    status: str = "",
    sort: str = "name",
    include_indirect: bool = False,
) -> QuerySet[Customer]:
    """The partner's customers; a search also reaches the customers of its indirect providers, and an e-mail
    address finds the customer of the subscriber who has it (exact, through its unique index)."""
    scope = Q(org__parent=partner)
    if include_indirect or search:
        scope |= Q(org__parent__parent=partner)
    qs = customers_visible_to(actor=actor).filter(scope).select_related("org", "org__parent")
    if search:
        matches = Q(org__name__icontains=search) | Q(external_id__iexact=search)
        if "@" in search:
            person = Subscriber.objects.filter(customer=OuterRef("pk"), email=search.lower())
            matches |= Q(Exists(person)) & ~people_hidden_from_partner_staff()
        qs = qs.filter(matches)
    if status in CustomerStatus.values:
        qs = qs.filter(status=status)
    # A correlated count, not a JOIN + GROUP BY: the database counts only for the rows of the page.
    subscribers = (
        Subscriber.objects.filter(customer=OuterRef("pk"))
        .order_by()
        .values("customer")
        .annotate(n=Count("id"))
    )
    qs = qs.annotate(subscriber_count=Coalesce(Subquery(subscribers.values("n")), 0))
    return qs.order_by(CUSTOMER_SORTS.get(sort, "org__name"), "id")


def _with_packages(qs: QuerySet[Customer]) -> QuerySet[Customer]:
    return qs.select_related("org").prefetch_related(
        Prefetch("packages", queryset=CustomerPackage.objects.order_by("code"))
    )


def customers_for_api(
    *,
    actor,
    partner: Organization,
    external_id: str = "",
    org: Organization | None = None,
    statuses: Iterable[str] = (),
) -> QuerySet[Customer]:
    """``GET /v1/wholesale/customers``: the partner's customers the actor may see, oldest first, with their
    packages (two queries a page at any number of customers)."""
    qs = customers_visible_to(actor=actor).filter(org__parent=partner)
    if external_id:
        qs = qs.filter(external_id=external_id)
    if org is not None:
        qs = qs.filter(org=org)
    statuses = list(statuses)
    if statuses:
        qs = qs.filter(status__in=statuses)
    return _with_packages(qs).order_by("created", "id")


def customer_get(*, actor, customer_id: str, partner: Organization | None = None) -> Customer:
    """The customer behind an opaque id, with its packages; 404 when the actor may not see it (or it is not
    managed by ``partner`` when one is given)."""
    pk = decode_id(customer_id, IdType.CUSTOMER)
    if pk is None:
        raise Http404
    qs = customers_visible_to(actor=actor).filter(id=pk)
    if partner is not None:
        qs = qs.filter(org__parent=partner)
    customer = _with_packages(qs).select_related("org__parent").first()
    if customer is None:
        raise Http404
    return customer


def customer_of_org_get(*, actor, org: Organization) -> Customer:
    """The wholesale customer record of a customer organisation the actor may see; else 404."""
    found = customers_visible_to(actor=actor).filter(org=org).select_related("org", "org__parent").first()
    if found is None:
        raise Http404
    return found


def packages_held(*, customer: Customer) -> set[str]:
    """The codes of the packages the customer holds, provisioned (the caller read the customer through the
    scoping selector already)."""
    return set(
        CustomerPackage.objects.filter(customer=customer, status=PackageStatus.PROVISIONED).values_list(
            "code", flat=True
        )
    )


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


def package_usage(*, customer: Customer) -> dict[str, int]:
    """How many of the customer's subscribers and workspaces hold each package (the customer was read
    through the scoping selector already): two grouped counts."""
    from .workspaces_models import Workspace

    usage: dict[str, int] = {}
    for model in (Subscriber, Workspace):
        rows = model.objects.filter(customer=customer).values("package").annotate(n=Count("id")).order_by()
        for row in rows:
            usage[row["package"]] = usage.get(row["package"], 0) + row["n"]
    return usage


def customer_access_of(*, org: Organization) -> tuple[str, str, bool] | None:
    """(attach state, partner access, attached to an existing organisation) of a customer organisation,
    for the restrictions app; None when it has no wholesale customer record (any more)."""
    return (
        Customer.objects.filter(org=org).values_list("attach_state", "partner_access", "existing_org").first()
    )
