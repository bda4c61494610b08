"""Reads of wholesale provisioning: the Partner Hub customer list."""

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from apps.core.models import Organization, OrgKind
from apps.customers.models import Customer, CustomerPackage, CustomerStatus
from apps.customers.selectors import customers_visible_to, people_hidden_from_partner_staff
from apps.subscribers.models import Subscriber

CUSTOMER_SORTS = {
    "name": "org__name",
    "-name": "-org__name",
    "status": "status",
    "-status": "-status",
    "created": "created",
    "-created": "-created",
}


def indirect_customers_reachable(*, actor, partner: Organization) -> bool:
    """Does a search of ``partner``'s customer list also find customers of its indirect providers for this
    actor (the list says so only then)?"""
    return customers_visible_to(actor=actor).filter(org__parent__parent=partner).exists()


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
    # ``kind`` as well as ``parent``: the equality prefix of Organization's (parent, kind, name) index, so the
    # database walks the partner's customers in name order for a page instead of sorting all of them.
    scope = Q(org__parent=partner, org__kind=OrgKind.CUSTOMER)
    if include_indirect or search:
        scope |= Q(org__parent__parent=partner, org__kind=OrgKind.CUSTOMER)
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


# What a row of the list shows (customer_list.html): the wide columns (the template snapshot, the address,
# the errors) stay in the database.
LIST_COLUMNS = (
    "id",
    "external_id",
    "status",
    "attach_state",
    "created",
    "provisioned_at",
    "org__id",
    "org__name",
    "org__kind",
    "org__parent_id",
    "org__parent__id",
    "org__parent__name",
    "org__parent__kind",
)
PACKAGE_COLUMNS = ("id", "customer_id", "code", "status")


def customer_list_rows(customers: QuerySet[Customer]) -> QuerySet[Customer]:
    """The Partner Hub customers page's rows: only the columns shown, packages as lists (packages_shown)."""
    return customers.only(*LIST_COLUMNS).prefetch_related(
        Prefetch(
            "packages", queryset=CustomerPackage.objects.only(*PACKAGE_COLUMNS), to_attr="packages_shown"
        )
    )
