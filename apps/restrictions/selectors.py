"""What is taken away from role grants on one organisation: the single place permissions subtract from.

Today: a partner's reach into an organisation it attached wholesale services to. Until the customer's
admin approves (or after they decline) the partner only sees the request; as a provisioning administrator it
provisions wholesale services but does not see the organisation's people, administrators or settings.
Restricted-by-partner mode (customer admins' controls) joins here.
"""

from apps.accounts.permissions import Action, Relation, relation_of
from apps.core.models import Organization

_PARTNER_RELATIONS = (Relation.MANAGED_CUSTOMER, Relation.INDIRECT_CUSTOMER)
_EVERYTHING_BUT_VIEW = frozenset(Action) - {Action.ORG_VIEW}
_PROVISIONING_ADMIN_CANNOT = frozenset(
    {Action.ADMINS_VIEW, Action.ADMINS_MANAGE, Action.ORG_MANAGE, Action.USERS_VIEW}
)


def actions_restricted_for(*, actor, org: Organization) -> set[Action]:
    if not org.is_customer or relation_of(actor, org) not in _PARTNER_RELATIONS:
        return set()
    from apps.customers.models import AttachState, PartnerAccess
    from apps.customers.selectors import customer_access_of

    access = customer_access_of(org=org)
    if access is None:
        return set()
    attach_state, partner_access = access
    if attach_state in (AttachState.PENDING_APPROVAL, AttachState.DECLINED):
        return set(_EVERYTHING_BUT_VIEW)
    if partner_access == PartnerAccess.PROVISIONING_ADMIN:
        return set(_PROVISIONING_ADMIN_CANNOT)
    return set()
