"""Settings a partner (or sub-partner) keeps for itself."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.models import Organization, TimeStampedModel


class PartnerSettings(TimeStampedModel):
    org = models.OneToOneField(Organization, on_delete=models.CASCADE, related_name="partner_settings")
    require_admin_mfa = models.BooleanField(
        _("require two-factor authentication for administrators"), default=False
    )

    class Meta:
        verbose_name_plural = "partner settings"

    def __str__(self) -> str:
        return f"Settings of {self.org}"
