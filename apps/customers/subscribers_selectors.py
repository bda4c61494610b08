"""Reads about subscribers, always through ``customers_visible_to`` (itself ``orgs_visible_to``).

Lists are querysets that the caller slices (a LIMIT in SQL: no COUNT, a fixed number of queries per page);
each row arrives with its customer and organisation joined and its phone numbers and extensions prefetched.
"""

import uuid
from collections.abc import Iterable
from datetime import datetime

from django.db.models import F, Prefetch, Q, QuerySet
from django.http import Http404

from apps.core.ids import IdType, decode_id
from apps.core.models import Organization

from .models import Subscriber, SubscriberStatus
from .numbers_models import Extension, PhoneNumber
from .selectors import customers_visible_to

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


def subscribers_visible_to(*, actor) -> QuerySet[Subscriber]:
    return Subscriber.objects.filter(customer__in=customers_visible_to(actor=actor))


def with_calling(qs: QuerySet[Subscriber]) -> QuerySet[Subscriber]:
    """Rows ready to show: customer, organisation and location joined; numbers and extensions prefetched."""
    return qs.select_related("customer", "customer__org", "location").prefetch_related(
        Prefetch("phone_numbers", queryset=PhoneNumber.objects.order_by("e164")),
        Prefetch("extensions", queryset=Extension.objects.order_by("extension")),
    )


def subscribers_of_org(
    *, actor, org: Organization, search: str = "", package: str = "", status: str = "", sort: str = "name"
) -> QuerySet[Subscriber]:
    """The Users page: one customer organisation's subscribers, searched by name, e-mail, number or
    extension, filtered by package and status. An organisation the actor may not see is a 404."""
    qs = subscribers_visible_to(actor=actor).filter(customer__org=org)
    search = (search or "").strip()
    if search:
        qs = qs.filter(
            Q(email__icontains=search)
            | Q(first_name__icontains=search)
            | Q(last_name__icontains=search)
            | Q(phone_numbers__e164__contains=search)
            | Q(extensions__extension=search)
        ).distinct()
    if package:
        qs = qs.filter(package=package)
    if status in SubscriberStatus.values:
        qs = qs.filter(status=status)
    return with_calling(qs).order_by(*SUBSCRIBER_SORTS.get(sort, SUBSCRIBER_SORTS["name"]))


def _uuid_of(subscriber_id: str) -> uuid.UUID | None:
    found = decode_id(subscriber_id, IdType.SUBSCRIBER)
    if found is not None:
        return found
    try:
        return uuid.UUID(str(subscriber_id))
    except ValueError:
        return None


def subscriber_get(*, actor, subscriber_id: str, org: Organization | None = None) -> Subscriber:
    """One subscriber the actor may see (of ``org`` when given), by its Webex id or uuid; else 404."""
    pk = _uuid_of(subscriber_id)
    if pk is None:
        raise Http404
    qs = subscribers_visible_to(actor=actor)
    if org is not None:
        qs = qs.filter(customer__org=org)
    found = with_calling(qs).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


# --- The Control Hub Users page (helper "users") -----------------------------------------------------------


def users_customer_get(*, actor, org: Organization):
    """The wholesale customer record of a customer organisation the actor may see, or 404."""
    found = customers_visible_to(actor=actor).filter(org=org).select_related("org").first()
    if found is None:
        raise Http404
    return found


def subscriber_packages_held(*, customer) -> list[str]:
    """The person packages the customer holds (provisioned), in the catalogue's order: what a user may get."""
    from apps.packages.constants import SUBSCRIBER_PACKAGES

    from .models import CustomerPackage, PackageStatus

    held = set(
        CustomerPackage.objects.filter(customer=customer, status=PackageStatus.PROVISIONED).values_list(
            "code", flat=True
        )
    )
    return [str(code) for code in SUBSCRIBER_PACKAGES if code in held]


def numbers_available_of(*, actor, org: Organization) -> QuerySet[PhoneNumber]:
    """The organisation's phone numbers that nobody holds, with their location (for a number picker)."""
    from .locations_selectors import numbers_visible_to

    return (
        numbers_visible_to(actor=actor)
        .filter(org=org, subscriber__isnull=True, workspace__isnull=True)
        .select_related("location")
        .order_by("e164")
    )


def subscriber_package_history(*, subscriber: Subscriber) -> QuerySet:
    """The subscriber's package intervals, newest first (the subscriber was read through the scoping
    selector already)."""
    from .history_models import PackageAssignment

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


def subscribers_for_api(
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
) -> QuerySet[Subscriber]:
    """``GET /v1/wholesale/subscribers``: the subscribers of the partner's customers the actor may see (of
    ``org`` only when a customer organisation is named). One query a page: customer and person joined."""
    qs = subscribers_visible_to(actor=actor).filter(customer__org__parent=partner)
    if org is not None:
        qs = qs.filter(customer__org=org)
    if customer_id:
        pk = decode_id(customer_id, IdType.CUSTOMER)
        qs = qs.filter(customer_id=pk) if pk is not None else qs.none()
    if person_id:
        pk = decode_id(person_id, IdType.PEOPLE)
        qs = qs.filter(user_id=pk, status=SubscriberStatus.PROVISIONED) if pk is not None else qs.none()
    if external_customer_id:
        qs = qs.filter(customer__external_id=external_customer_id)
    if email:
        qs = qs.filter(email__iexact=email)
    statuses = list(statuses)
    if statuses:
        qs = qs.filter(status__in=statuses)
    if created_after is not None:
        qs = qs.filter(created__gt=created_after)
    if changed_after is not None:
        qs = qs.filter(status_changed__gt=changed_after)
    order = API_SORTS.get((sort_by, descending), API_SORTS[("created", False)])
    return qs.select_related("customer", "user").order_by(*order)


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
