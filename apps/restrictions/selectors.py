"""What is taken away from role grants on one organisation: the single place permissions subtract from.

Today: a partner's reach into a customer organisation. Into an organisation it attached wholesale services
to, it only sees the request until the attachment is approved or automatic (never after a decline); as a
provisioning administrator it provisions wholesale services but does not see the organisation's people,
administrators or settings; an organisation whose wholesale services were removed it only sees.
And restricted-by-partner mode: a customer organisation's own people (customer admins, whatever their roles)
lose the controls of ``registry`` — those of the mode while it is on, the always-restricted ones always — and
the actions those controls map onto. Partner people, cross-launched or not, never lose anything to it.
"""

from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from apps.accounts.permissions import ACTION_LABELS, Action, Relation, relation_of
from apps.core.models import AuditEvent, Organization, OrgKind
from apps.customers.models import AttachState, PartnerAccess
from apps.customers.selectors import (
    customer_access_of,
    customer_orgs_awaiting_attach_approval,
    restricted_mode_of,
)
from apps.restrictions.registry import (
    ALWAYS_RESTRICTED,
    CONTROLS,
    MODE_RESTRICTED,
    Control,
    actions_of,
    control_get,
)

_PARTNER_RELATIONS = (Relation.MANAGED_CUSTOMER, Relation.INDIRECT_CUSTOMER)
_EVERYTHING_BUT_VIEW = frozenset(Action) - {Action.ORG_VIEW}
_PROVISIONING_ADMIN_CANNOT = frozenset(
    {Action.ADMINS_VIEW, Action.ADMINS_MANAGE, Action.ORG_MANAGE, Action.NUMBERS_MANAGE, Action.USERS_VIEW}
    # issue 13: the organisation's settings are not a provisioning administrator's either
    | {action for action in Action if action.value.startswith(("org.", "calling.", "branding."))}
    - {Action.ORG_VIEW}
)


def controls_restricted_for(*, actor, org: Organization, mode: bool | None = None) -> frozenset[str]:
    """The control keys the actor may not use on ``org`` because of restrictions (role grants aside).
    ``mode``: the organisation's mode when the caller already read it."""
    if not org.is_customer or relation_of(actor, org) is not Relation.SELF:
        return frozenset()
    if mode is None:
        mode = restricted_mode_of(org=org)
    return ALWAYS_RESTRICTED | MODE_RESTRICTED if mode else ALWAYS_RESTRICTED


def actions_restricted_for(*, actor, org: Organization) -> set[Action]:
    if org.is_customer and relation_of(actor, org) is Relation.SELF:
        return actions_of(controls_restricted_for(actor=actor, org=org))
    if not org.is_customer or relation_of(actor, org) not in _PARTNER_RELATIONS:
        return set()
    access = customer_access_of(org=org)
    if access is None:  # wholesale services removed: the organisation is no longer the partner's to run
        return set(_EVERYTHING_BUT_VIEW)
    attach_state, partner_access, existing_org = access
    if existing_org and attach_state not in (AttachState.APPROVED, AttachState.AUTOMATIC):
        return set(_EVERYTHING_BUT_VIEW)
    if partner_access == PartnerAccess.PROVISIONING_ADMIN:
        return set(_PROVISIONING_ADMIN_CANNOT)
    return set()


def audit_limited_orgs_for(*, actor_org_kind: str) -> QuerySet | None:
    """The accounts audit hook: organisations where a partner's people read only their own events (an attach
    not approved; ``actions_restricted_for`` takes their audit log away there too); None for anyone else."""
    if actor_org_kind != OrgKind.PARTNER:
        return None
    return customer_orgs_awaiting_attach_approval()


@dataclass(frozen=True)
class ControlState:
    control: Control
    granted: bool  # the actor's roles include the control
    restricted: bool  # restrictions take it away from the actor

    @property
    def allowed(self) -> bool:
        return self.granted and not self.restricted

    @property
    def state(self) -> str:
        """ "enabled", or how a page shows what the actor may not use: "greyed" or "hidden"."""
        return "enabled" if self.allowed else str(self.control.effect)


@dataclass(frozen=True)
class Restrictions:
    """Everything a page needs about restrictions on one organisation for one actor, read once."""

    mode: bool
    applies: bool  # the actor is one of the organisation's own people: restrictions apply to them
    states: dict[str, ControlState]

    def state(self, key: str) -> str:
        control_get(key)  # an unknown key fails loudly
        return self.states[key].state


def restrictions_for(*, actor, org: Organization, actions: frozenset[Action] | set[Action]) -> Restrictions:
    """Every control's state for the actor on ``org``. ``actions``: the actor's effective actions there
    (``request.actions``), so that this reads the mode once and nothing else."""
    mode = restricted_mode_of(org=org)
    restricted = controls_restricted_for(actor=actor, org=org, mode=mode)
    states = {
        c.key: ControlState(c, granted=c.requires in actions, restricted=c.key in restricted)
        for c in CONTROLS
    }
    applies = org.is_customer and relation_of(actor, org) is Relation.SELF
    return Restrictions(mode=mode, applies=applies, states=states)


def restriction_message(*, actor, action: Action, org: Organization) -> str | None:
    """Why ``action`` is refused when a restriction (not the roles) is what refuses it: a control customer
    admins never have, restricted-by-partner mode, or a partner's reach into an organisation it attached
    to."""
    restricted = controls_restricted_for(actor=actor, org=org)
    partner = org.parent.name if org.parent_id else _("your partner")
    for key in sorted(restricted & ALWAYS_RESTRICTED):
        control = control_get(key)
        if action in control.actions:
            return _("%(control)s is disabled for customer administrators: %(partner)s does it.") % {
                "control": control.label,
                "partner": partner,
            }
    if action in actions_of(restricted):
        return _(
            "Restricted by Partner Mode is enabled for %(name)s: customer administrators cannot "
            "%(action)s. Only a partner administrator can, or turn the mode off."
        ) % {"name": org.name, "action": ACTION_LABELS[action]}
    if action in actions_restricted_for(actor=actor, org=org):
        return _("%(name)s has not given %(partner)s access to this (yet): you cannot %(action)s.") % {
            "name": org.name,
            "partner": partner,
            "action": ACTION_LABELS[action],
        }
    return None


@dataclass(frozen=True)
class ModeOrigin:
    """Who turned restricted-by-partner mode on for an organisation, and since when."""

    by: str  # a person's address, or the partner that provisioned it (the mode is on from the start)
    since: object  # a datetime


def restricted_mode_origin(*, org: Organization) -> ModeOrigin | None:
    """When the mode is on: the last audited switch to on, else the organisation's provisioning by its
    partner (the mode's default). None when it is off."""
    if not restricted_mode_of(org=org):
        return None
    event = (
        AuditEvent.objects.filter(
            acting_org=org, action="customer.restricted_mode", after__restricted_by_partner=True
        )
        .order_by("-created")
        .only("actor_email", "created")
        .first()
    )
    if event is not None:
        return ModeOrigin(by=event.actor_email or _("the platform"), since=event.created)
    partner = org.parent.name if org.parent_id else _("the partner")
    return ModeOrigin(by=partner, since=org.created)
