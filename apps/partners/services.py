"""Writes about partner organisations: creating partners and sub-partners, their settings."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.accounts.permissions import Action, require
from apps.accounts.roles import Role
from apps.accounts.services import invitation_queue, person_create
from apps.core.models import Organization, OrgKind
from apps.core.services import audit_record
from apps.partners.models import PartnerSettings, new_subscription_id

FIRST_PARTNER_ADMIN_ROLES = (Role.FULL_ADMIN, Role.PARTNER_FULL_ADMIN, Role.WHOLESALE_ADMIN)


@transaction.atomic
def partner_create(
    *,
    actor: User,
    name: str,
    admin_email: str,
    admin_first_name: str = "",
    admin_last_name: str = "",
    parent: Organization | None = None,
    require_admin_mfa: bool = False,
) -> Organization:
    """A partner (or, with ``parent``, a sub-partner) with its first full administrator, invited by e-mail."""
    require(actor, Action.PARTNERS_MANAGE, actor.org)
    return partner_org_create(
        actor=actor,
        name=name,
        admin_email=admin_email,
        admin_first_name=admin_first_name,
        admin_last_name=admin_last_name,
        parent=parent,
        require_admin_mfa=require_admin_mfa,
    )


@transaction.atomic
def partner_org_create(
    *,
    actor: User,
    name: str,
    admin_email: str,
    admin_first_name: str = "",
    admin_last_name: str = "",
    parent: Organization | None = None,
    require_admin_mfa: bool = False,
) -> Organization:
    """The writes of ``partner_create`` for a caller that has checked who may make the organisation (the
    operator, or a parent partner setting up a sub-partner: ``subpartners.services``)."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Enter the partner's name.")})
    if parent is not None and (not parent.is_partner or parent.parent_id is not None):
        raise ValidationError({"parent": _("A sub-partner's parent must be a top-level partner.")})
    siblings = Organization.objects.filter(kind=OrgKind.PARTNER, parent=parent, name__iexact=name)
    if siblings.exists():
        raise ValidationError({"name": _("A partner with this name already exists.")})
    org = Organization.objects.create(name=name[:255], kind=OrgKind.PARTNER, parent=parent)
    PartnerSettings.objects.create(
        org=org,
        require_admin_mfa=require_admin_mfa,
        # A sub-partner shares its parent's subscription (the guide's "Sub-partner" section).
        wholesale_subscription_id="" if parent else _unused_subscription_id(),
    )
    admin = person_create(
        org=org,
        email=admin_email,
        first_name=admin_first_name,
        last_name=admin_last_name,
        roles=FIRST_PARTNER_ADMIN_ROLES,
    )
    invitation_queue(user=admin, invited_by=actor)
    audit_record(
        actor=actor,
        acting_org=actor.org,
        action="subpartner.create" if parent else "partner.create",
        target=org,
        after={"name": org.name, "parent": parent.name if parent else None, "admin": admin.email},
    )
    return org


def _unused_subscription_id() -> str:
    while True:
        candidate = new_subscription_id()
        if not PartnerSettings.objects.filter(wholesale_subscription_id=candidate).exists():
            return candidate


@transaction.atomic
def partner_settings_update(*, actor: User, org: Organization, require_admin_mfa: bool) -> PartnerSettings:
    require(actor, Action.ORG_MANAGE, org)
    settings, _created = PartnerSettings.objects.get_or_create(org=org)
    before = {"require_admin_mfa": settings.require_admin_mfa}
    settings.require_admin_mfa = require_admin_mfa
    settings.save(update_fields=["require_admin_mfa", "modified"])
    after = {"require_admin_mfa": settings.require_admin_mfa}
    if before != after:
        audit_record(
            actor=actor,
            acting_org=org,
            action="partner.settings_update",
            target=settings,
            before=before,
            after=after,
        )
    return settings


@transaction.atomic
def platform_bootstrap(*, name: str, operator_email: str) -> User:
    """The platform organisation and its first operator: the one write that needs no actor."""
    from apps.partners.selectors import platform_org

    if platform_org() is not None:
        raise ValidationError(_("The platform already exists."))
    org = Organization.objects.create(name=name, kind=OrgKind.PLATFORM)
    operator = person_create(org=org, email=operator_email, roles=[Role.PLATFORM_OPERATOR])
    audit_record(actor=None, acting_org=org, action="platform.bootstrap", target=org, after={"name": name})
    return operator
