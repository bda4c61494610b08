"""Reads of wholesale provisioning: the Partner Hub customer list."""

from django.contrib.humanize.templatetags.humanize import intcomma
from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.template.defaultfilters import date as date_shown
from django.utils.timezone import template_localtime

from apps.accounts.selectors import sees_all_customers_of
from apps.core.compiled import BoundList, CompiledList, CompiledQuery
from apps.core.jsonrows import in_uuid_array, json_rows, uuid_array
from apps.core.memo import OncePerKey
from apps.core.models import Organization, OrgKind
from apps.customers.models import Customer, CustomerPackage, CustomerStatus, PackageStatus
from apps.customers.selectors import customers_visible_to, people_hidden_from_partner_staff
from apps.packages.catalogue import package_label
from apps.subscribers.models import Subscriber

CUSTOMER_SORTS = {
    "name": "org__name",
    "-name": "-org__name",
    "status": "status",
    "-status": "-status",
    "created": "created",
    "-created": "-created",
}


def _ordered_by(order: str) -> tuple[str, str]:
    """A list's order with its tie-break: the customer's key, in the same direction (a descending sort is
    the ascending one reversed), so that a page in status order walks the (status, id) index either way
    instead of sorting every customer of a status by key."""
    return order, "-id" if order.startswith("-") else "id"


def indirect_customers_reachable(*, actor, partner: Organization) -> bool:
    """Does a search of ``partner``'s customer list also find customers of its indirect providers for this
    actor (the list says so only then)?"""
    if sees_all_customers_of(actor=actor, partner=partner, indirect=True):
        # All of them are in the actor's scope (accounts' rule): the same answer without the scope subquery,
        # compiled once (building and compiling it cost the page more than the database's answer).
        return bool(_INDIRECT_CUSTOMER.rows(partner_id=partner.id))
    return customers_visible_to(actor=actor).filter(org__parent__parent=partner).exists()


def _indirect_customer(*, partner_id) -> QuerySet[Customer]:
    """A customer of one of the partner's indirect providers, if there is one."""
    indirect = Customer.objects.filter(org__parent__parent=partner_id, org__kind=OrgKind.CUSTOMER)
    # No order (the model's is by name): any one answers, and sorting them all first cost every view of the
    # customers page 7 ms at 10,000 customers.
    return indirect.order_by().values("pk")[:1]


_INDIRECT_CUSTOMER = CompiledQuery(_indirect_customer)


def customers_of_partner(
    *,
    actor,
    partner: Organization,
    search: str = "",
    status: str = "",
    sort: str = "name",
    include_indirect: bool = False,
    with_subscriber_count: bool = True,
) -> QuerySet[Customer]:
    """The partner's customers; a search also reaches the customers of its indirect providers, and an e-mail
    address finds the customer of the subscriber who has it (exact, through its unique index). Each with its
    ``subscriber_count`` unless ``with_subscriber_count`` is off (the list page counts for its page's rows in
    ``customer_list_shown``)."""
    # ``kind`` as well as ``parent``: the equality prefix of Organization's (parent, kind, name) index, so the
    # database walks the partner's customers in name order for a page instead of sorting all of them.
    scope = Q(org__parent=partner, org__kind=OrgKind.CUSTOMER)
    indirect = include_indirect or bool(search)
    if indirect:
        scope |= Q(org__parent__parent=partner, org__kind=OrgKind.CUSTOMER)
    # When the roles alone show all of them (accounts' rule), the same rows without the scope subquery: its
    # building cost the page more than any other query's, and PostgreSQL ran it once per row of a search.
    if sees_all_customers_of(actor=actor, partner=partner, indirect=indirect):
        qs = Customer.objects.filter(scope)
    else:
        qs = customers_visible_to(actor=actor).filter(scope)
    qs = qs.select_related("org", "org__parent")
    if search:
        qs = qs.filter(_matching(search, email=_email_of(search)))
    if status in CustomerStatus.values:
        qs = qs.filter(status=status)
    if with_subscriber_count:
        # A correlated count, not a JOIN + GROUP BY. Under an OFFSET the database still counts for every row
        # it skips (page 40 counted for 1,000 customers, and the plan's cost set PostgreSQL's JIT compiling
        # for most of a second): a page counts its own rows afterwards instead (customer_list_shown).
        subscribers = (
            Subscriber.objects.filter(customer=OuterRef("pk"))
            .order_by()
            .values("customer")
            .annotate(n=Count("id"))
        )
        qs = qs.annotate(subscriber_count=Coalesce(Subquery(subscribers.values("n")), 0))
    return qs.order_by(*_ordered_by(CUSTOMER_SORTS.get(sort, "org__name")))


def _matching(search: str, *, email: str | None) -> Q:
    """A search of the customers: a part of the name of the customer's organisation (joined for the row
    anyway), or the external id, or with ``email`` the customer of the subscriber who has that address.

    Tested on each row as the list's ordered index is walked: a frequent term ("Customer 0" at 10,000
    customers, status and newest first) finds its page in 0.5 ms, where ``org IN (organisations named so)``
    first matched every organisation of every partner (14 ms, the trigram index of core migration 0004 of
    no help for a term that most names hold). A rare term reads the partner's customers either way (a hash
    join, 28-33 ms on the slow machine: the OR with the external id leaves the trigram index unused)."""
    by_name, *others = _matches(search, email=email)
    for other in others:
        by_name |= other
    return by_name


def _matches(search: str, *, email: str | None) -> list[Q]:
    """The ways a customer matches a search (``_matching`` is any of them): the name first."""
    matches = [Q(org__name__icontains=search), Q(external_id__iexact=search)]
    if email is not None:
        person = Subscriber.objects.filter(customer=OuterRef("pk"), email=email)
        matches.append(Q(Exists(person)) & ~people_hidden_from_partner_staff())
    return matches


def _email_of(search: str) -> str | None:
    """The e-mail address a search term may be (one with an "@"), as addresses are kept (lower case)."""
    return search.lower() if "@" in search else None


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


def customer_list_rows(customers: QuerySet[Customer]) -> QuerySet[Customer]:
    """The Partner Hub customers page's rows: only the columns shown (``customer_list_shown`` adds the rest
    for a page's rows)."""
    return customers.only(*LIST_COLUMNS)


def customer_list_page(
    *, actor, partner: Organization, search: str = "", status: str = "", sort: str = "name"
) -> BoundList | QuerySet[Customer]:
    """The Partner Hub customers page's list: ``customer_list_rows(customers_of_partner(...))`` without the
    subscriber counts. For the partner's own admins (whose roles alone show all its customers, and for a
    search its indirect providers' too), a list compiled once per sort, filter and kind of search
    (``core.compiled.CompiledList``; a search's pattern is a parameter): building and compiling it cost each
    page more than the database's answer. A narrower scope is read as the queryset it is."""
    if not sees_all_customers_of(actor=actor, partner=partner, indirect=bool(search)):
        customers = customers_of_partner(
            actor=actor, partner=partner, search=search, status=status, sort=sort, with_subscriber_count=False
        )
        return customer_list_rows(customers)
    values = {"partner_id": partner.id} | ({"status": status} if status in CustomerStatus.values else {})
    email = _email_of(search) if search else None
    values |= ({"search": search} if search else {}) | ({"email": email} if email is not None else {})
    how, subpartners = "search" if search else "all", None
    if search and email is None and _names_indexed() and len(search) >= 3:
        probed = _NAMED_ORGS.rows(search=search, partner_id=partner.id, limit=SELECTIVE_NAMES + 1)
        named = [row["pk"] for row in probed if row["kind"] == OrgKind.CUSTOMER]
        subpartners = [row["pk"] for row in probed if row["kind"] == OrgKind.PARTNER]
        if len(named) <= SELECTIVE_NAMES:
            how, values["named"] = "named", uuid_array(named)
    order = CUSTOMER_SORTS.get(sort, "org__name")
    # Walks merged: in name order for any term that is not selective; in the other orders for an address,
    # which one scope and one test (name OR external id OR address) read for every customer of the partner.
    walked = order in NAME_ORDERS or email is not None
    if how == "search" and walked and connection.features.supports_slicing_ordering_in_compound:
        if subpartners is None:  # no probe (an address, a short term): the sub-partners alone
            subpartners = [row["pk"] for row in _SUBPARTNERS.rows(partner_id=partner.id)]
        how, values["subpartners"] = "walks", uuid_array(subpartners)
    return _CUSTOMER_PAGE.bind(order, how, **values)


# The orders that the organisations' (parent, kind, name) index gives a walk of one partner's customers.
NAME_ORDERS = ("org__name", "-org__name")

# A search term that names at most this many customer organisations (of every partner) is selective: its page
# is read through two indexes (the organisations found, the external id) instead of testing each row.
SELECTIVE_NAMES = 200


def _names_indexed() -> bool:
    """Whether organisation names have a trigram index (core migration 0004: PostgreSQL only)."""
    return connection.vendor == "postgresql"


def _named_orgs(*, search: str, partner_id, limit: int) -> QuerySet[Organization]:
    """The keys (and kinds) of up to ``limit`` (``SELECTIVE_NAMES`` + 1) customer organisations whose name
    holds ``search``: through the names' trigram index for a rare term, a short walk of the table for a
    frequent one; and in the same query the partner's sub-partners (``_subpartners``), which the walks of a
    frequent term name (a page's queries the same in number for a rare and a frequent term). The limit is a
    value (a parameter of the compiled SQL), not the constant written into it: the SQL compiled with one
    ``SELECTIVE_NAMES`` (a test's) was kept for the process with it."""
    named = Organization.objects.filter(kind=OrgKind.CUSTOMER, name__icontains=search)
    return _subpartners(partner_id=partner_id).union(named.order_by().values("pk", "kind")[:limit], all=True)


_NAMED_ORGS = CompiledQuery(_named_orgs)


def _subpartners(*, partner_id) -> QuerySet[Organization]:
    """The keys (and kinds) of the partner's sub-partners (its indirect providers)."""
    subpartners = Organization.objects.filter(parent=partner_id, kind=OrgKind.PARTNER)
    return subpartners.order_by().values("pk", "kind")


_SUBPARTNERS = CompiledQuery(_subpartners)


def _customer_page(
    order: str, how: str, *, partner_id, status=None, search=None, email=None, named=None, subpartners=None
) -> QuerySet[Customer]:
    """``customer_list_page``'s compiled list: the partner's customers as ``customers_of_partner`` reads
    them for an actor who sees them all (and with a search, its indirect providers' too). A search is tested
    on each row (``_matching``), or, for a selective term (``how`` "named", PostgreSQL), read as the
    customers of the organisations ``_named_orgs`` found or of that external id: the same customers, each side
    through its own index (a rare term at 10,000 customers: 26 -> 1 ms of query on the slow machine).

    A search in name order, or an address in any order (``how`` "walks", PostgreSQL, with the partner's
    ``subpartners``), is walks merged (``_walks_merged``)."""
    if how == "walks":
        return _walks_merged(
            order, partner_id=partner_id, subpartners=subpartners, status=status, search=search, email=email
        )
    scope = Q(org__parent=partner_id, org__kind=OrgKind.CUSTOMER)
    if search is not None:
        scope |= Q(org__parent__parent=partner_id, org__kind=OrgKind.CUSTOMER)
    qs = Customer.objects.filter(scope)
    if how == "named":
        qs = qs.filter(Q(in_uuid_array(Customer, "org_id", named)) | Q(external_id__iexact=search))
    elif search is not None:
        qs = qs.filter(_matching(search, email=email))
    return _page_rows(qs, order, status=status)


def _page_rows(customers: QuerySet[Customer], order: str, *, status=None) -> QuerySet[Customer]:
    """The list's rows of these customers: of that status, in that order (ties by the customer's key, in the
    order's direction: ``_ordered_by``)."""
    if status is not None:
        customers = customers.filter(status=status)
    return customer_list_rows(customers.select_related("org", "org__parent").order_by(*_ordered_by(order)))


def _walks_merged(
    order: str, *, partner_id, subpartners: str, status, search: str, email=None
) -> QuerySet[Customer]:
    """A search as walks merged (``UNION ALL``, each leg in the list's order): the partner's own customers
    named so (in name order along the organisations' (parent, kind, name) index, each name tested as it is
    walked, before the customer is read); its sub-partners' (its indirect providers') customers named so; and
    the customers found otherwise (the external id, the subscriber's address: a leg each, through its index),
    each leg without the rows of the legs before it. A page's query stops each leg at the page's last row
    (``core.compiled.CompiledList``) and PostgreSQL merges them. As one scope (``parent = partner OR
    parent's parent = partner``) and one test (name OR external id OR address), no index gave the name
    order: the database joined every customer that matched and sorted them all for a page. At 10,000
    customers on this machine (calibration 4.4 ms), in EXPLAIN ANALYZE: a frequent term 16 -> 0.15 ms (page
    40: 16 -> 2.3 ms), a term whose matches come last in name order 10.4 -> 2.9 ms, an address 16 -> 0.4 ms;
    the page's read with its rows (planning the legs included), 13.8 -> 2.4 ms.

    ``customer_list_page`` reads a search in name order so, and an address in every order: as one query, an
    address (which no name holds) tested every customer of the partner before the first page was known, in
    status or creation order as in name order (24-39 ms at 10,000 customers, calibration 7.5 ms, loaded);
    walked, the name legs find no name through the names' trigram index and the address leg its customer
    through the subscribers' unique index (0.3 ms). A part of a name in status or creation order stays
    one query: it walks the (status, id) or (created, id) index testing each row, which the legs would too.

    The sub-partners' customers are the customers whose organisation's parent's parent is the partner, as
    ``customers_of_partner`` has them: only partners hold organisations (a customer organisation has none
    below it). ``subpartners`` is the keys of the partner's sub-partners, one ``uuid[]`` parameter, read
    before (by the probe of ``_named_orgs``, or ``_SUBPARTNERS``): as a subquery (``parent IN (the partner's
    partners)``) the planner took each for a few hundred organisations (the organisations per parent on
    average, 10,000 of them the partner's own), read every organisation named so and hashed them against the
    sub-partners; with their keys it reads the customers of each through the index of their parents. That leg
    alone, 'Customer 0' at 10,000 customers: 3.5 -> 0.01 ms; the name order's page 7.3 -> 0.12 ms in EXPLAIN
    ANALYZE (calibration 4.1-7.5 ms, a shared machine)."""
    own, indirect = Q(org__parent=partner_id), Q(in_uuid_array(Organization, "parent_id", subpartners))
    by_name, *others = _matches(search, email=email)
    legs, before = [own & by_name, indirect & by_name], by_name
    for other in others:
        legs.append((own | indirect) & other & ~before)
        before |= other
    first, *rest = (
        _page_rows(Customer.objects.filter(leg, org__kind=OrgKind.CUSTOMER), order, status=status)
        for leg in legs
    )
    return first.union(*rest, all=True).order_by(*_ordered_by(order))


_CUSTOMER_PAGE = CompiledList(_customer_page)


# ``customer_list_shown``'s packages and subscriber counts of a page's customers on PostgreSQL: one query
# with the page's ids as one array parameter, written once. The two ORM queries it replaces (the packages'
# plain rows, the grouped count) cost the page more CPU to build and compile than the database took to run.
_SHOWN_SQL = (
    "SELECT page.id, (SELECT JSON_AGG(JSON_BUILD_ARRAY(p.code, p.status) ORDER BY p.code)::text "  # noqa: S608 (table names)
    f'FROM "{CustomerPackage._meta.db_table}" p WHERE p.customer_id = page.id), '
    f'(SELECT COUNT(*) FROM "{Subscriber._meta.db_table}" s WHERE s.customer_id = page.id) '
    "FROM UNNEST(%s::uuid[]) AS page(id)"
)


def _packages_and_counts(ids: list) -> tuple[dict, dict]:
    """({customer id: [(code, status), ...] by code}, {customer id: number of subscribers}) of these
    customers (a page's, already scoped): one query on PostgreSQL, two plain ones elsewhere."""
    packages: dict = {}
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(_SHOWN_SQL, [uuid_array(ids)])
            fetched = cursor.fetchall()
        for customer_id, rows, _count in fetched:
            packages[customer_id] = [(code, status) for code, status in json_rows(rows, sort=False)]
        return packages, {customer_id: count for customer_id, _rows, count in fetched}
    for customer_id, code, status in (
        CustomerPackage.objects.filter(customer_id__in=ids)
        .order_by("code")
        .values_list("customer_id", "code", "status")
    ):
        packages.setdefault(customer_id, []).append((code, status))
    counts = dict(
        Subscriber.objects.filter(customer_id__in=ids)
        .order_by()
        .values("customer_id")
        .annotate(n=Count("id"))
        .values_list("customer_id", "n")
    )
    return packages, counts


def customer_list_shown(rows: list[Customer]) -> list[Customer]:
    """What the customers page shows of a page's rows (customer_list.html), worked out once per row here
    rather than by filters and method calls in the template: the status badge, the packages' badges (label,
    status) and the number of subscribers (one query for the page's customers only,
    ``_packages_and_counts``) and the creation day as the page writes them."""
    ids = [row.pk for row in rows]
    badges: dict = {}
    counts: dict = {}
    if ids:
        packages, counts = _packages_and_counts(ids)
        status_labels = {value: str(label) for value, label in PackageStatus.choices}
        shown_badges = OncePerKey(lambda key: (package_label(key[0]), status_labels.get(key[1], key[1])))
        badges = {customer_id: [shown_badges[key] for key in keys] for customer_id, keys in packages.items()}
    # A page's rows share a few statuses, counts and days: each is worded once (in the page's language).
    statuses = OncePerKey(lambda row: row.shown_status, key=lambda row: (row.status, row.attach_state))
    numbers = OncePerKey(intcomma)
    days = OncePerKey(lambda local: date_shown(local, "Y-m-d"), key=lambda local: local.date())
    for row in rows:
        row.status_css, row.status_label = statuses[row]
        row.package_badges = badges.get(row.pk, [])
        row.subscribers_shown = numbers[counts.get(row.pk, 0)]
        row.created_shown = days[template_localtime(row.created)]
    return rows
