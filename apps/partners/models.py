"""Settings a partner (or sub-partner) keeps for itself."""

import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.models import Organization, TimeStampedModel


def new_subscription_id() -> str:
    """A wholesale subscription id in the shape Partner Hub shows: "Sub" and nine digits."""
    return f"Sub{secrets.randbelow(10**9):09d}"


class PartnerSettings(TimeStampedModel):
    org = models.OneToOneField(Organization, on_delete=models.CASCADE, related_name="partner_settings")
    require_admin_mfa = models.BooleanField(
        _("require two-factor authentication for administrators"), default=False
    )
    # The partner's blanket wholesale subscription, billed for all its customers' usage. Blank for a
    # sub-partner: it uses its parent's shared subscription (partners.selectors.partner_subscription_id).
    wholesale_subscription_id = models.CharField(
        _("wholesale subscription"), max_length=32, blank=True, db_index=True
    )

    class Meta:
        verbose_name_plural = _("partner settings")

    def __str__(self) -> str:
        return f"Settings of {self.org}"
