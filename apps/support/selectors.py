"""Reads of support: contacts, and the requests visible to someone (through ``orgs_visible_to``)."""

import uuid

from django.db.models import QuerySet
from django.http import Http404

from apps.accounts.selectors import orgs_visible_to
from apps.core.models import Organization
from apps.support.models import SupportContacts, SupportRequest


def support_contacts_of(*, org: Organization | None) -> SupportContacts | None:
    """The contacts of a partner (or of a customer's partner)."""
    if org is None:
        return None
    partner_id = org.parent_id if org.is_customer else org.id
    return SupportContacts.objects.filter(org_id=partner_id).first()


def support_requests_visible_to(*, actor, org: Organization) -> QuerySet[SupportRequest]:
    """A customer's own requests; a partner's customers' (those the actor sees); everything for the
    platform. Newest first, paginated by the caller."""
    visible = orgs_visible_to(actor=actor)
    qs = SupportRequest.objects.filter(org__in=visible).select_related("org", "opened_by")
    if org.is_customer:
        return qs.filter(org=org)
    if org.is_partner:
        return qs.filter(org__parent=org)
    return qs


def support_request_get(*, actor, org: Organization, request_id: str) -> SupportRequest:
    found = support_requests_visible_to(actor=actor, org=org).filter(pk=_uuid(request_id)).first()
    if found is None:
        raise Http404
    return found


def _uuid(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None
