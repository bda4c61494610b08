"""Writes of support: a partner's contacts, opening a support request, moving its status. Audited."""

from django.db import transaction
from django.utils.translation import gettext as _

from apps.accounts.permissions import Action, require
from apps.core.errors import ErrorCode, Errors, text
from apps.core.models import Organization
from apps.core.services import audit_record
from apps.support.models import RequestStatus, SupportContacts, SupportRequest

CONTACT_FIELDS = ("phone", "email", "case_portal_url", "chat_url", "escalation_contact")


@transaction.atomic
def support_contacts_update(*, actor, org: Organization, **values) -> SupportContacts:
    require(actor, Action.ORG_MANAGE, org)
    contacts, _created = SupportContacts.objects.select_for_update().get_or_create(org=org)
    before = {name: getattr(contacts, name) for name in CONTACT_FIELDS}
    for name in CONTACT_FIELDS:
        setattr(contacts, name, text(values.get(name, "")))
    contacts.full_clean(exclude=["org"])
    contacts.save()
    after = {name: getattr(contacts, name) for name in CONTACT_FIELDS}
    audit_record(
        actor=actor, acting_org=org, action="support.contacts", target=contacts, before=before, after=after
    )
    return contacts


@transaction.atomic
def support_request_open(
    *, actor, org: Organization, subject, description, escalated: bool = False
) -> SupportRequest:
    """A customer's administrator asks its partner for help (any administrator who sees the organisation)."""
    require(actor, Action.ORG_VIEW, org)
    errors = Errors()
    subject, description = text(subject), text(description)
    if not subject or len(subject) > 200:
        errors.add("subject", ErrorCode.NAME_INVALID, _("Give a subject of 1 to 200 characters."))
    if not description or len(description) > 5000:
        errors.add(
            "description", ErrorCode.NAME_INVALID, _("Describe the problem (at most 5000 characters).")
        )
    errors.raise_if_any()
    request = SupportRequest.objects.create(
        org=org, opened_by=actor, subject=subject, description=description, escalated=bool(escalated)
    )
    audit_record(
        actor=actor,
        acting_org=org,
        action="support.request_open",
        target=request,
        after={"subject": subject, "escalated": request.escalated},
    )
    return request


@transaction.atomic
def support_request_set_status(*, actor, request: SupportRequest, status) -> SupportRequest:
    """The partner (who manages the customer) moves a request along."""
    require(actor, Action.WHOLESALE_MANAGE, request.org)
    if status not in RequestStatus.values:
        errors = Errors()
        errors.add("status", ErrorCode.SETTING_INVALID, _("Choose open, in progress or resolved."))
        errors.raise_if_any()
    before = request.status
    request.status = status
    request.save(update_fields=["status", "modified"])
    audit_record(
        actor=actor,
        acting_org=request.org,
        action="support.request_status",
        target=request,
        before={"status": before},
        after={"status": status},
    )
    return request
