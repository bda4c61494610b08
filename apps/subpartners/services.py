"""Writes about indirect providers: setting one up (at once, or through the operator's approval queue when
the platform's policy asks for it), suspending and reactivating it, changing its billing start date, and
removing it. Every write is audited; the parent partner is the acting organisation."""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from apps.accounts.models import User
from apps.accounts.permissions import Action, require
from apps.core.errors import ErrorCode, Errors, refuse, text
from apps.core.exceptions import ConflictError
from apps.core.models import Organization, OrgStatus
from apps.core.services import audit_record
from apps.partners.services import partner_org_create
from apps.subpartners.models import SetupState, SubPartnerPolicy, SubPartnerProfile, SubPartnerSetupRequest
from apps.subpartners.selectors import (
    setup_needs_approval,
    subpartner_customer_org_count,
    subpartner_name_taken,
)

REASON_MAX = 500
# The decided states in one sentence each (the state's word agrees differently in other languages).
_ALREADY_DECIDED = {
    SetupState.APPROVED: gettext_lazy("The set-up of %(name)s was already set up."),
    SetupState.DECLINED: gettext_lazy("The set-up of %(name)s was already declined."),
}
BILLING_START_REACH = timedelta(days=366)  # a billing start date within a year of today, either side


def _clean_billing_start(value, errors: Errors) -> date:
    today = timezone.localdate()
    if value in (None, ""):
        return today
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value.strip())
        except ValueError:
            value = None
    if not isinstance(value, date) or abs(value - today) > BILLING_START_REACH:
        errors.add(
            "billing_start_date",
            ErrorCode.BILLING_START_DATE_INVALID,
            _("Enter the billing start date as YYYY-MM-DD, within a year of today."),
        )
        return today
    return value


@transaction.atomic
def subpartner_setup(
    *,
    actor: User,
    parent: Organization,
    name: str,
    admin_email: str,
    admin_first_name: str = "",
    admin_last_name: str = "",
    billing_start_date=None,
) -> SubPartnerSetupRequest:
    """Set a sub-partner up under ``parent`` with the guide's fields (its first administrator is invited;
    the subscription is the parent's, shared). When the platform asks the operator to approve set-ups first
    (and the actor is not the operator), the request waits in the operator's queue: state ``pending``."""
    require(actor, Action.SUBPARTNERS_MANAGE, parent)
    errors = Errors()
    name = text(name)
    if parent.parent_id is not None or not parent.is_partner:
        errors.add(
            "parent", ErrorCode.SUBPARTNER_PARENT_INVALID, _("A sub-partner cannot have sub-partners.")
        )
    if not name or len(name) > 255:
        errors.add(
            "name",
            ErrorCode.SUBPARTNER_NAME_INVALID,
            _("Enter the organisation name (255 characters at most)."),
        )
    elif subpartner_name_taken(parent=parent, name=name):
        errors.add(
            "name",
            ErrorCode.SUBPARTNER_NAME_IN_USE,
            _("%(parent)s already has an indirect provider (or a pending set-up) of this name.")
            % {"parent": parent.name},
        )
    start = _clean_billing_start(billing_start_date, errors)
    email = text(admin_email).lower()
    if not email:
        errors.add(
            "admin_email", ErrorCode.EMAIL_INVALID, _("Enter the first administrator's e-mail address.")
        )
    first, last = text(admin_first_name), text(admin_last_name)
    if len(first) > 150 or len(last) > 150:
        errors.add("admin_first_name", ErrorCode.PERSON_NAME_INVALID, _("A name has at most 150 characters."))
    errors.raise_if_any()
    request = SubPartnerSetupRequest.objects.create(
        parent=parent,
        name=name,
        admin_email=email,
        admin_first_name=first,
        admin_last_name=last,
        billing_start_date=start,
        requested_by=actor,
    )
    if setup_needs_approval() and not actor.org.is_platform:
        audit_record(
            actor=actor,
            acting_org=parent,
            action="subpartner.setup_request",
            target=request,
            after=_request_fields(request),
        )
        return request
    _create(actor=actor, request=request)
    return request


def _request_fields(request: SubPartnerSetupRequest) -> dict:
    return {
        "name": request.name,
        "admin": request.admin_email,
        "billing_start_date": request.billing_start_date.isoformat(),
    }


def _create(*, actor: User, request: SubPartnerSetupRequest) -> Organization:
    """The sub-partner of an approved request: organisation, profile, first admin invited (refusals of
    the admin's e-mail surface on ``admin_email``)."""
    try:
        org = partner_org_create(
            actor=actor,
            name=request.name,
            admin_email=request.admin_email,
            admin_first_name=request.admin_first_name,
            admin_last_name=request.admin_last_name,
            parent=request.parent,
        )
    except ValidationError as exc:
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"name": exc.messages}
        raise ValidationError(
            {("admin_email" if key == "email" else key): value for key, value in detail.items()}
        ) from None
    SubPartnerProfile.objects.create(org=org, billing_start_date=request.billing_start_date)
    request.state = SetupState.APPROVED
    request.subpartner = org
    request.decided_by = actor
    request.decided_at = timezone.now()
    request.save(update_fields=["state", "subpartner", "decided_by", "decided_at", "modified"])
    audit_record(
        actor=actor,
        acting_org=request.parent,
        action="subpartner.setup",
        target=org,
        after=_request_fields(request),
    )
    return org


# --- the operator's queue ----------------------------------------------------------------------------------


@transaction.atomic
def setup_request_approve(*, actor: User, request: SubPartnerSetupRequest) -> Organization:
    require(actor, Action.PARTNERS_MANAGE, actor.org)  # the platform operator
    request = SubPartnerSetupRequest.objects.select_for_update().select_related("parent").get(pk=request.pk)
    _check_pending(request)
    return _create(actor=actor, request=request)


@transaction.atomic
def setup_request_decline(*, actor: User, request: SubPartnerSetupRequest, reason: str) -> None:
    require(actor, Action.PARTNERS_MANAGE, actor.org)  # the platform operator
    request = SubPartnerSetupRequest.objects.select_for_update().select_related("parent").get(pk=request.pk)
    _check_pending(request)
    reason = _clean_reason(reason, required=True)
    request.state = SetupState.DECLINED
    request.decline_reason = reason
    request.decided_by = actor
    request.decided_at = timezone.now()
    request.save(update_fields=["state", "decline_reason", "decided_by", "decided_at", "modified"])
    audit_record(
        actor=actor,
        acting_org=request.parent,
        action="subpartner.setup_decline",
        target=request,
        after={"name": request.name, "reason": reason},
    )


def _check_pending(request: SubPartnerSetupRequest) -> None:
    if request.state != SetupState.PENDING:
        raise ConflictError(
            _ALREADY_DECIDED.get(request.state, _ALREADY_DECIDED[SetupState.APPROVED])
            % {"name": request.name},
            error_code=ErrorCode.SUBPARTNER_REQUEST_DECIDED,
        )


@transaction.atomic
def setup_policy_update(*, actor: User, needs_approval: bool) -> SubPartnerPolicy:
    """Whether a parent's set-ups wait for the operator's approval."""
    require(actor, Action.PARTNERS_MANAGE, actor.org)  # the platform operator
    policy, _created = SubPartnerPolicy.objects.select_for_update().get_or_create(pk=1)
    before = policy.setup_needs_approval
    policy.setup_needs_approval = bool(needs_approval)
    policy.save(update_fields=["setup_needs_approval", "modified"])
    if before != policy.setup_needs_approval:
        audit_record(
            actor=actor,
            acting_org=actor.org,
            action="subpartner.policy_update",
            target=policy,
            before={"setup_needs_approval": before},
            after={"setup_needs_approval": policy.setup_needs_approval},
        )
    return policy


# --- lifecycle ---------------------------------------------------------------------------------------------


def _clean_reason(reason, *, required: bool) -> str:
    reason = text(reason)
    if (required and not reason) or len(reason) > REASON_MAX:
        refuse(
            "reason",
            ErrorCode.SUBPARTNER_REASON_REQUIRED,
            _("Give a reason (at most %(max)d characters).") % {"max": REASON_MAX},
        )
    return reason


def _locked(subpartner: Organization) -> Organization:
    return Organization.objects.select_for_update(of=("self",)).select_related("parent").get(pk=subpartner.pk)


@transaction.atomic
def subpartner_set_status(
    *, actor: User, subpartner: Organization, status: str, reason: str = ""
) -> Organization:
    """Suspend (a reason is required) or reactivate a sub-partner. Suspended, it and its parent acting for
    it can only remove customers, users and workspaces (``subpartners.permissions``)."""
    require(actor, Action.SUBPARTNERS_MANAGE, subpartner.parent)
    if status not in OrgStatus.values:
        refuse("status", ErrorCode.SUBPARTNER_REASON_REQUIRED, _("The status is active or suspended."))
    reason = _clean_reason(reason, required=status == OrgStatus.SUSPENDED)
    subpartner = _locked(subpartner)
    profile, _created = SubPartnerProfile.objects.get_or_create(
        org=subpartner, defaults={"billing_start_date": subpartner.created.date()}
    )
    before = {"status": subpartner.status, "reason": profile.status_reason}
    if subpartner.status == status and profile.status_reason == reason:
        return subpartner
    subpartner.status = status
    subpartner.save(update_fields=["status", "modified"])
    profile.status_reason = reason
    profile.status_changed = timezone.now()
    profile.status_changed_by = actor.email
    profile.save(update_fields=["status_reason", "status_changed", "status_changed_by", "modified"])
    audit_record(
        actor=actor,
        acting_org=subpartner.parent,
        action="subpartner.suspend" if status == OrgStatus.SUSPENDED else "subpartner.reactivate",
        target=subpartner,
        before=before,
        after={"status": status, "reason": reason},
    )
    return subpartner


@transaction.atomic
def subpartner_billing_start_update(*, actor: User, subpartner: Organization, billing_start_date) -> date:
    require(actor, Action.SUBPARTNERS_MANAGE, subpartner.parent)
    errors = Errors()
    start = _clean_billing_start(billing_start_date, errors)
    errors.raise_if_any()
    profile, _created = SubPartnerProfile.objects.select_for_update().get_or_create(
        org=subpartner, defaults={"billing_start_date": subpartner.created.date()}
    )
    before = profile.billing_start_date
    if before != start:
        profile.billing_start_date = start
        profile.save(update_fields=["billing_start_date", "modified"])
        audit_record(
            actor=actor,
            acting_org=subpartner.parent,
            action="subpartner.billing_start_update",
            target=subpartner,
            before={"billing_start_date": before.isoformat()},
            after={"billing_start_date": start.isoformat()},
        )
    return start


@transaction.atomic
def subpartner_remove(*, actor: User, subpartner: Organization) -> None:
    """Remove a sub-partner with no customer organisation left: its administrators, templates and settings
    go with it. One that still manages customers is refused (remove them first)."""
    require(actor, Action.SUBPARTNERS_MANAGE, subpartner.parent)
    subpartner = _locked(subpartner)
    remaining = subpartner_customer_org_count(subpartner=subpartner)
    if remaining:
        raise ConflictError(
            ngettext(
                "%(name)s still manages %(count)d customer organisation: remove them first.",
                "%(name)s still manages %(count)d customer organisations: remove them first.",
                remaining,
            )
            % {"name": subpartner.name, "count": remaining},
            error_code=ErrorCode.SUBPARTNER_HAS_CUSTOMERS,
        )
    parent = subpartner.parent
    audit_record(
        actor=actor,
        acting_org=parent,
        action="subpartner.remove",
        target=subpartner,
        before={"name": subpartner.name, "status": subpartner.status},
    )
    User.objects.filter(org=subpartner).delete()
    subpartner.delete()
