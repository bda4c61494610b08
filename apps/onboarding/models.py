"""Onboarding templates: the settings a partner applies to the customers it creates (their provisioningId)."""

import base64
import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.models import Organization, TimeStampedModel


def new_provisioning_id() -> str:
    """Opaque, like Webex's: base64 of a uuid string."""
    return base64.b64encode(str(uuid.uuid4()).encode()).decode().rstrip("=")


# Cloud-connected PSTN providers a template may name for a customer's first location (the guide's
# "Customer PSTN Setup": optional, not recommended, first location only).
CLOUD_CONNECTED_PSTN_VENDORS: tuple[str, ...] = (
    "IntelePeer",
    "Lumen",
    "Orange Business",
    "Tata Communications",
    "Telstra",
    "Verizon",
)
EXTENSION_LENGTH_MIN = 2
EXTENSION_LENGTH_MAX = 6


class AuthMode(models.TextChoices):
    WEBEX = "webex", _("Webex")
    PARTNER_SAML = "partner_saml", _("Partner SSO (SAML)")
    PARTNER_OIDC = "partner_oidc", _("Partner SSO (OpenID Connect)")


# The settings a customer keeps of its template (``settings_snapshot``): every setting a partner edits
# (``services.EDITABLE_FIELDS``, written from this list) and the provisioningId, which is fixed at creation.
SNAPSHOT_FIELDS = (
    "name",
    "provisioning_id",
    "subscription_id",
    "country",
    "language",
    "auth_mode",
    "idp_entity_id",
    "idp_name",
    "pstn_vendor",
    "send_admin_invite_email",
    "allow_admin_invite_on_attach",
    "extension_length",
    "voicemail_enabled",
    "international_calling",
)


class OnboardingTemplate(TimeStampedModel):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    partner = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="onboarding_templates")
    name = models.CharField(_("name"), max_length=100)
    provisioning_id = models.CharField(
        max_length=64, unique=True, default=new_provisioning_id, editable=False
    )
    subscription_id = models.CharField(_("wholesale subscription"), max_length=64)
    country = models.CharField(_("country"), max_length=2)
    language = models.CharField(_("language"), max_length=5)
    auth_mode = models.CharField(
        _("authentication"), max_length=16, choices=AuthMode.choices, default=AuthMode.WEBEX
    )
    idp_entity_id = models.CharField(_("IdP entity id"), max_length=255, blank=True)
    idp_name = models.CharField(_("IdP name"), max_length=255, blank=True)
    pstn_vendor = models.CharField(_("cloud-connected PSTN vendor"), max_length=100, blank=True)
    # Common settings
    send_admin_invite_email = models.BooleanField(
        _("send the welcome e-mail to the first administrator"), default=True
    )
    allow_admin_invite_on_attach = models.BooleanField(
        _("allow admin-invite e-mails when attaching to existing orgs"), default=False
    )
    # Call settings
    extension_length = models.PositiveSmallIntegerField(_("extension length"), default=4)
    voicemail_enabled = models.BooleanField(_("voicemail on for new users"), default=True)
    international_calling = models.BooleanField(_("allow international calls"), default=False)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["partner", "name"], name="unique_template_name_per_partner")
        ]

    def __str__(self) -> str:
        return self.name

    def settings_snapshot(self) -> dict:
        """What a customer keeps of this template when onboarded: later edits never reach it."""
        return {field: getattr(self, field) for field in SNAPSHOT_FIELDS}
