"""What branding takes from the permission function: a customer's own administrators manage its brand only
while the partner allows the override; without it they do not see the Branding page at all."""

from django.utils.translation import gettext as _

from apps.accounts.permissions import Action, Relation, relation_of
from apps.branding.selectors import customer_override_allowed
from apps.core.models import Organization

_OVERRIDE = {Action.BRANDING_MANAGE}


def _applies(actor, org: Organization) -> bool:
    return org.is_customer and relation_of(actor, org) is Relation.SELF


def override_withheld(*, actor, org: Organization) -> set[Action]:
    if _applies(actor, org) and not customer_override_allowed(org=org):
        return set(_OVERRIDE)
    return set()


def override_explained(*, actor, action: Action, org: Organization) -> str | None:
    if action in _OVERRIDE and override_withheld(actor=actor, org=org):
        if org.parent_id:
            return _(
                "%(partner)s brands %(name)s: it has not allowed its administrators to override the brand."
            ) % {
                "partner": org.parent.name,
                "name": org.name,
            }
        return _(
            "Your partner brands %(name)s: it has not allowed its administrators to override the brand."
        ) % {"name": org.name}
    return None
