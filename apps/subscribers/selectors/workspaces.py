"""Reads about workspaces, always through the customers whose people the actor sees
(``customers_with_people_visible_to``, itself ``orgs_visible_to``).

Lists are querysets that the caller slices (a LIMIT in SQL: no COUNT, a fixed number of queries per page).
The Workspaces page's rows arrive with their location joined and are given their numbers and extensions a
page at a time as plain values (``workspace_list_shown``); the API's are plain rows, given their first number
and extension a page at a time (``with_numbers_and_extensions``); one workspace (``workspace_get``) comes with
its customer and organisation too.
"""

from django.db import connection
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from apps.core.compiled import BoundList, CompiledList
from apps.core.ids import IdType, decode_id_or_uuid
from apps.core.jsonrows import uuid_array
from apps.core.models import Organization
from apps.customers.models import Customer
from apps.customers.selectors import (
    customer_ids_with_people_of_org,
    customers_visible_to,
    customers_with_people_in_reach,
    customers_with_people_of,
    customers_with_people_reach_shape,
    customers_with_people_shape,
    customers_with_people_visible_to,
    packages_held,
)
from apps.locations.models import Extension, Location, PhoneNumber
from apps.subscribers.models import PackageAssignment, Workspace

SEARCH_MAX = 100


def workspaces_visible_to(*, actor) -> QuerySet[Workspace]:
    """The workspaces of the customers whose people the actor sees (restrictions hide them from a partner
    that only provisions, as they hide users)."""
    return Workspace.objects.filter(customer__in=customers_with_people_visible_to(actor=actor))


def with_calling(qs: QuerySet[Workspace]) -> QuerySet[Workspace]:
    """Rows ready to show: customer, organisation and location joined; numbers and extensions prefetched."""
    return _with_numbers(qs.select_related("customer", "customer__org", "location"))


def _with_numbers(qs: QuerySet[Workspace]) -> QuerySet[Workspace]:
    """Each workspace's numbers and extensions prefetched, in order."""
    return qs.prefetch_related(
        Prefetch("phone_numbers", queryset=PhoneNumber.objects.order_by("e164")),
        Prefetch("extensions", queryset=Extension.objects.order_by("extension")),
    )


def _in_scope(qs: QuerySet[Workspace], scope: Organization) -> QuerySet[Workspace]:
    """Workspaces of ``scope`` itself (a customer), or of the customers it manages (a partner)."""
    if scope.is_customer:
        return qs.filter(customer__org=scope)
    return qs.filter(customer__org__parent=scope)


def _search(qs: QuerySet[Workspace], search: str, *, org: Organization) -> QuerySet[Workspace]:
    """Workspaces whose name holds ``search``, or that hold a number containing it or that extension: each
    side read on its own, the numbers and the extension through ``org``'s indexes (its numbers by e164, its
    extensions by their unique key), so that no join multiplies the workspaces to be made distinct again (the
    join and DISTINCT: 3.2 ms of query at 2,000 workspaces and 5,000 numbers, 2.0 ms so)."""
    search = (search or "").strip()[:SEARCH_MAX]
    if not search:
        return qs
    numbers = PhoneNumber.objects.filter(org=org, e164__contains=search, workspace__isnull=False)
    extensions = Extension.objects.filter(org=org, extension=search, workspace__isnull=False)
    return qs.filter(
        Q(name__icontains=search)
        | Q(pk__in=numbers.values("workspace_id"))
        | Q(pk__in=extensions.values("workspace_id"))
    )


def workspaces_of_org(*, actor, org: Organization, search: str = "") -> QuerySet[Workspace]:
    """The Workspaces page: one customer organisation's workspaces, searched by name, number or extension;
    each with its location (the page shows no more of its customer than the organisation it is on: joined
    to both, every workspace of the customer was read whole before the page was cut)."""
    # The customer's id from the page's read memo (its guard and view read the record anyway): the
    # workspaces by their customer's index without a subquery (0.1 ms at 2,000, where the subquery's plan
    # took 2.3).
    qs = Workspace.objects.filter(customer__in=customer_ids_with_people_of_org(actor=actor, org=org))
    qs = _search(qs, search, org=org)
    return qs.select_related("location").order_by("name", "id")


def workspace_list_shown(rows: list[Workspace]) -> list[Workspace]:
    """The rows of a page of ``workspaces_of_org``, each with ``numbers_shown`` and ``extensions_shown``: all
    its numbers and all its extensions, in order, as plain strings read in two queries of values for the
    page. Prefetched (``with_calling``), the same two queries built a related manager and a queryset per
    row, a quarter of the page's CPU."""
    ids = [row.pk for row in rows]
    numbers: dict = {pk: [] for pk in ids}
    extensions: dict = {pk: [] for pk in ids}
    if ids:
        for workspace_id, e164 in (
            PhoneNumber.objects.filter(workspace__in=ids).order_by("e164").values_list("workspace_id", "e164")
        ):
            numbers[workspace_id].append(e164)
        for workspace_id, extension in (
            Extension.objects.filter(workspace__in=ids)
            .order_by("extension")
            .values_list("workspace_id", "extension")
        ):
            extensions[workspace_id].append(extension)
    for row in rows:
        row.numbers_shown, row.extensions_shown = numbers[row.pk], extensions[row.pk]
    return rows


API_FIELDS = ("id", "customer_id", "name", "location_id", "package", "created")
API_ORDER = ("created", "id")


def workspaces_for_api(
    *,
    actor,
    scope: Organization,
    customer: Customer | None = None,
    location: Location | None = None,
) -> BoundList:
    """``GET /v1/partner/workspaces``: the scope's workspaces, oldest first, optionally of one customer or
    location (both read through the actor's scope), as plain rows of ``API_FIELDS`` with their first number
    and extension (``with_numbers_and_extensions``): what the body shows. A list whose pages are compiled
    once per process for each shape (``core.compiled.CompiledList``): the scope's kind, the actor's reach
    (under the partner), whether it is a partner's staff, the filters given and the page's form; building
    and compiling the customers' subquery cost each request more than reading its rows."""
    if scope.is_customer:
        form, ids = customers_with_people_reach_shape(actor=actor)
        ids |= {"org_id": scope.id}
    else:
        form, ids = customers_with_people_shape(actor=actor, partner=scope)
    if customer is not None:
        ids["customer_id"] = customer.pk
    if location is not None:
        ids["location_id"] = location.pk
    return _WORKSPACES_FOR_API.bind(scope.is_customer, *form, **ids)


def _workspaces_for_api(
    is_customer: bool,
    reach,
    partner_staff: bool,
    *,
    org_id=None,
    parent_id=None,
    home_id=None,
    user_id=None,
    customer_id=None,
    location_id=None,
) -> QuerySet:
    """``workspaces_for_api``'s list: ``_in_scope(workspaces_visible_to(actor), scope)`` with the customers
    found first, in one subquery (the customer organisation ``org_id``'s record, or the customers of the
    partner ``parent_id``), and the workspaces then by their customer's index. Joined to their customer and
    organisation, every workspace of the customer was tested one by one against the visibility, and the
    planner, taking one organisation's workspaces for one row, scanned and sorted them all. ``reach``: the
    actor's reach (under the partner, its part there)."""
    if is_customer:
        people = customers_with_people_in_reach(reach, partner_staff, home_id=home_id, user_id=user_id)
        customers = people.filter(org=org_id)
    else:
        customers = customers_with_people_of(
            reach, partner_staff, parent_id=parent_id, home_id=home_id, user_id=user_id
        )
    qs = Workspace.objects.filter(customer__in=customers.values("pk"))
    if customer_id is not None:
        qs = qs.filter(customer=customer_id)
    if location_id is not None:
        qs = qs.filter(location=location_id)
    return qs.order_by(*API_ORDER).values(*API_FIELDS)


_NUMBERS_TABLE, _EXTENSIONS_TABLE = PhoneNumber._meta.db_table, Extension._meta.db_table
# The first number and the first extension of a workspace (of the row ``w``), in the orders ``with_calling``
# prefetches them in.
_FIRST_NUMBER_SQL = f'(SELECT e164 FROM "{_NUMBERS_TABLE}" WHERE workspace_id = w.id ORDER BY e164 LIMIT 1)'  # noqa: S608 (constants)
_FIRST_EXTENSION_SQL = (
    f'(SELECT extension FROM "{_EXTENSIONS_TABLE}" WHERE workspace_id = w.id ORDER BY extension LIMIT 1)'  # noqa: S608 (constants)
)
# The page as the ORM wrote it (scope, filters, order, OFFSET and LIMIT), each of its rows, only those, with
# its first number and extension: no second query for them.
_PAGE_WITH_FIRST_SQL = (
    f"SELECT w.*, {_FIRST_NUMBER_SQL} AS phone_number, {_FIRST_EXTENSION_SQL} AS extension "  # noqa: S608 (constants)
    "FROM ({page}) w ORDER BY " + ", ".join(f'w."{name}"' for name in API_ORDER)
)


def _with_first_sql(page: str, vendor: str) -> str:
    """A page of ``workspaces_for_api``, on PostgreSQL each row with ``phone_number`` and ``extension``
    (``with_numbers_and_extensions`` keeps them): one query a page instead of two. Elsewhere, plain rows."""
    return _PAGE_WITH_FIRST_SQL.replace("{page}", page) if vendor == "postgresql" else page


_WORKSPACES_FOR_API = CompiledList(_workspaces_for_api, around=_with_first_sql)

# The first number and the first extension of each workspace of a ``uuid[]`` parameter.
_FIRST_OF_EACH_SQL = (
    f"SELECT w.id, {_FIRST_NUMBER_SQL}, {_FIRST_EXTENSION_SQL} FROM unnest(%s::uuid[]) AS w(id)"  # noqa: S608 (constants)
)


def _first_of_each(ids: list) -> dict:
    """``{workspace id: (first number, first extension)}``: on PostgreSQL one query with the page's ids as
    one parameter (``core.jsonrows.uuid_array``); elsewhere two, of plain values."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(_FIRST_OF_EACH_SQL, [uuid_array(ids)])
            return {
                workspace_id: (number, extension) for workspace_id, number, extension in cursor.fetchall()
            }
    numbers: dict = {}
    for workspace_id, e164 in (
        PhoneNumber.objects.filter(workspace__in=ids).order_by("e164").values_list("workspace_id", "e164")
    ):
        numbers.setdefault(workspace_id, e164)
    extensions: dict = {}
    for workspace_id, extension in (
        Extension.objects.filter(workspace__in=ids)
        .order_by("extension")
        .values_list("workspace_id", "extension")
    ):
        extensions.setdefault(workspace_id, extension)
    return {pk: (numbers.get(pk), extensions.get(pk)) for pk in ids}


def with_numbers_and_extensions(rows: list[dict]) -> list[dict]:
    """The rows of a page of ``workspaces_for_api``, each with ``phone_number`` and ``extension``: the
    first of its numbers and of its extensions (as ``with_calling`` orders them), or None; as the page's own
    query read them (PostgreSQL), or read as plain values (``_first_of_each``), where the prefetches of
    ``with_calling`` were two queries of model instances."""
    if not rows or "phone_number" in rows[0]:
        return rows
    first = _first_of_each([row["id"] for row in rows])
    return [{**row, "phone_number": first[row["id"]][0], "extension": first[row["id"]][1]} for row in rows]


def workspace_get(*, actor, workspace_id: str, scope: Organization | None = None) -> Workspace:
    """One workspace the actor may see (of ``scope``, a customer or a partner, when given), by its Webex
    id or uuid; else 404."""
    pk = decode_id_or_uuid(workspace_id, IdType.WORKSPACE)
    if pk is None:
        raise Http404
    qs = workspaces_visible_to(actor=actor)
    if scope is not None:
        qs = _in_scope(qs, scope)
    found = with_calling(qs).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def workspace_intervals(*, workspace: Workspace) -> QuerySet[PackageAssignment]:
    """The workspace's package intervals, newest first (the workspace was already read through scope)."""
    return PackageAssignment.objects.filter(workspace_uuid=workspace.pk).order_by("-started_at", "-id")


def workspace_numbers_available(*, actor, org: Organization, limit: int = 200) -> list[str]:
    """Unassigned numbers of the organisation (a form's suggestions), at most ``limit``."""
    qs = PhoneNumber.objects.filter(org__in=customers_visible_to(actor=actor).values("org")).filter(
        org=org, subscriber__isnull=True, workspace__isnull=True
    )
    return list(qs.order_by("e164").values_list("e164", flat=True)[:limit])


def workspace_locations(*, actor, org: Organization) -> QuerySet[Location]:
    """The organisation's locations a workspace can be at, headquarters first."""
    qs = Location.objects.filter(org__in=customers_visible_to(actor=actor).values("org")).filter(org=org)
    return qs.order_by("-is_headquarters", "name")


def workspace_packages_held(*, customer: Customer) -> list[str]:
    """The provisioned packages of the (already scoped) customer that a workspace can hold."""
    from apps.packages import catalogue

    return [
        code
        for code in sorted(packages_held(customer=customer))
        if (p := catalogue.package_get(code)) and p.assignable_to_workspaces
    ]
