"""Reads about CSV imports of users, always through ``customers_visible_to`` (itself ``orgs_visible_to``)."""

from django.db.models import QuerySet
from django.http import Http404

from apps.core.ids import IdType, decode_id
from apps.core.models import Organization
from apps.customers.models import Customer
from apps.customers.selectors import customers_visible_to
from apps.subscribers.models import SubscriberImport


def subscriber_imports_visible_to(*, actor) -> QuerySet[SubscriberImport]:
    return SubscriberImport.objects.filter(customer__in=customers_visible_to(actor=actor))


RECENT_IMPORTS = 10


def subscriber_imports_recent(
    *, actor, customer: Customer, limit: int = RECENT_IMPORTS
) -> list[SubscriberImport]:
    """The customer's latest imports (newest first) without their file content, for the import page."""
    return list(
        subscriber_imports_visible_to(actor=actor)
        .filter(customer=customer)
        .select_related("requested_by")
        .defer("content", "errors")
        .order_by("-created")[:limit]
    )


def subscriber_import_get(*, actor, org: Organization, import_id: str) -> SubscriberImport:
    """One import of ``org``'s customer the actor may see, by its opaque id; else 404."""
    pk = decode_id(import_id, IdType.SUBSCRIBER_IMPORT)
    if pk is None:
        raise Http404
    found = (
        subscriber_imports_visible_to(actor=actor)
        .filter(pk=pk, customer__org=org)
        .select_related("customer", "customer__org", "requested_by")
        .defer("content")  # up to 5 MB, read only by the task
        .first()
    )
    if found is None:
        raise Http404
    return found
