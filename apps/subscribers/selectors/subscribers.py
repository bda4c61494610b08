"""Reads about subscribers, always through ``customers_visible_to`` (itself ``orgs_visible_to``).

Lists are querysets that the caller slices (a LIMIT in SQL: no COUNT, a fixed number of queries per page);
each row arrives with its customer and organisation joined and its phone numbers and extensions prefetched.

At scale (a partner with hundreds of thousands of subscribers) the shapes matter more than the volume:
the visible customers are resolved once, as a subquery (``customer_id = (one customer)`` or
``customer_id IN (the customers)``), so the database walks one of Subscriber's ordered indexes
(``Meta.indexes``) instead of sorting everything; a deep page reads its keys from an index first
(``apps.core.pagination.page_slice``, as every list does); the search tests numbers and extensions with
uncorrelated subqueries, not joins with DISTINCT. ``tests/bench/test_subscriber_list_bench.py`` measures it.
"""

from collections.abc import Iterable
from datetime import datetime

from django.db import connection
from django.db.models import CharField, F, Func, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.lookups import In
from django.http import Http404

from apps.core.compiled import BoundList, CompiledList, CompiledQuery
from apps.core.ids import IdType, decode_id, decode_id_or_uuid
from apps.core.jsonrows import in_uuid_array, json_text, uuid_array
from apps.core.memo import OncePerKey
from apps.core.models import Organization
from apps.customers.selectors import (
    customer_ids_with_people_of_org,
    customers_with_people_of,
    customers_with_people_shape,
    customers_with_people_visible_to,
    packages_held,
)
from apps.locations.models import Extension, PhoneNumber
from apps.packages.catalogue import package_label
from apps.subscribers.models import Subscriber, SubscriberStatus

SUBSCRIBER_SORTS = {
    "name": ("last_name", "first_name", "email"),
    "-name": ("-last_name", "-first_name", "-email"),
    "email": ("email",),
    "-email": ("-email",),
    "package": ("package", "email"),
    "-package": ("-package", "email"),
    "status": ("status", "email"),
    "-status": ("-status", "email"),
    "created": ("created", "id"),
    "-created": ("-created", "id"),
}


class _Unindexed(Func):
    """A column SQLite must not pick an index for (``+column``): without statistics it takes
    ``customer_id IN (...)`` for selective and sorts every subscriber of a partner instead of walking the
    index of the ORDER BY. PostgreSQL has statistics and reads the bare column."""

    template = "%(expressions)s"

    def as_sqlite(self, compiler, connection, **extra):
        return super().as_sql(compiler, connection, template="+%(expressions)s", **extra)


def subscribers_visible_to(
    *, actor, org: Organization | None = None, partner: Organization | None = None, **customers
) -> QuerySet[Subscriber]:
    """The subscribers the actor may see: of one customer organisation with ``org``, of the visible
    customers (of ``partner`` when given) matching ``customers`` (lookups on Customer, e.g. ``id=...``)
    otherwise. The customers are resolved once in a subquery, so the database can walk an index of
    Subscriber in the order asked (one customer: an equality; several: a walk of the ORDER BY's index)."""
    visible = customers_with_people_visible_to(actor=actor, partner=partner)
    if org is not None:  # a customer organisation has at most one customer record
        found = _customer_found(actor=actor, visible=visible, org=org, partner=partner, **customers)
        return Subscriber.objects.filter(customer_id=found[0]) if found else Subscriber.objects.none()
    return _subscribers_of_customers(visible.filter(**customers), one=customers.get("id") is not None)


def _customer_found(*, actor, visible: QuerySet, org: Organization, partner, **customers) -> list:
    """The id of ``org``'s customer among ``visible`` (matching ``customers``), as a list of none or one.

    Read first (one query), so the database plans with the customer's own statistics: a subquery's value is
    unknown when planning, estimated as an average customer (200 of 200,000), and a customer of 100,000 was
    then sorted whole for a page instead of walking its ordered index."""
    if customers or partner is not None:
        return list(visible.filter(org=org, **customers).order_by().values_list("id", flat=True)[:1])
    return customer_ids_with_people_of_org(actor=actor, org=org)


def _subscribers_of_customers(customers: QuerySet, *, one: bool) -> QuerySet[Subscriber]:
    """The subscribers of these customers (of at most one with ``one``), resolved once in a subquery, so the
    database can walk an index of Subscriber in the order asked (one customer: an equality; several: a walk
    of the ORDER BY's index)."""
    if one:
        return Subscriber.objects.filter(customer_id=Subquery(customers.order_by().values("id")[:1]))
    return Subscriber.objects.filter(In(_Unindexed("customer_id"), customers.order_by().values("id")))


def with_calling(qs: QuerySet[Subscriber]) -> QuerySet[Subscriber]:
    """Rows ready to show: customer, organisation and location joined; numbers and extensions prefetched."""
    return qs.select_related("customer", "customer__org", "location").prefetch_related(
        Prefetch("phone_numbers", queryset=PhoneNumber.objects.order_by("e164")),
        Prefetch("extensions", queryset=Extension.objects.order_by("extension")),
    )


# A search term matching at most this many subscribers is "selective": its matches are read through the
# trigram indexes first (PostgreSQL). A term matching more is frequent enough that walking the page's ordered
# index and testing each row finds a page at once.
SELECTIVE_MATCHES = 1000


def _trigram_indexed() -> bool:
    """Whether the search columns have trigram indexes (migration 0002: PostgreSQL only)."""
    return connection.vendor == "postgresql"


def _search(qs: QuerySet[Subscriber], *, org: Organization, search: str) -> QuerySet[Subscriber]:
    """Subscribers whose name, e-mail or phone number contains ``search`` or whose extension is it.

    On PostgreSQL a term of three characters or more is first looked up in the trigram indexes (migration
    0002): one query reads up to ``SELECTIVE_MATCHES`` + 1 matching keys, and when there are no more than that
    the page is those rows (an index lookup instead of ``LIKE '%term%'`` over every subscriber of the
    customer). Otherwise, and elsewhere, one condition tests each row as the ordered index is walked."""
    if _trigram_indexed() and len(search) >= 3:
        found = [
            row["pk"] for row in _search_keys(qs, org_id=org.id, search=search, limit=SELECTIVE_MATCHES + 1)
        ]
        if len(found) <= SELECTIVE_MATCHES:
            return qs.filter(pk__in=found)
    return qs.filter(_matching(org_id=org.id, search=search))


def _matching(*, org_id, search: str) -> Q:
    """``_search``'s condition on each row: the name, e-mail or a number holds ``search``, or an extension
    is it. Numbers and extensions: uncorrelated subqueries (run once, no JOIN + DISTINCT over the list)."""
    return (
        Q(email__icontains=search)
        | Q(first_name__icontains=search)
        | Q(last_name__icontains=search)
        | Q(pk__in=_by_number(org_id=org_id, search=search))
        | Q(pk__in=_by_extension(org_id=org_id, search=search))
    )


def _by_number(*, org_id, search: str) -> QuerySet:
    numbers = PhoneNumber.objects.filter(org=org_id, e164__contains=search, subscriber__isnull=False)
    return numbers.values("subscriber_id")


def _by_extension(*, org_id, search: str) -> QuerySet:
    return Extension.objects.filter(org=org_id, extension=search, subscriber__isnull=False).values(
        "subscriber_id"
    )


def _search_keys(qs: QuerySet[Subscriber], *, org_id, search: str, limit: int) -> QuerySet:
    """The keys (``{"pk": ...}``) of up to ``limit`` (``SELECTIVE_MATCHES`` + 1) of ``qs``'s subscribers
    that ``_matching`` finds, each part through its own index (the trigram indexes on PostgreSQL). The limit
    is a value, a parameter of the compiled query (``_SEARCH_KEYS``), not the constant written into its SQL:
    compiled once per process, the SQL would keep whichever ``SELECTIVE_MATCHES`` it first saw."""
    keys = qs.order_by().values("pk")
    return keys.filter(email__icontains=search).union(
        keys.filter(first_name__icontains=search),
        keys.filter(last_name__icontains=search),
        keys.filter(pk__in=_by_number(org_id=org_id, search=search)),
        keys.filter(pk__in=_by_extension(org_id=org_id, search=search)),
    )[:limit]


def subscribers_of_org(
    *, actor, org: Organization, search: str = "", package: str = "", status: str = "", sort: str = "name"
) -> QuerySet[Subscriber]:
    """The Users page: one customer organisation's subscribers, searched by name, e-mail, number or
    extension, filtered by package and status. An organisation the actor may not see is a 404."""
    qs = subscribers_visible_to(actor=actor, org=org)
    search = (search or "").strip()
    if search:
        qs = _search(qs, org=org, search=search)
    if package:
        qs = qs.filter(package=package)
    if status in SubscriberStatus.values:
        qs = qs.filter(status=status)
    return with_calling(qs).order_by(*SUBSCRIBER_SORTS.get(sort, SUBSCRIBER_SORTS["name"]))


def subscriber_get(*, actor, subscriber_id: str, org: Organization | None = None) -> Subscriber:
    """One subscriber the actor may see (of ``org`` when given), by its Webex id or uuid; else 404."""
    pk = decode_id_or_uuid(subscriber_id, IdType.SUBSCRIBER)
    if pk is None:
        raise Http404
    qs = subscribers_visible_to(actor=actor, org=org)
    found = with_calling(qs).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


# --- The Control Hub Users page (helper "users") -----------------------------------------------------------


def subscriber_packages_held(*, customer) -> list[str]:
    """The person packages the customer holds (provisioned), in the catalogue's order: what a user may get."""
    from apps.packages.constants import SUBSCRIBER_PACKAGES

    held = packages_held(customer=customer)
    return [str(code) for code in SUBSCRIBER_PACKAGES if code in held]


def numbers_available_of(*, actor, org: Organization) -> QuerySet[PhoneNumber]:
    """The organisation's phone numbers that nobody holds, with their location (for a number picker)."""
    from apps.locations.selectors import numbers_visible_to

    return (
        numbers_visible_to(actor=actor)
        .filter(org=org, subscriber__isnull=True, workspace__isnull=True)
        .select_related("location")
        .order_by("e164")
    )


def subscriber_package_history(*, subscriber: Subscriber) -> QuerySet:
    """The subscriber's package intervals, newest first (the subscriber was read through the scoping
    selector already)."""
    from apps.subscribers.models import PackageAssignment

    return (
        PackageAssignment.objects.filter(subscriber_uuid=subscriber.pk)
        .select_related("location")
        .order_by("-started_at", "-id")
    )


# --- The Wholesale Subscribers API (``/v1/wholesale/subscribers``) -----------------------------------------

API_SORTS = {
    ("created", False): ("created", "id"),
    ("created", True): ("-created", "-id"),
    ("lastStatusChange", False): (F("status_changed").asc(nulls_first=True), "id"),
    ("lastStatusChange", True): (F("status_changed").desc(nulls_last=True), "-id"),
}


# What ``GET /v1/wholesale/subscribers`` renders of a subscriber (``api.serializers.SubscriberSerializer``).
SUBSCRIBER_API_FIELDS = (
    "id",
    "customer",
    "user",
    "email",
    "package",
    "status",
    "errors",
    "created",
    "status_changed",
    "customer__id",
    "customer__external_id",
    "user__id",
)


def subscribers_for_api(**filters) -> QuerySet[Subscriber]:
    """``GET /v1/wholesale/subscribers``'s subscribers as model instances (``subscriber_rows_for_api``'s
    keyword arguments): customer and person joined, one query a page."""
    # The columns the API's subscriber body shows: not the customer's wide ones (its template snapshot,
    # limits, calling location) nor the person's, 100 times a page.
    form, values = _api_shape(**filters)
    return (
        _subscribers_for_api(*form, **values).select_related("customer", "user").only(*SUBSCRIBER_API_FIELDS)
    )


def _api_shape(
    *,
    actor,
    partner: Organization,
    org: Organization | None = None,
    customer_id: str = "",
    person_id: str = "",
    external_customer_id: str = "",
    email: str = "",
    statuses: Iterable[str] = (),
    created_after: datetime | None = None,
    changed_after: datetime | None = None,
    sort_by: str = "created",
    descending: bool = False,
) -> tuple[tuple, dict]:
    """``GET /v1/wholesale/subscribers``'s arguments as the form and values of ``_subscribers_for_api``: the
    subscribers of the partner's customers the actor may see (of ``org`` only when a customer organisation
    is named), filtered and ordered."""
    form, values = customers_with_people_shape(actor=actor, partner=partner)
    customers = {}
    if customer_id:
        customers["id"] = decode_id(customer_id, IdType.CUSTOMER)
    if external_customer_id:
        customers["external_id"] = external_customer_id
    if None in customers.values():  # an id that is not a customer's: nobody
        which = "none"
    elif org is not None:
        visible = customers_with_people_of(*form, **values)
        found = _customer_found(actor=actor, visible=visible, org=org, partner=partner, **customers)
        which, values = ("found", {"customer": found[0]}) if found else ("none", {})
    else:
        which = "one" if "id" in customers else "any"
        values |= {f"customer_{name}": value for name, value in customers.items()}
    if person_id:
        pk = decode_id(person_id, IdType.PEOPLE)
        which, values = ("none", {}) if pk is None else (which, values | {"person": pk})
    if email:  # stored lower-case (the service and migration 0012): the unique index answers
        values["email"] = email.strip().lower()
    statuses = list(statuses)
    values |= {f"status{i}": status for i, status in enumerate(statuses)}
    if created_after is not None:
        values["created_after"] = created_after
    if changed_after is not None:
        values["changed_after"] = changed_after
    sort = (sort_by, descending) if (sort_by, descending) in API_SORTS else ("created", False)
    return (*form, which, len(statuses), sort), {} if which == "none" else values


def _subscribers_for_api(
    parts,
    partner_staff: bool,
    which: str,
    n_statuses: int,
    sort: tuple,
    *,
    person=None,
    email=None,
    created_after=None,
    changed_after=None,
    **values,
) -> QuerySet[Subscriber]:
    """``_api_shape``'s list: the subscribers of ``which`` customers — the one ``customer`` found first, the
    one ``customer_id``, any matching ``customer_external_id``, or none — of those the actor sees."""
    statuses = [values.pop(f"status{i}") for i in range(n_statuses)]
    if which == "none":
        return Subscriber.objects.none()
    if which == "found":
        qs = Subscriber.objects.filter(customer_id=values["customer"])
    else:
        customers = {
            name[len("customer_") :]: values.pop(name)
            for name in list(values)
            if name.startswith("customer_")
        }
        visible = customers_with_people_of(parts, partner_staff, **values).filter(**customers)
        qs = _subscribers_of_customers(visible, one=which == "one")
    if person is not None:
        qs = qs.filter(user_id=person, status=SubscriberStatus.PROVISIONED)
    if email is not None:
        qs = qs.filter(email=email)
    if statuses:
        qs = qs.filter(status__in=statuses)
    if created_after is not None:
        qs = qs.filter(created__gt=created_after)
    if changed_after is not None:
        qs = qs.filter(status_changed__gt=changed_after)
    return qs.order_by(*API_SORTS[sort])


# ``subscriber_rows_for_api``'s row: what the API's subscriber body shows (``api.serializers``).
SUBSCRIBER_API_VALUES = (
    "id",
    "user_id",
    "email",
    "package",
    "status",
    "created",
    "status_changed",
    "customer_id",
    "customer__external_id",
)  # and ``errors`` as text, ``errors_json`` (apps.core.jsonrows)


def subscriber_rows_for_api(**filters) -> BoundList:
    """``subscribers_for_api`` (the same keyword arguments and order) as plain rows of
    ``SUBSCRIBER_API_VALUES``: the list renders a page from these without building model instances (nor
    the joins and deferred columns of instances, which ``.values()`` would drop again). Its pages are
    compiled once per process for each shape (``core.compiled.CompiledList``): the actor's reach under the
    partner, the filters given, the sort and the page's form; building and compiling the page query (the
    customers' scope as a subquery) cost each request more than reading its rows."""
    form, values = _api_shape(**filters)
    return _SUBSCRIBER_ROWS_FOR_API.bind(*form, **values)


def _subscriber_rows_for_api(*form, **values) -> QuerySet:
    return _subscribers_for_api(*form, **values).values(
        *SUBSCRIBER_API_VALUES, errors_json=json_text("errors")
    )


_SUBSCRIBER_ROWS_FOR_API = CompiledList(_subscriber_rows_for_api)


def subscriber_get_for_api(
    *, actor, subscriber_id: str, partner: Organization | None = None, org: Organization | None = None
) -> Subscriber:
    """One subscriber the actor may see, by its Webex id (of a customer of ``partner`` / of ``org`` when
    given), with its customer, organisation and person; else 404."""
    pk = decode_id(subscriber_id, IdType.SUBSCRIBER)
    if pk is None:
        raise Http404
    qs = subscribers_visible_to(actor=actor).filter(pk=pk)
    if partner is not None:
        qs = qs.filter(customer__org__parent=partner)
    if org is not None:
        qs = qs.filter(customer__org=org)
    found = qs.select_related("customer", "customer__org", "user").first()
    if found is None:
        raise Http404
    return found


# What a row of the Users page shows (user_list.html): every row is of the page's one customer, so the
# customer (and its wide template snapshot, decoded per row) is not joined; the numbers and extensions of a
# page's rows are read afterwards, together (``user_list_shown``).
USER_ROW_COLUMNS = (
    "id",
    "customer_id",
    "email",
    "first_name",
    "last_name",
    "chosen_display_name",
    "package",
    "status",
    "location__id",
    "location__name",
)


def user_list_rows(subscribers: QuerySet[Subscriber]) -> QuerySet[Subscriber]:
    """The Users page's rows: only the columns shown (``user_list_shown`` adds the rest for a page's rows)."""
    return (
        subscribers.select_related(None)
        .select_related("location")
        .only(*USER_ROW_COLUMNS)
        .prefetch_related(None)
    )


def user_list_page(
    *, actor, org: Organization, search: str = "", package: str = "", status: str = "", sort: str = "name"
) -> BoundList | QuerySet[Subscriber]:
    """The Users page's list: ``user_list_rows(subscribers_of_org(...))``. Of the customer the page's guard
    found (``customer_ids_with_people_of_org``, remembered), a list compiled once per sort, filter and kind
    of search (``core.compiled.CompiledList``: building and compiling it cost each page more than the
    database's answer; a search's patterns are parameters): a term looked up in the trigram indexes first
    (``_search``) is the page of its keys (on PostgreSQL one ``uuid[]`` parameter), any other tested on
    each row."""
    found = customer_ids_with_people_of_org(actor=actor, org=org)
    if not found:
        return user_list_rows(
            subscribers_of_org(actor=actor, org=org, search=search, package=package, status=status, sort=sort)
        )
    values = {"customer_id": found[0]} | ({"package": package} if package else {})
    values |= {"status": status} if status in SubscriberStatus.values else {}
    search = (search or "").strip()
    how = "all"
    if search:
        how, values["org_id"], values["search"] = "search", org.id, search
        if _trigram_indexed() and len(search) >= 3:
            keys = [
                row["pk"]
                for row in _SEARCH_KEYS.rows(
                    customer_id=found[0], org_id=org.id, search=search, limit=SELECTIVE_MATCHES + 1
                )
            ]
            if len(keys) <= SELECTIVE_MATCHES:
                del values["org_id"], values["search"]
                how = "keys" if keys else "none"  # none: no page query, as ``pk__in=[]`` runs none
                values |= {"keys": uuid_array(keys)} if keys else {}
    return _USER_PAGE.bind(sort if sort in SUBSCRIBER_SORTS else "name", how, **values)


def _user_page(
    sort: str, how: str, *, customer_id, package=None, status=None, org_id=None, search=None, keys=None
) -> QuerySet[Subscriber]:
    """``user_list_page``'s compiled list: ``subscribers_of_org`` of the customer: all of them, those
    ``_matching`` a search, those of a ``uuid[]`` of keys ``_search_keys`` found (PostgreSQL), or none."""
    qs = Subscriber.objects.filter(customer_id=customer_id)
    if how == "none":
        return user_list_rows(qs.none())
    if how == "search":
        qs = qs.filter(_matching(org_id=org_id, search=search))
    elif how == "keys":
        qs = qs.filter(in_uuid_array(Subscriber, "id", keys))
    if package is not None:
        qs = qs.filter(package=package)
    if status is not None:
        qs = qs.filter(status=status)
    return user_list_rows(qs.order_by(*SUBSCRIBER_SORTS[sort]))


def _search_keys_of(*, customer_id, org_id, search: str, limit: int) -> QuerySet:
    qs = Subscriber.objects.filter(customer_id=customer_id)
    return _search_keys(qs, org_id=org_id, search=search, limit=limit)


_SEARCH_KEYS = CompiledQuery(_search_keys_of)
_USER_PAGE = CompiledList(_user_page)


# ``_calling_of`` on PostgreSQL: the page's ids as one array parameter, SQL written once. Building the ORM's
# union of two querysets (and quoting a parameter per id, twice) cost the page more CPU than running it.
_CALLING_SQL = (
    f"SELECT subscriber_id, e164, 'n' FROM \"{PhoneNumber._meta.db_table}\" "  # noqa: S608 (table names)
    "WHERE subscriber_id = ANY(%(ids)s::uuid[]) UNION ALL "
    f"SELECT subscriber_id, extension, 'x' FROM \"{Extension._meta.db_table}\" "
    "WHERE subscriber_id = ANY(%(ids)s::uuid[])"
)


def _calling_of(ids: list) -> tuple[dict, dict]:
    """The numbers and the extensions of these subscribers, each sorted, as ``{subscriber id: [text]}``: one
    query of plain rows for a page (the two tables together), no model instances."""
    numbers: dict = {}
    extensions: dict = {}
    if not ids:
        return numbers, extensions
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(_CALLING_SQL, {"ids": uuid_array(ids)})
            held = cursor.fetchall()
    else:
        kind = CharField()
        held = (
            PhoneNumber.objects.filter(subscriber_id__in=ids)
            .order_by()
            .annotate(kind=Value("n", output_field=kind))
            .values_list("subscriber_id", "e164", "kind")
            .union(
                Extension.objects.filter(subscriber_id__in=ids)
                .order_by()
                .annotate(kind=Value("x", output_field=kind))
                .values_list("subscriber_id", "extension", "kind"),
                all=True,
            )
        )
    for subscriber_id, text, which in held:
        (numbers if which == "n" else extensions).setdefault(subscriber_id, []).append(text)
    for found in (numbers, extensions):
        for texts in found.values():
            texts.sort()
    return numbers, extensions


def user_list_shown(rows: list[Subscriber]) -> list[Subscriber]:
    """What the Users page shows of a page's rows (user_list.html), worked out once per row here rather than
    by filters, loops and method calls in the template: the package's and the status's labels, the location's
    name, and the numbers then the extensions as one text ("+14085550100, +14085550101 · x2001")."""
    numbers, extensions = _calling_of([row.pk for row in rows])
    # A page's rows share a few packages and statuses: each is worded once (in the page's language).
    packages = OncePerKey(package_label)
    statuses = OncePerKey(lambda row: row.get_status_display(), key=lambda row: row.status)
    for row in rows:
        held = (", ".join(numbers.get(row.pk, ())), ", ".join(f"x{e}" for e in extensions.get(row.pk, ())))
        row.calling_shown = " · ".join(part for part in held if part)
        row.package_shown = packages[row.package]
        row.status_shown = statuses[row]
        row.location_shown = row.location.name if row.location_id else ""
    return rows
