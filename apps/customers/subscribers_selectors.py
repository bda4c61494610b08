"""Reads about subscribers, always through ``customers_visible_to`` (itself ``orgs_visible_to``).

Lists are querysets that the caller slices (a LIMIT in SQL: no COUNT, a fixed number of queries per page);
each row arrives with its customer and organisation joined and its phone numbers and extensions prefetched.
"""

import uuid

from django.db.models import Prefetch, Q, QuerySet
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
