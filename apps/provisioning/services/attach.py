"""Attaching wholesale services to an organisation that already exists (the guide's "Attaching Webex for
Wholesale to an Existing Customer Organization").

``attach_target`` checks, when the order names an ``orgId``, that the organisation may be attached at all;
``attach_gate`` decides, when provisioning reaches it, whether the organisation's full administrator must
approve first (100 people or more, a verified e-mail domain, a claimed domain) or the attach is automatic
(the partner becomes provisioning admin, or full admin when the organisation holds no live licence). The
administrator approves or declines on Control Hub's wholesale-request page. ``existing_org_create`` lets the
operator record such an organisation (the demo's "Contoso Ltd").
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from apps.accounts.models import User
from apps.accounts.permissions import Action, require
from apps.accounts.roles import Role
from apps.accounts.services import person_create
from apps.core.errors import ErrorCode
from apps.core.exceptions import ApplicationError, ConflictError
from apps.core.ids import IdType, decode_id
from apps.core.models import Organization, OrgKind
from apps.core.services import audit_record
from apps.customers.models import (
    AttachRequest,
    AttachRequestState,
    AttachState,
    Customer,
    CustomerStatus,
    LicenseStatus,
    OrgAuthMode,
    OrgDomain,
    OrgLicense,
    OrgProfile,
    PartnerAccess,
)
from apps.provisioning.stored import stored_text_translated

# The guide: approval is needed from this many people on.
APPROVAL_PEOPLE_THRESHOLD = 100

# Stable error codes (API ``errors[].errorCode`` and ``customer.errors``).

# Why an attach needs approval, stored in English; marked so that the page can translate them when shown.
_REASON_PEOPLE = gettext_noop("The organisation has %(people)s users (100 or more).")
_REASON_VERIFIED = gettext_noop("The organisation has a verified e-mail domain: %(domains)s.")
_REASON_CLAIMED = gettext_noop("The organisation's domain is claimed: %(domains)s.")


_REASONS = (_REASON_PEOPLE, _REASON_VERIFIED, _REASON_CLAIMED)
# The error a declined request leaves on the customer (stored, shown translated on the partner's panel).
DECLINED = gettext_noop("The organisation's administrator declined the request to add wholesale services.")
DECLINED_WITH_NOTE = gettext_noop(
    "The organisation's administrator declined the request to add wholesale services: %(note)s"
)
STORED_TEXTS = (*_REASONS, DECLINED_WITH_NOTE)


def attach_reason_translated(reason: str) -> str:
    """A stored reason (English) in the active language; one written otherwise stays as it is."""
    return stored_text_translated(reason, _REASONS)


def attach_target(*, actor: User, partner: Organization, org_id: str) -> Organization:
    """The existing organisation behind ``orgId``, when this partner may attach wholesale services to it."""
    require(actor, Action.CUSTOMER_CREATE, partner)
    pk = decode_id((org_id or "").strip(), IdType.ORGANIZATION)
    org = (
        Organization.objects.select_related("parent", "profile", "customer").filter(id=pk).first()
        if pk
        else None
    )
    if org is None:
        raise ApplicationError(
            _("The organisation “%(id)s” does not exist.") % {"id": org_id},
            status=400,
            error_code=ErrorCode.ORG_NOT_FOUND,
        )
    if not org.is_customer:
        raise ApplicationError(
            _("Wholesale services can only be attached to a customer organisation."),
            status=400,
            error_code=ErrorCode.ORG_NOT_CUSTOMER,
        )
    if org.parent_id is not None and org.parent_id != partner.id:
        raise ConflictError(
            _("This organisation is managed by another partner."), error_code=ErrorCode.ORG_MANAGED_ELSEWHERE
        )
    if hasattr(org, "customer"):
        raise ConflictError(
            _("This organisation already has wholesale services."), error_code=ErrorCode.ORG_ALREADY_WHOLESALE
        )
    profile = getattr(org, "profile", None)
    if profile is not None and profile.is_broadworks:
        raise ApplicationError(
            _("Webex for BroadWorks organisations cannot get wholesale services."),
            status=400,
            error_code=ErrorCode.ORG_BROADWORKS,
        )
    if profile is not None and profile.is_trial:
        raise ApplicationError(
            _("Trial organisations cannot be converted to wholesale customers."),
            status=400,
            error_code=ErrorCode.ORG_TRIAL,
        )
    return org


@dataclass(frozen=True)
class AttachAssessment:
    people: int
    verified_domains: tuple[str, ...]
    claimed_domains: tuple[str, ...]
    live_licences: int

    @property
    def reasons(self) -> list[str]:
        """Why approval is needed, in English: the request and the audit log keep them as written (pages
        show them in the reader's language with ``attach_reason_translated``)."""
        reasons = []
        if self.people >= APPROVAL_PEOPLE_THRESHOLD:
            reasons.append(_REASON_PEOPLE % {"people": self.people})
        if self.verified_domains:
            reasons.append(_REASON_VERIFIED % {"domains": ", ".join(self.verified_domains)})
        if self.claimed_domains:
            reasons.append(_REASON_CLAIMED % {"domains": ", ".join(self.claimed_domains)})
        return reasons

    @property
    def partner_access(self) -> str:
        # No licence, or only suspended or cancelled ones: nobody else runs the organisation.
        return PartnerAccess.PROVISIONING_ADMIN if self.live_licences else PartnerAccess.FULL_ADMIN


def attach_assess(*, org: Organization) -> AttachAssessment:
    """The facts the guide's attach rules look at. People are the organisation's users, counted."""
    domains = list(OrgDomain.objects.filter(org=org).values_list("name", "verified", "claimed"))
    return AttachAssessment(
        people=User.objects.filter(org=org).count(),
        verified_domains=tuple(name for name, verified, _ in domains if verified),
        claimed_domains=tuple(name for name, _, claimed in domains if claimed),
        live_licences=OrgLicense.objects.filter(org=org, status=LicenseStatus.ACTIVE).count(),
    )


def _set(customer: Customer, **values) -> None:
    for name, value in values.items():
        setattr(customer, name, value)
    customer.save(update_fields=[*values, "modified"])


@transaction.atomic
def attach_gate(*, customer: Customer) -> bool:
    """May provisioning of an attached organisation go on? False: waiting for (or refused by) its admin."""
    customer = (
        Customer.objects.select_for_update(of=("self",))
        .select_related("org", "org__parent")
        .get(pk=customer.pk)
    )
    if customer.attach_state in (AttachState.APPROVED, AttachState.AUTOMATIC):
        return True
    if customer.attach_state in (AttachState.PENDING_APPROVAL, AttachState.DECLINED):
        return False
    assessment = attach_assess(org=customer.org)
    reasons = assessment.reasons
    if reasons:
        AttachRequest.objects.update_or_create(
            customer=customer,
            defaults={
                # Provisioning made the requesting partner the organisation's parent already.
                "partner": customer.org.parent or customer.requested_by.org,
                "reasons": reasons,
                "packages": sorted(customer.packages.values_list("code", flat=True)),
                "state": AttachRequestState.PENDING,
            },
        )
        # Nothing is the partner's until the administrator approves, and approving leaves the mode off
        # (the approval page says so): the mode is off from the start, not on until then.
        _set(customer, attach_state=AttachState.PENDING_APPROVAL, restricted_by_partner=False)
        audit_record(
            actor=None,
            acting_org=customer.org,
            action="customer.attach_request",
            target=customer,
            after={"attach_state": customer.attach_state, "reasons": reasons},
        )
        return False
    _set(
        customer,
        attach_state=AttachState.AUTOMATIC,
        partner_access=assessment.partner_access,
        restricted_by_partner=False,
    )
    audit_record(
        actor=None,
        acting_org=customer.org,
        action="customer.attach_automatic",
        target=customer,
        after={"attach_state": customer.attach_state, "partner_access": customer.partner_access},
    )
    return True


def _pending_request(customer: Customer) -> tuple[Customer, AttachRequest]:
    customer = Customer.objects.select_for_update(of=("self",)).select_related("org").get(pk=customer.pk)
    request = (
        AttachRequest.objects.select_for_update(of=("self",))
        .select_related("partner")
        .filter(customer=customer)
        .first()
    )
    if request is None or customer.attach_state != AttachState.PENDING_APPROVAL:
        raise ValidationError(_("There is no wholesale request waiting for a decision."))
    return customer, request


@transaction.atomic
def attach_request_approve(*, actor: User, customer: Customer) -> Customer:
    """The organisation's full administrator lets the partner in: provisioning resumes."""
    require(actor, Action.ATTACH_APPROVE, customer.org)
    customer, request = _pending_request(customer)
    now = timezone.now()
    request.state = AttachRequestState.APPROVED
    request.decided_by, request.decided_at = actor, now
    request.save(update_fields=["state", "decided_by", "decided_at", "modified"])
    # The administrator granted administrator access: the partner manages the organisation in full.
    _set(
        customer,
        attach_state=AttachState.APPROVED,
        partner_access=PartnerAccess.FULL_ADMIN,
        restricted_by_partner=False,
    )
    audit_record(
        actor=actor,
        acting_org=customer.org,
        action="customer.attach_approve",
        target=customer,
        before={"attach_state": AttachState.PENDING_APPROVAL},
        after={"attach_state": customer.attach_state, "partner": request.partner.name},
    )
    from apps.provisioning.services.provisioning import customer_provision_enqueue

    customer_provision_enqueue(customer=customer)
    return customer


@transaction.atomic
def attach_request_decline(*, actor: User, customer: Customer, note: str = "") -> Customer:
    """The organisation's full administrator refuses: onboarding stops with status ``error``."""
    require(actor, Action.ATTACH_APPROVE, customer.org)
    customer, request = _pending_request(customer)
    note = (note or "").strip()[:1000]
    now = timezone.now()
    request.state = AttachRequestState.DECLINED
    request.decided_by, request.decided_at, request.note = actor, now, note
    request.save(update_fields=["state", "decided_by", "decided_at", "note", "modified"])
    errors = [e for e in customer.errors if e.get("errorCode") != ErrorCode.ATTACH_DECLINED]
    errors.append(
        {
            "errorCode": ErrorCode.ATTACH_DECLINED,
            "description": DECLINED_WITH_NOTE % {"note": note} if note else DECLINED,
        }
    )
    _set(
        customer,
        attach_state=AttachState.DECLINED,
        status=CustomerStatus.ERROR,
        status_changed=now,
        errors=errors,
    )
    audit_record(
        actor=actor,
        acting_org=customer.org,
        action="customer.attach_decline",
        target=customer,
        before={"attach_state": AttachState.PENDING_APPROVAL},
        after={"attach_state": customer.attach_state, "status": customer.status, "note": note},
    )
    return customer


@transaction.atomic
def existing_org_create(
    *,
    actor: User,
    name: str,
    admin_email: str,
    people: Iterable[str] = (),
    domains: Iterable[tuple[str, bool, bool]] = (),
    licences: Iterable[tuple[str, int, str]] = (),
    is_broadworks: bool = False,
    is_trial: bool = False,
    auth_mode: str = OrgAuthMode.WEBEX,
    idp_name: str = "",
) -> Organization:
    """An organisation that exists outside wholesale (no managing partner), with its full administrator,
    further people, domains ``(name, verified, claimed)`` and licences ``(name, quantity, status)``."""
    require(actor, Action.PARTNERS_MANAGE, actor.org)
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Enter the organisation's name.")})
    if len(name) > 255:
        raise ValidationError({"name": _("The name is longer than 255 characters.")})
    if auth_mode not in OrgAuthMode.values:
        raise ValidationError({"auth_mode": _("Choose a sign-in mode.")})
    org = Organization.objects.create(name=name, kind=OrgKind.CUSTOMER, parent=None)
    OrgProfile.objects.create(
        org=org,
        is_broadworks=is_broadworks,
        is_trial=is_trial,
        auth_mode=auth_mode,
        idp_name=idp_name.strip(),
    )
    admin = person_create(org=org, email=admin_email, roles=[Role.FULL_ADMIN])
    for email in people:
        person_create(org=org, email=email)
    seen: set[str] = set()
    for domain, verified, claimed in domains:
        domain = (domain or "").strip().lower().rstrip(".")
        try:
            validate_email(f"x@{domain}")
        except ValidationError:
            raise ValidationError(
                {"domains": _("“%(domain)s” is not a domain name.") % {"domain": domain}}
            ) from None
        if domain in seen:
            raise ValidationError({"domains": _("“%(domain)s” is listed twice.") % {"domain": domain}})
        seen.add(domain)
        OrgDomain.objects.create(org=org, name=domain, verified=bool(verified), claimed=bool(claimed))
    for licence, quantity, status in licences:
        if status not in LicenseStatus.values:
            raise ValidationError(
                {"licences": _("“%(status)s” is not a licence status.") % {"status": status}}
            )
        OrgLicense.objects.create(
            org=org, name=(licence or "").strip()[:100], quantity=max(int(quantity), 0), status=status
        )
    audit_record(
        actor=actor,
        acting_org=org,
        action="org.create_existing",
        target=org,
        after={
            "name": org.name,
            "admin": admin.email,
            "people": User.objects.filter(org=org).count(),
            "domains": sorted(seen),
            "broadworks": is_broadworks,
            "trial": is_trial,
        },
    )
    return org
