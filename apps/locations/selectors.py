"""Reads about locations, phone numbers and extensions, always through ``orgs_visible_to``."""

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from apps.accounts.selectors import orgs_visible_to
from apps.core.ids import IdType, decode_id
from apps.core.models import Organization
from apps.locations.models import Extension, Location, NumberStatus, PhoneNumber


def locations_visible_to(*, actor) -> QuerySet[Location]:
    return Location.objects.filter(org__in=orgs_visible_to(actor=actor))


def _in_scope(qs: QuerySet, scope: Organization) -> QuerySet:
    """Rows of ``scope`` itself, or of the customers it manages when ``scope`` is a partner."""
    if scope.is_customer:
        return qs.filter(org=scope)
    return qs.filter(Q(org=scope) | Q(org__parent=scope))


def locations_of(*, actor, scope: Organization, search: str = "") -> QuerySet[Location]:
    """The locations of an organisation (a partner: of its customers), each with its number counts."""
    qs = _in_scope(locations_visible_to(actor=actor), scope).select_related("org")
    if search:
        qs = qs.filter(
            Q(name__icontains=search) | Q(city__icontains=search) | Q(address_line1__icontains=search)
        )
    return qs.annotate(
        number_count=Count("numbers"),
        assigned_count=Count(
            "numbers", filter=Q(numbers__subscriber__isnull=False) | Q(numbers__workspace__isnull=False)
        ),
    ).order_by("org__name", "-is_headquarters", "name", "id")


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


def numbers_of_location(*, actor, location: Location, status: str = "", search: str = "") -> QuerySet:
    qs = numbers_visible_to(actor=actor).filter(location=location).select_related("subscriber", "workspace")
    assigned = Q(subscriber__isnull=False) | Q(workspace__isnull=False)
    if status == NumberStatus.AVAILABLE:
        qs = qs.exclude(assigned)
    elif status == NumberStatus.ASSIGNED:
        qs = qs.filter(assigned)
    if search:
        qs = qs.filter(e164__contains=search)
    return qs.order_by("e164")


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
