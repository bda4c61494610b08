"""Reads about locations, phone numbers and extensions, always through the actor's scope: ``orgs_visible_to``,
or for a partner's customers the same rule as their organisations' columns (``children_visible_q``); a
location's numbers through the location, read in scope first."""

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404

from apps.accounts.selectors import (
    Reach,
    children_reach,
    children_reach_ids,
    children_reach_q,
    children_visible_q,
    org_visible_key,
    orgs_visible_to,
    reach_ids,
    reach_of,
    reach_q,
)
from apps.core.compiled import BoundList, CompiledList, CompiledQuery
from apps.core.ids import IdType, decode_id
from apps.core.memo import known
from apps.core.models import Organization
from apps.locations.models import Extension, Location, NumberStatus, PhoneNumber


def locations_visible_to(*, actor) -> QuerySet[Location]:
    return Location.objects.filter(org__in=orgs_visible_to(actor=actor))


def _in_scope(qs: QuerySet, scope: Organization) -> QuerySet:
    """Rows of ``scope`` itself, or of the customers it manages when ``scope`` is a partner."""
    if scope.is_customer:
        return qs.filter(org=scope)
    return qs.filter(Q(org=scope) | Q(org__parent=scope))


def _scope_q(*, actor, scope: Organization) -> Q:
    """The rows of ``_in_scope(<rows visible to actor>, scope)`` as a condition on their organisation's
    columns: ``scope`` itself (by id when the guard already found it in the actor's scope, else through
    ``orgs_visible_to``), and for a partner its children the actor sees, from the actor's roles
    (``children_visible_q``). A partner's 15,000 locations were joined to their organisation and tested by
    an OR across the two tables, and every organisation went through the visibility's subquery."""
    if known(org_visible_key(actor=actor, org=scope)):
        own = Q(org=scope)
    else:
        own = Q(org__in=orgs_visible_to(actor=actor).filter(pk=scope.pk).values("pk"))
    if scope.is_customer:
        return own
    return own | children_visible_q(actor=actor, parent=scope, path="org__")


def _locations_in_scope(*, actor, scope: Organization, search: str = "") -> QuerySet[Location]:
    """The locations of an organisation (a partner: of its customers) in the lists' order: by organisation
    name, headquarters first, then by name."""
    qs = Location.objects.filter(_scope_q(actor=actor, scope=scope))
    if search:
        qs = qs.filter(
            Q(name__icontains=search) | Q(city__icontains=search) | Q(address_line1__icontains=search)
        )
    return qs.order_by("org__name", "-is_headquarters", "name", "id")


def _count_of(numbers: QuerySet[PhoneNumber]) -> Coalesce:
    """How many of ``numbers`` (filtered by ``OuterRef("pk")``, the location) there are, as a subquery per
    row: counted for the rows shown only, where a join and GROUP BY counted every number of every location
    the list holds before its page was cut."""
    counted = numbers.order_by().values("location").annotate(count=Count("pk")).values("count")
    return Coalesce(Subquery(counted), 0)


def locations_of(*, actor, scope: Organization, search: str = "") -> QuerySet[Location]:
    """The locations of an organisation (a partner: of its customers), each with its number counts."""
    return _with_counts(_locations_in_scope(actor=actor, scope=scope, search=search).select_related("org"))


def _with_counts(qs: QuerySet[Location]) -> QuerySet[Location]:
    """Each location with its ``number_count`` and ``assigned_count``."""
    numbers = PhoneNumber.objects.filter(location=OuterRef("pk"))
    assigned = numbers.filter(Q(subscriber__isnull=False) | Q(workspace__isnull=False))
    return qs.annotate(number_count=_count_of(numbers), assigned_count=_count_of(assigned))


def location_list_page(*, actor, scope: Organization, search: str = "") -> BoundList | QuerySet[Location]:
    """The Locations page's list: ``locations_of``. A customer organisation the guard already found in the
    actor's scope, unsearched: a list compiled once (``core.compiled.CompiledList``; building and compiling
    its counts' subqueries cost each page more than the database's answer). A search (a part of a text: a
    pattern, not a value) and a partner's locations are read as the queryset they are."""
    if search or not scope.is_customer or not known(org_visible_key(actor=actor, org=scope)):
        return locations_of(actor=actor, scope=scope, search=search)
    return _LOCATION_PAGE.bind(org_id=scope.id)


def _location_page(*, org_id) -> QuerySet[Location]:
    """``location_list_page``'s compiled list: ``locations_of`` of a customer organisation in scope."""
    ordered = Location.objects.filter(org=org_id).order_by("org__name", "-is_headquarters", "name", "id")
    return _with_counts(ordered.select_related("org"))


_LOCATION_PAGE = CompiledList(_location_page)


LOCATION_API_FIELDS = (
    "id",
    "org_id",
    "name",
    "address_line1",
    "address_line2",
    "city",
    "state_or_province",
    "zip_or_postal_code",
    "country",
    "timezone",
    "language",
    "emergency_location_identifier",
    "is_headquarters",
    "created",  # for the next page's cursor (the API's order), not shown
)
# ``GET /v1/partner/locations``' order: oldest first, as the API's other lists (the Webex Wholesale API lists
# subscribers by ``created`` by default; customers and workspaces here too): an index walk (``created``,
# ``id``, ``org_id``), which a keyset cursor follows. A partner's 15,000 locations by their organisation's
# name were all joined, sorted and cut for every page.
LOCATION_API_ORDER = ("created", "id")


def locations_for_api(*, actor, scope: Organization) -> BoundList:
    """``GET /v1/partner/locations``: the locations of ``scope`` (a partner: of its customers) the actor
    sees, oldest first, as plain rows of ``LOCATION_API_FIELDS``, without the number counts and the
    organisation's row, which the body does not show. A list whose pages are compiled once per process for
    each shape (``core.compiled.CompiledList``): the actor's reach, whether that alone shows the scope (the
    actor's own organisation), under a partner the part of the reach among its children, and the page's
    form; the ids are parameters."""
    reach = reach_of(actor)
    own_seen = reach is None or (Reach(0) in reach and scope.id == actor.org_id)
    parts = None if scope.is_customer else children_reach(actor=actor, parent=scope)
    values = children_reach_ids(actor, parts) | {"scope_id": scope.id}
    if not own_seen:
        values |= reach_ids(actor, reach)
    return _LOCATIONS_FOR_API.bind(reach, own_seen, scope.is_customer, parts, **values)


def _locations_for_api(
    reach, own_seen: bool, is_customer: bool, parts, *, scope_id, home_id=None, user_id=None
) -> QuerySet:
    """``locations_for_api``'s list: the locations of one subquery of organisations, on their own columns
    (a partner's locations walk the index of the order and test each one's organisation by its key; a deep
    page's keys probe the subquery's ids, ``core.pagination``): ``scope`` itself when the actor sees it
    (unless the reach alone says so, a subquery of that one organisation through ``reach_q``), and under a
    partner its children the actor sees (``children_reach_q``)."""
    orgs = Q(pk=scope_id)
    if not own_seen:
        seen = Organization.objects.filter(reach_q(reach, home_id=home_id, user_id=user_id), pk=scope_id)
        orgs &= Q(pk__in=seen.values("pk"))
    if not is_customer:
        orgs |= children_reach_q(parts, parent_id=scope_id, home_id=home_id, user_id=user_id)
    scoped = Location.objects.filter(org__in=Organization.objects.filter(orgs).values("pk"))
    return scoped.order_by(*LOCATION_API_ORDER).values(*LOCATION_API_FIELDS)


_LOCATIONS_FOR_API = CompiledList(_locations_for_api)


def location_get(*, actor, scope: Organization, location_id: str) -> Location:
    """The location behind an opaque id, of ``scope`` (itself, or a customer it manages when a partner), with
    its organisation; 404 when the actor does not see it. Compiled once per process for each reach of an
    actor and kind of scope (``core.compiled``): every location path of the API reads it first, and building
    and compiling the visibility's condition cost more than the row."""
    pk = decode_id(location_id, IdType.LOCATION)
    if pk is None:
        raise Http404
    reach = reach_of(actor)
    values = reach_ids(actor, reach) | {"pk": pk, "scope_id": scope.id}
    found = _LOCATION_SCOPED.rows(reach, scope.is_customer, **values)
    if not found:
        raise Http404
    return found[0]


def _location_scoped(reach, is_customer: bool, *, pk, scope_id, home_id=None, user_id=None) -> QuerySet:
    """``_in_scope(locations_visible_to(actor), scope)``'s location ``pk``, the visibility as columns of its
    organisation (``reach_q``; for one row by its key, cheaper than the subquery)."""
    qs = Location.objects.filter(reach_q(reach, home_id=home_id, user_id=user_id, path="org__"), pk=pk)
    qs = qs.filter(org=scope_id) if is_customer else qs.filter(Q(org=scope_id) | Q(org__parent=scope_id))
    return qs.select_related("org")


_LOCATION_SCOPED = CompiledQuery(_location_scoped, prepared=True)  # one location by its key


def numbers_visible_to(*, actor) -> QuerySet[PhoneNumber]:
    return PhoneNumber.objects.filter(org__in=orgs_visible_to(actor=actor))


def _numbers_of_location(*, location_id, org_id, status: str = "", search: str = "") -> QuerySet:
    """The numbers of a location already read through the actor's scope (``location_get``), and of its
    organisation: no second test of the organisation's visibility per number (a subquery of every
    organisation the actor sees, which a deep page's walk of the keys probed for each of them)."""
    qs = PhoneNumber.objects.filter(location=location_id, org=org_id)
    assigned = Q(subscriber__isnull=False) | Q(workspace__isnull=False)
    if status == NumberStatus.AVAILABLE:
        qs = qs.exclude(assigned)
    elif status == NumberStatus.ASSIGNED:
        qs = qs.filter(assigned)
    if search:
        qs = qs.filter(e164__contains=search)
    return qs.order_by("e164")


def numbers_of_location(*, actor, location: Location, status: str = "", search: str = "") -> QuerySet:
    """A location's numbers (the location read through the actor's scope: ``location_get``,
    ``locations_of``) by number, each with the person or workspace holding it."""
    qs = _numbers_of_location(location_id=location.pk, org_id=location.org_id, status=status, search=search)
    return qs.select_related("subscriber", "workspace")


def number_list_page(
    *, actor, location: Location, status: str = "", search: str = ""
) -> BoundList | QuerySet[PhoneNumber]:
    """The site page's list: ``numbers_of_location``. Unsearched, a list compiled once per status
    (``core.compiled.CompiledList``; building and compiling it cost each page more than the database's
    answer); a search (a part of a number: a pattern, not a value) is read as the queryset it is."""
    if search:
        return numbers_of_location(actor=actor, location=location, status=status, search=search)
    return _NUMBER_PAGE.bind(status, location_id=location.pk, org_id=location.org_id)


def _number_page(status: str, *, location_id, org_id) -> QuerySet:
    qs = _numbers_of_location(location_id=location_id, org_id=org_id, status=status)
    return qs.select_related("subscriber", "workspace")


_NUMBER_PAGE = CompiledList(_number_page)

NUMBER_API_FIELDS = ("id", "e164", "location_id", "org_id", "subscriber_id", "workspace_id")


def numbers_for_api(*, actor, location: Location, status: str = "") -> BoundList:
    """``GET /v1/partner/locations/{id}/numbers``: ``numbers_of_location`` as plain rows of
    ``NUMBER_API_FIELDS``, what its body shows (the holders' ids, not their rows). Its pages are compiled once
    per process for each status and page form (``core.compiled.CompiledList``)."""
    return _NUMBERS_FOR_API.bind(status, location_id=location.pk, org_id=location.org_id)


def _numbers_for_api(status: str, *, location_id, org_id) -> QuerySet:
    qs = _numbers_of_location(location_id=location_id, org_id=org_id, status=status)
    return qs.values(*NUMBER_API_FIELDS)


_NUMBERS_FOR_API = CompiledList(_numbers_for_api)


def number_get(*, actor, scope: Organization, number_id: str) -> PhoneNumber:
    pk = decode_id(number_id, IdType.NUMBER)
    number = (
        _in_scope(numbers_visible_to(actor=actor), scope)
        .select_related("location", "org", "subscriber")
        .filter(pk=pk)
        .first()
        if pk
        else None
    )
    if number is None:
        raise Http404
    return number


def number_by_e164(*, actor, org: Organization, e164: str) -> PhoneNumber | None:
    """A number of the organisation by its E.164 form (for the subscriber flows that name numbers)."""
    return numbers_visible_to(actor=actor).filter(org=org, e164=e164).first()


def extensions_of(*, actor, org: Organization) -> QuerySet[Extension]:
    return (
        Extension.objects.filter(org__in=orgs_visible_to(actor=actor)).filter(org=org).order_by("extension")
    )
