"""Reads about locations, phone numbers and extensions, always through the actor's scope: ``orgs_visible_to``,
or for a partner's customers the same rule as their organisations' columns (``children_visible_q``); a
location's numbers through the location, read in scope first."""

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404

from apps.accounts.selectors import children_visible_q, org_visible_key, orgs_visible_to
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
    numbers = PhoneNumber.objects.filter(location=OuterRef("pk"))
    assigned = numbers.filter(Q(subscriber__isnull=False) | Q(workspace__isnull=False))
    qs = _locations_in_scope(actor=actor, scope=scope, search=search).select_related("org")
    return qs.annotate(number_count=_count_of(numbers), assigned_count=_count_of(assigned))


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
)


def locations_for_api(*, actor, scope: Organization) -> QuerySet:
    """``GET /v1/partner/locations``: ``locations_of`` as plain rows of ``LOCATION_API_FIELDS``, without the
    number counts, which its body does not show, and without the organisation's row, of which the body
    shows the id alone."""
    return _locations_in_scope(actor=actor, scope=scope).values(*LOCATION_API_FIELDS)


def location_get(*, actor, scope: Organization, location_id: str) -> Location:
    pk = decode_id(location_id, IdType.LOCATION)
    location = (
        _in_scope(locations_visible_to(actor=actor), scope).select_related("org").filter(pk=pk).first()
        if pk
        else None
    )
    if location is None:
        raise Http404
    return location


def numbers_visible_to(*, actor) -> QuerySet[PhoneNumber]:
    return PhoneNumber.objects.filter(org__in=orgs_visible_to(actor=actor))


def _numbers_of_location(*, location: Location, status: str = "", search: str = "") -> QuerySet:
    """The numbers of a location already read through the actor's scope (``location_get``), and of its
    organisation: no second test of the organisation's visibility per number (a subquery of every
    organisation the actor sees, which a deep page's walk of the keys probed for each of them)."""
    qs = PhoneNumber.objects.filter(location=location, org=location.org_id)
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
    qs = _numbers_of_location(location=location, status=status, search=search)
    return qs.select_related("subscriber", "workspace")


NUMBER_API_FIELDS = ("id", "e164", "location_id", "org_id", "subscriber_id", "workspace_id")


def numbers_for_api(*, actor, location: Location, status: str = "") -> QuerySet:
    """``GET /v1/partner/locations/{id}/numbers``: ``numbers_of_location`` as plain rows of
    ``NUMBER_API_FIELDS``, what its body shows (the holders' ids, not their rows)."""
    return _numbers_of_location(location=location, status=status).values(*NUMBER_API_FIELDS)


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
