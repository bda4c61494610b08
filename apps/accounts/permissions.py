"""The one answer to "may this actor do X to this organisation?".

Effective permission = role grants on the organisation − restrictions. Role grants come from the roles a
person holds in their home organisation and from how that organisation relates to the target one (itself,
a customer it manages, an indirect provider below it, that provider's customers, or everything for the
platform). Restrictions are subtracted by the apps above that own them (restricted-by-partner mode from
customer admins, a partner's reach into an organisation it attached to), through ``register_restriction``.
"""

from collections.abc import Callable, Iterable
from enum import StrEnum

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from apps.accounts.roles import INDIRECT_REACH_ROLES, Role
from apps.accounts.selectors import customer_is_assigned_to, roles_of
from apps.core.exceptions import RestrictionRefused
from apps.core.models import Organization


class Action(StrEnum):
    ORG_VIEW = "org.view"
    ORG_MANAGE = "org.manage"
    ADMINS_VIEW = "admins.view"
    ADMINS_MANAGE = "admins.manage"
    AUDIT_VIEW = "audit.view"
    TOKENS_MANAGE = "tokens.manage"
    CUSTOMERS_VIEW = "customers.view"
    CUSTOMER_CREATE = "customers.create"
    SUBPARTNERS_VIEW = "subpartners.view"
    USERS_VIEW = "users.view"
    USERS_MANAGE = "users.manage"
    # Add or modify users (by hand or CSV), change or reset their package, edit their services: what
    # restricted-by-partner mode takes from customer admins (user details stay with USERS_MANAGE).
    USERS_PROVISION = "users.provision"
    # The phone-number inventory of a customer's locations (add, delete): organisation management that
    # restrictions always leave to partner people.
    NUMBERS_MANAGE = "numbers.manage"
    PARTNERS_MANAGE = "partners.manage"
    TEMPLATES_MANAGE = "templates.manage"  # onboarding templates of a partner
    WHOLESALE_MANAGE = (
        "wholesale.manage"  # a customer's wholesale services: packages, removal (partners only)
    )
    SCREENING_REVIEW = "screening.review"  # the denied-party list and its review queue (platform)
    ATTACH_APPROVE = "attach.approve"  # a customer admin approves a partner attaching wholesale services
    # --- branding (issue 13) ---
    # A partner's own brand and its customers' (Partner Hub); a customer's own override (Control Hub), which
    # apps.branding takes from customer admins unless the partner allows the override.
    BRANDING_MANAGE = "branding.manage"
    # --- Control Hub organisation settings (issue 13): one action per restricted-mode control, so that the
    # registry (apps.restrictions.registry) takes exactly that control and nothing else.
    COMPANY_NAME_MANAGE = "org.company_name.manage"
    DOMAINS_MANAGE = "org.domains.manage"
    EMAIL_SETTINGS_MANAGE = "org.email_settings.manage"
    AUTH_SETTINGS_MANAGE = "org.authentication.manage"
    SERVICES_MANAGE = "org.services.manage"  # Migrations and Connected UC
    USERS_CLAIM = "users.claim"
    AUTO_ASSIGN_MANAGE = "users.auto_assign.manage"
    DIRECTORY_SYNC_MANAGE = "users.directory_sync.manage"
    SERVICES_STATUS_VIEW = "users.services_status.view"
    PRIMARY_NUMBER_MANAGE = "users.primary_number.manage"
    CALL_PRIORITY_MANAGE = "calling.call_priority.manage"
    CALLING_BEHAVIOR_MANAGE = "calling.behavior.manage"
    PSTN_MANAGE = "calling.pstn.manage"
    PSTN_OPTIONS_MANAGE = "calling.pstn_options.manage"  # Local Gateway and Cisco PSTN among the choices
    CALL_RECORDING_MANAGE = "calling.recording.manage"
    LOCATION_CALLING_SETUP = "calling.location_setup"
    # reliability (issue 11): the Pre-Provisioning Check API is for partner full admins (the guide's words).
    WHOLESALE_PRECHECK = "wholesale.precheck"
    # --- sub-partners (issue 9) ---
    # Removing is apart from provisioning and updating: a suspended (sub-)partner may still remove customers
    # (their wholesale services) and subscribers and workspaces, never add or change them.
    CUSTOMER_REMOVE = "customers.remove"
    USERS_REMOVE = "users.remove"
    # Set up, suspend, reactivate and remove indirect providers (a parent partner; the operator).
    SUBPARTNERS_MANAGE = "subpartners.manage"
    # --- billing (issue 10) ---
    BILLING_VIEW = "billing.view"  # a partner's usage, invoice preview, billing reports, Setup Assist orders
    BILLING_MANAGE = "billing.manage"  # create and delete billing reports, order Setup Assist
    BILLING_OPERATE = "billing.operate"  # the platform: transfer prices, Setup Assist project phases


class Relation(StrEnum):
    NONE = "none"
    PLATFORM = "platform"  # a platform person looking at anything
    SELF = "self"  # one's own organisation
    MANAGED_CUSTOMER = "managed_customer"  # a customer of one's partner organisation
    INDIRECT_PROVIDER = "indirect_provider"  # a sub-partner of one's partner organisation
    INDIRECT_CUSTOMER = "indirect_customer"  # a customer of such a sub-partner


A = Action
_PARTNER_HUB_READ = {A.ORG_VIEW, A.ADMINS_VIEW, A.AUDIT_VIEW, A.TOKENS_MANAGE}
_CONTROL_HUB_READ = {A.ORG_VIEW, A.ADMINS_VIEW, A.AUDIT_VIEW, A.USERS_VIEW, A.SERVICES_STATUS_VIEW}
_CONTROL_HUB_ALL = _CONTROL_HUB_READ | {
    A.ORG_MANAGE,
    A.ADMINS_MANAGE,
    A.USERS_MANAGE,
    A.USERS_PROVISION,
    A.USERS_REMOVE,
    A.NUMBERS_MANAGE,
    A.BRANDING_MANAGE,
    # Control Hub organisation settings (issue 13)
    A.COMPANY_NAME_MANAGE,
    A.DOMAINS_MANAGE,
    A.EMAIL_SETTINGS_MANAGE,
    A.AUTH_SETTINGS_MANAGE,
    A.SERVICES_MANAGE,
    A.USERS_CLAIM,
    A.AUTO_ASSIGN_MANAGE,
    A.DIRECTORY_SYNC_MANAGE,
    A.SERVICES_STATUS_VIEW,
    A.PRIMARY_NUMBER_MANAGE,
    A.CALL_PRIORITY_MANAGE,
    A.CALLING_BEHAVIOR_MANAGE,
    A.PSTN_MANAGE,
    A.PSTN_OPTIONS_MANAGE,
    A.CALL_RECORDING_MANAGE,
    A.LOCATION_CALLING_SETUP,
}
_PARTNER_ON_CUSTOMER = _CONTROL_HUB_ALL | {A.WHOLESALE_MANAGE, A.CUSTOMER_REMOVE}

# What each role grants on one's own organisation, by the kind of that organisation.
_SELF_GRANTS: dict[str, dict[Role, set[Action]]] = {
    "platform": {
        Role.PLATFORM_OPERATOR: {
            A.ORG_VIEW,
            A.ADMINS_VIEW,
            A.ADMINS_MANAGE,
            A.AUDIT_VIEW,
            A.PARTNERS_MANAGE,
            A.SCREENING_REVIEW,
        },
    },
    "partner": {
        Role.FULL_ADMIN: _PARTNER_HUB_READ | {A.ORG_MANAGE, A.ADMINS_MANAGE, A.BRANDING_MANAGE},
        Role.READ_ONLY_ADMIN: set(_PARTNER_HUB_READ),
        Role.PARTNER_FULL_ADMIN: {
            A.ORG_VIEW,
            A.TOKENS_MANAGE,
            A.CUSTOMERS_VIEW,
            A.CUSTOMER_CREATE,
            A.TEMPLATES_MANAGE,
            A.BRANDING_MANAGE,
            A.WHOLESALE_PRECHECK,
        },
        Role.PARTNER_ADMIN: {A.ORG_VIEW, A.TOKENS_MANAGE, A.CUSTOMERS_VIEW, A.CUSTOMER_CREATE},
        Role.PARTNER_READ_ONLY_ADMIN: {A.ORG_VIEW, A.TOKENS_MANAGE, A.CUSTOMERS_VIEW},
        Role.WHOLESALE_ADMIN: {A.ORG_VIEW, A.TOKENS_MANAGE, A.TEMPLATES_MANAGE},
    },
    "customer": {
        Role.FULL_ADMIN: _CONTROL_HUB_ALL | {A.ATTACH_APPROVE},
        Role.READ_ONLY_ADMIN: set(_CONTROL_HUB_READ),
        Role.USER_DEVICE_ADMIN: {
            A.ORG_VIEW,
            A.USERS_VIEW,
            A.USERS_MANAGE,
            A.USERS_PROVISION,
            A.USERS_REMOVE,
            # issue 13: the users controls of the restricted-mode registry
            A.USERS_CLAIM,
            A.AUTO_ASSIGN_MANAGE,
            A.DIRECTORY_SYNC_MANAGE,
            A.SERVICES_STATUS_VIEW,
            A.PRIMARY_NUMBER_MANAGE,
        },
        Role.SUPPORT_ADMIN: {A.ORG_VIEW, A.AUDIT_VIEW, A.USERS_VIEW},
    },
}

# What customer-management roles grant on a customer the partner manages.
_MANAGED_CUSTOMER_GRANTS: dict[Role, set[Action]] = {
    Role.PARTNER_FULL_ADMIN: set(_PARTNER_ON_CUSTOMER),
    Role.PARTNER_ADMIN: set(_PARTNER_ON_CUSTOMER),  # only on assigned customers
    Role.PARTNER_READ_ONLY_ADMIN: set(_CONTROL_HUB_READ),
}

_INDIRECT_PROVIDER_GRANTS = {
    A.ORG_VIEW,
    A.ADMINS_VIEW,
    A.AUDIT_VIEW,
    A.CUSTOMERS_VIEW,
    A.CUSTOMER_CREATE,
    A.TEMPLATES_MANAGE,
    A.WHOLESALE_PRECHECK,  # the parent's admin holds partner full admin (INDIRECT_REACH_ROLES)
}
_PLATFORM_READ = {A.ORG_VIEW, A.ADMINS_VIEW, A.AUDIT_VIEW, A.CUSTOMERS_VIEW, A.USERS_VIEW, A.SUBPARTNERS_VIEW}

# --- billing (issue 10) ---
# Billing is a partner's own (a sub-partner's too, for its own customers). It is granted on one's own
# organisation only: a parent cross-launched into an indirect provider's Partner Hub does not see Billing
# (the guide's "Reports" exclusion); it reports on that sub-partner from its own Billing (subPartnerOrgId).
# A partner admin limited to assigned customers sees no partner-wide billing.
for _role, _billing in {
    Role.FULL_ADMIN: {A.BILLING_VIEW, A.BILLING_MANAGE},
    Role.READ_ONLY_ADMIN: {A.BILLING_VIEW},
    Role.PARTNER_FULL_ADMIN: {A.BILLING_VIEW, A.BILLING_MANAGE},
    Role.PARTNER_READ_ONLY_ADMIN: {A.BILLING_VIEW},
    Role.WHOLESALE_ADMIN: {A.BILLING_VIEW, A.BILLING_MANAGE},
}.items():
    _SELF_GRANTS["partner"][_role] = _SELF_GRANTS["partner"][_role] | _billing
_SELF_GRANTS["platform"][Role.PLATFORM_OPERATOR] = _SELF_GRANTS["platform"][Role.PLATFORM_OPERATOR] | {
    A.BILLING_OPERATE
}


def relation_of(actor, org: Organization) -> Relation:
    """How the actor's home organisation relates to ``org`` (whose ``parent`` should be selected)."""
    home_id = getattr(actor, "org_id", None)
    if home_id is None or not getattr(actor, "is_active", False):
        return Relation.NONE
    home = actor.org
    if home.is_platform:
        return Relation.PLATFORM
    if org.id == home_id:
        return Relation.SELF
    if not home.is_partner:
        return Relation.NONE
    if org.parent_id == home_id:
        return Relation.MANAGED_CUSTOMER if org.is_customer else Relation.INDIRECT_PROVIDER
    if (
        org.is_customer
        and not home.is_subpartner
        and org.parent is not None
        and org.parent.parent_id == home_id
    ):
        return Relation.INDIRECT_CUSTOMER
    return Relation.NONE


def role_grants(actor, org: Organization, roles: Iterable[Role], *, assigned: bool = False) -> set[Action]:
    """Every action the roles grant on ``org``. ``assigned``: the actor holds a partner-admin grant on it."""
    roles = set(roles)
    relation = relation_of(actor, org)
    granted: set[Action] = set()
    if relation is Relation.PLATFORM and Role.PLATFORM_OPERATOR in roles:
        granted |= _PLATFORM_READ
        if org.is_partner and not org.is_subpartner:  # sets up and suspends sub-partners (issue 9)
            granted.add(A.SUBPARTNERS_MANAGE)
        if org.is_platform:
            granted |= _SELF_GRANTS["platform"][Role.PLATFORM_OPERATOR]
    elif relation is Relation.SELF:
        for role in roles:
            granted |= _SELF_GRANTS[org.kind].get(role, set())
        if org.is_partner and not org.is_subpartner and roles >= INDIRECT_REACH_ROLES:
            granted.add(A.SUBPARTNERS_VIEW)
            if Role.FULL_ADMIN in roles:  # a parent partner full admin sets its indirect providers up
                granted.add(A.SUBPARTNERS_MANAGE)
    elif relation is Relation.MANAGED_CUSTOMER:
        for role in roles:
            if role is Role.PARTNER_ADMIN and not assigned:
                continue
            granted |= _MANAGED_CUSTOMER_GRANTS.get(role, set())
    elif relation is Relation.INDIRECT_PROVIDER and roles >= INDIRECT_REACH_ROLES:
        granted |= _INDIRECT_PROVIDER_GRANTS
    elif relation is Relation.INDIRECT_CUSTOMER and roles >= INDIRECT_REACH_ROLES:
        granted |= _PARTNER_ON_CUSTOMER
    return granted


# --- what the apps above subtract ---------------------------------------------------------------------------
# Restrictions live in apps above this one (restricted-by-partner mode, a partner's reach into an attached
# organisation). They register here from their AppConfig.ready(): this module never imports them.
Subtraction = Callable[..., set[Action]]  # (*, actor, org)
Explanation = Callable[..., str | None]  # (*, actor, action, org)
_SUBTRACTIONS: list[Subtraction] = []
_EXPLANATIONS: list[Explanation] = []


class Reason(str):
    """A refusal's words as a person reads them; ``error_code`` is the stable code the API puts beside them
    (``errors[].errorCode``) when a restriction has one (a suspended partner: 4016)."""

    error_code: int | None

    def __new__(cls, words: str, error_code: int | None = None):
        reason = super().__new__(cls, words)
        reason.error_code = error_code
        return reason


def register_restriction(subtract: Subtraction, explain: Explanation | None = None) -> None:
    """``subtract(*, actor, org)``: the actions taken from the actor on ``org``;
    ``explain(*, actor, action, org)``: why ``action`` is refused when the restriction (not the roles)
    refuses it, else None."""
    if subtract not in _SUBTRACTIONS:
        _SUBTRACTIONS.append(subtract)
    if explain is not None and explain not in _EXPLANATIONS:
        _EXPLANATIONS.append(explain)


def restricted_actions(actor, org: Organization) -> set[Action]:
    taken: set[Action] = set()
    for subtract in _SUBTRACTIONS:
        taken |= subtract(actor=actor, org=org)
    return taken


def _granted_by_roles(actor, org: Organization) -> set[Action]:
    roles = roles_of(actor)
    if not roles:
        return set()
    assigned = (
        Role.PARTNER_ADMIN in roles
        and org.is_customer
        and org.parent_id == getattr(actor, "org_id", None)
        and customer_is_assigned_to(user=actor, org=org)
    )
    return role_grants(actor, org, roles, assigned=assigned)


def effective_actions(actor, org: Organization) -> set[Action]:
    granted = _granted_by_roles(actor, org)
    return granted - restricted_actions(actor, org) if granted else granted


def may(actor, action: Action, org: Organization) -> bool:
    return action in effective_actions(actor, org)


def restriction_reason(actor, action: Action, org: Organization) -> str | None:
    """Why a restriction (not the roles) refuses ``action``, else None: what a greyed-out control says."""
    if action not in _granted_by_roles(actor, org):
        return None  # the roles alone refuse it: that is what the person reads, not a restriction
    for explain in _EXPLANATIONS:
        reason = explain(actor=actor, action=action, org=org)
        if reason:
            return reason
    return None


def refusal_reason(actor, action: Action, org: Organization) -> str:
    """What a person reads when ``action`` is refused: the restriction's own words when a restriction refuses
    it, else that their roles do not include it."""
    reason = restriction_reason(actor, action, org)
    if reason:
        return reason
    # Translators: %(action)s is one of the action phrases below ("view customers", "manage users" ...).
    return gettext("Your roles do not allow you to %(action)s here.") % {"action": ACTION_LABELS[action]}


def refusal(actor, action: Action, org: Organization) -> PermissionDenied:
    """The exception refusing ``action``: ``RestrictionRefused`` when a restriction refuses it (the 403 page
    then names the restriction, not the roles), else ``PermissionDenied``, each with ``refusal_reason``."""
    reason = restriction_reason(actor, action, org)
    if reason:
        return RestrictionRefused(reason)
    return PermissionDenied(refusal_reason(actor, action, org))


def require(actor, action: Action, org: Organization) -> None:
    if not may(actor, action, org):
        raise refusal(actor, action, org)


# What an action lets a person do, as the end of a sentence ("Your roles do not allow you to …"; a
# restriction's "you cannot …"): in French, an infinitive phrase ("consulter les clients").
ACTION_LABELS = {
    A.ORG_VIEW: _("view this organisation"),
    A.ORG_MANAGE: _("change this organisation's settings"),
    A.ADMINS_VIEW: _("view administrators"),
    A.ADMINS_MANAGE: _("manage administrators"),
    A.AUDIT_VIEW: _("view the audit log"),
    A.TOKENS_MANAGE: _("manage API tokens"),
    A.CUSTOMERS_VIEW: _("view customers"),
    A.CUSTOMER_CREATE: _("create customers"),
    A.SUBPARTNERS_VIEW: _("view indirect providers"),
    A.USERS_VIEW: _("view users"),
    A.USERS_MANAGE: _("manage users"),
    A.USERS_PROVISION: _("add users or change their packages"),
    A.NUMBERS_MANAGE: _("add or delete phone numbers"),
    A.PARTNERS_MANAGE: _("manage partners"),
    A.TEMPLATES_MANAGE: _("manage onboarding templates"),
    A.WHOLESALE_MANAGE: _("manage this customer's wholesale services"),
    A.SCREENING_REVIEW: _("review denied-party screening"),
    A.ATTACH_APPROVE: _("approve wholesale requests"),
    A.BRANDING_MANAGE: _("change the branding"),
    A.COMPANY_NAME_MANAGE: _("change the company name"),
    A.DOMAINS_MANAGE: _("add, verify or claim domains"),
    A.EMAIL_SETTINGS_MANAGE: _("change the e-mail settings"),
    A.AUTH_SETTINGS_MANAGE: _("change the authentication settings"),
    A.SERVICES_MANAGE: _("change Migrations or Connected UC"),
    A.USERS_CLAIM: _("claim users"),
    A.AUTO_ASSIGN_MANAGE: _("change auto-assigned licences"),
    A.DIRECTORY_SYNC_MANAGE: _("change directory synchronisation"),
    A.SERVICES_STATUS_VIEW: _("see the full status of services"),
    A.PRIMARY_NUMBER_MANAGE: _("change a user's primary work number"),
    A.CALL_PRIORITY_MANAGE: _("change the app options call priority"),
    A.CALLING_BEHAVIOR_MANAGE: _("change the calling behaviour"),
    A.PSTN_MANAGE: _("manage a location's PSTN"),
    A.PSTN_OPTIONS_MANAGE: _("choose Local Gateway or Cisco PSTN"),
    A.CALL_RECORDING_MANAGE: _("change call recording"),
    A.LOCATION_CALLING_SETUP: _("set up calling after a location is created"),
    A.WHOLESALE_PRECHECK: _("run provisioning prechecks (partner full administrators only)"),
    A.CUSTOMER_REMOVE: _("remove customers"),
    A.USERS_REMOVE: _("remove users or workspaces"),
    A.SUBPARTNERS_MANAGE: _("set up or suspend indirect providers"),
}

# --- billing (issue 10) ---
ACTION_LABELS.update(
    {
        A.BILLING_VIEW: _("view billing"),
        A.BILLING_MANAGE: _("create billing reports or order Setup Assist"),
        A.BILLING_OPERATE: _("set transfer prices or move Setup Assist orders on"),
    }
)
