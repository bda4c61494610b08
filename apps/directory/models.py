"""Directory settings of an organisation (one row, created on first use)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.models import Organization, TimeStampedModel


class DirectorySettings(TimeStampedModel):
    org = models.OneToOneField(Organization, on_delete=models.CASCADE, related_name="directory_settings")
    # The package new people get (claimed, synchronised); empty: none, they are added by hand.
    auto_assign_package = models.CharField(_("licence auto-assigned to new users"), max_length=32, blank=True)
    # SCIM 2.0: only the SHA-256 of the bearer secret is kept; its writes are made in the name of the admin
    # who turned it on (audited as theirs).
    scim_token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    scim_token_prefix = models.CharField(max_length=12, blank=True)
    scim_enabled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_sync = models.DateTimeField(null=True, blank=True)
    last_sync_summary = models.JSONField(default=dict, blank=True)

    def __str__(self) -> str:
        return f"Directory settings of {self.org}"
