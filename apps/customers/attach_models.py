"""What an existing organisation carries when a partner attaches wholesale services to it: its domains,
its licences, whether it is a Webex for BroadWorks or a trial organisation, its sign-in settings; and the
attach request a customer administrator approves or declines (the guide's "Attaching Webex for Wholesale to
an Existing Customer Organization"). The number of people is not stored: it is the organisation's users."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.models import Organization, TimeStampedModel


class OrgAuthMode(models.TextChoices):
    WEBEX = "webex", _("Webex")
    SSO_SAML = "sso_saml", _("Single sign-on (SAML)")
    SSO_OIDC = "sso_oidc", _("Single sign-on (OpenID Connect)")


class OrgProfile(TimeStampedModel):
    """Facts of an organisation that existed before wholesale services reached it."""

    org = models.OneToOneField(Organization, on_delete=models.CASCADE, related_name="profile")
    is_broadworks = models.BooleanField(_("Webex for BroadWorks organisation"), default=False)
    is_trial = models.BooleanField(_("trial organisation"), default=False)
    auth_mode = models.CharField(
        _("sign-in"), max_length=16, choices=OrgAuthMode.choices, default=OrgAuthMode.WEBEX
    )
    idp_name = models.CharField(_("identity provider"), max_length=255, blank=True)

    def __str__(self) -> str:
        return f"Profile of {self.org}"


class OrgDomain(TimeStampedModel):
    org = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="domains")
    name = models.CharField(_("domain"), max_length=253)
    verified = models.BooleanField(_("verified"), default=False)
    claimed = models.BooleanField(_("claimed"), default=False)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["org", "name"], name="unique_domain_per_org")]

    def __str__(self) -> str:
        return self.name


class LicenseStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    CANCELLED = "cancelled", _("Cancelled")


class OrgLicense(TimeStampedModel):
    """A subscription licence the organisation held before (e.g. bought directly from Cisco)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="licenses")
    name = models.CharField(_("licence"), max_length=100)
    quantity = models.PositiveIntegerField(_("quantity"), default=1)
    status = models.CharField(max_length=16, choices=LicenseStatus.choices, default=LicenseStatus.ACTIVE)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.status})"


class AttachRequestState(models.TextChoices):
    PENDING = "pending", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    DECLINED = "declined", _("Declined")


class AttachRequest(TimeStampedModel):
    """A partner's request to manage an existing organisation, which its full administrator decides."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    customer = models.OneToOneField(
        "customers.Customer", on_delete=models.CASCADE, related_name="attach_request"
    )
    partner = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="attach_requests")
    reasons = models.JSONField(default=list, blank=True)  # why approval is needed, in the guide's words
    packages = models.JSONField(default=list, blank=True)
    state = models.CharField(
        max_length=16, choices=AttachRequestState.choices, default=AttachRequestState.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField(_("note"), max_length=1000, blank=True)

    class Meta:
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"Wholesale request for {self.customer}"
