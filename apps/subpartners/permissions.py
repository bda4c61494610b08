"""What being an indirect provider takes from the permission function (registered in ``ready()``).

- A **suspended** (sub-)partner cannot provision or update customers and subscribers, only delete them (the
  official ``provisioningState``): its people, and its parent acting for it, lose ``SUSPENDED_TAKES`` on it
  and on its customers. Removing (``CUSTOMER_REMOVE``, ``USERS_REMOVE``) stays. A customer's own admins are
  not the channel and keep what their roles and restricted-by-partner mode give them.
- **Cross-launched** into a sub-partner's Partner Hub, a parent admin has no Analytics, Services, Reports,
  Webex Release Management or Flex Trial creation (the guide's limitation list). These are named by action
  value, so an app that adds such an action (billing's reports) is refused there the day it appears, without
  this app importing it.
"""

from django.utils.translation import gettext as _

from apps.accounts.permissions import Action, Reason, Relation, relation_of
from apps.core.errors import ErrorCode
from apps.core.models import Organization, OrgStatus
from apps.subpartners.selectors import suspension_reason

SUSPENDED_TAKES = frozenset({Action.CUSTOMER_CREATE, Action.WHOLESALE_MANAGE, Action.USERS_PROVISION})
CROSS_LAUNCH_EXCLUDED = frozenset(
    {
        "analytics.view",
        "services.view",
        "reports.view",
        "billing.view",
        "billing.manage",
        "billing.operate",
        "releases.manage",
        "trials.manage",
    }
)


def cross_launch_excluded() -> frozenset[Action]:
    return frozenset(a for a in Action if a.value in CROSS_LAUNCH_EXCLUDED)


def suspended_partner_of(org: Organization) -> Organization | None:
    """The suspended partner ``org`` is, or whose customer it is; else None."""
    partner = org if org.is_partner else (org.parent if org.is_customer else None)
    if partner is not None and partner.is_partner and partner.status == OrgStatus.SUSPENDED:
        return partner
    return None


def _through_the_channel(actor) -> bool:
    home = getattr(actor, "org", None)
    return home is not None and not home.is_customer


def subtract(*, actor, org: Organization) -> set[Action]:
    taken: set[Action] = set()
    if _through_the_channel(actor) and suspended_partner_of(org) is not None:
        taken |= SUSPENDED_TAKES
    if relation_of(actor, org) is Relation.INDIRECT_PROVIDER:
        taken |= cross_launch_excluded()
    return taken


def explain(*, actor, action: Action, org: Organization) -> Reason | None:
    if action in SUSPENDED_TAKES and _through_the_channel(actor):
        partner = suspended_partner_of(org)
        if partner is not None:
            why = suspension_reason(partner=partner)
            words = (
                _(
                    "%(name)s is suspended (%(reason)s): it can only remove customers, users and workspaces, "
                    "not add or change them."
                )
                if why
                else _(
                    "%(name)s is suspended: it can only remove customers, users and workspaces, not add or "
                    "change them."
                )
            ) % {"name": partner.name, "reason": why}
            return Reason(words, error_code=ErrorCode.PARTNER_SUSPENDED)
    if action in cross_launch_excluded() and relation_of(actor, org) is Relation.INDIRECT_PROVIDER:
        return Reason(
            _("Not available while you manage %(org)s from %(home)s: open it in your own Partner Hub.")
            % {"org": org.name, "home": actor.org.name}
        )
    return None
