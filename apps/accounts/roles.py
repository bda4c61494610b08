"""The roles of the guide and of Partner Hub / Control Hub, as data."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    PLATFORM_OPERATOR = "platform_operator", _("Platform operator")
    # Organisation roles: held in one's own organisation (partner or customer).
    FULL_ADMIN = "full_admin", _("Full administrator")
    READ_ONLY_ADMIN = "read_only_admin", _("Read-only administrator")
    USER_DEVICE_ADMIN = "user_device_admin", _("User and device administrator")
    SUPPORT_ADMIN = "support_admin", _("Support administrator")
    # Customer-management roles: held by partner people, they reach the partner's customers.
    PARTNER_FULL_ADMIN = "partner_full_admin", _("Partner full administrator")
    PARTNER_ADMIN = "partner_admin", _("Partner administrator")
    PARTNER_READ_ONLY_ADMIN = "partner_read_only_admin", _("Partner read-only administrator")
    WHOLESALE_ADMIN = "wholesale_admin", _("Wholesale administrator")


ROLE_DESCRIPTIONS = {
    Role.PLATFORM_OPERATOR: _("Creates partners, reviews screened customers, sees everything read-only."),
    Role.FULL_ADMIN: _("Every setting of the organisation, including its administrators."),
    Role.READ_ONLY_ADMIN: _("Sees every setting of the organisation, changes nothing."),
    Role.USER_DEVICE_ADMIN: _("Manages the organisation's users and devices."),
    Role.SUPPORT_ADMIN: _("Sees the organisation's settings, audit and troubleshooting views."),
    Role.PARTNER_FULL_ADMIN: _("Manages every customer of the partner."),
    Role.PARTNER_ADMIN: _("Manages only the customers it provisioned or was assigned."),
    Role.PARTNER_READ_ONLY_ADMIN: _("Sees every customer of the partner, changes nothing."),
    Role.WHOLESALE_ADMIN: _(
        "Wholesale provisioning, billing and, with partner full admin, indirect providers."
    ),
}

PARTNER_ORG_ROLES = (Role.FULL_ADMIN, Role.READ_ONLY_ADMIN)
CUSTOMER_MANAGEMENT_ROLES = (
    Role.PARTNER_FULL_ADMIN,
    Role.PARTNER_ADMIN,
    Role.PARTNER_READ_ONLY_ADMIN,
    Role.WHOLESALE_ADMIN,
)
CUSTOMER_ORG_ROLES = (Role.FULL_ADMIN, Role.READ_ONLY_ADMIN, Role.USER_DEVICE_ADMIN, Role.SUPPORT_ADMIN)
PLATFORM_ROLES = (Role.PLATFORM_OPERATOR,)
# A parent partner admin holding both roles reaches its indirect providers and their customers.
INDIRECT_REACH_ROLES = frozenset({Role.PARTNER_FULL_ADMIN, Role.WHOLESALE_ADMIN})


def roles_for_org_kind(kind: str) -> tuple[Role, ...]:
    """The roles a person of an organisation of this kind may hold."""
    return {
        "platform": PLATFORM_ROLES,
        "partner": PARTNER_ORG_ROLES + CUSTOMER_MANAGEMENT_ROLES,
        "customer": CUSTOMER_ORG_ROLES,
    }[kind]
