"""The calling settings of an organisation (one row, created on first use)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.models import Organization, TimeStampedModel


class CallPriority(models.TextChoices):
    WEBEX_CALLING = "webex_calling", _("Webex Calling first")
    WEBEX_APP = "webex_app", _("Calls in the Webex App first")


class CallingBehavior(models.TextChoices):
    WEBEX_APP = "webex_app", _("Calling in the Webex App")
    THIRD_PARTY = "third_party", _("A third-party calling app")
    UCM = "ucm", _("Cisco Unified CM")


class PstnConnection(models.TextChoices):
    CLOUD_CONNECTED = "cloud_connected", _("Cloud-connected PSTN")
    CISCO_PSTN = "cisco_pstn", _("Cisco PSTN")
    LOCAL_GATEWAY = "local_gateway", _("Local Gateway")


# The options restricted-by-partner mode hides from customer admins (``calling.location_pstn``).
PARTNER_PSTN_OPTIONS = frozenset({PstnConnection.CISCO_PSTN, PstnConnection.LOCAL_GATEWAY})


class CallingSettings(TimeStampedModel):
    org = models.OneToOneField(Organization, on_delete=models.CASCADE, related_name="calling_settings")
    call_priority = models.CharField(
        _("app options call priority"),
        max_length=20,
        choices=CallPriority.choices,
        default=CallPriority.WEBEX_CALLING,
    )
    calling_behavior = models.CharField(
        _("calling behaviour"),
        max_length=20,
        choices=CallingBehavior.choices,
        default=CallingBehavior.WEBEX_APP,
    )
    pstn_connection = models.CharField(
        _("PSTN connection"), max_length=20, choices=PstnConnection.choices, default=PstnConnection.CISCO_PSTN
    )
    call_recording = models.BooleanField(_("call recording"), default=False)
    set_up_new_locations = models.BooleanField(_("set up calling for new locations"), default=True)

    def __str__(self) -> str:
        return f"Calling settings of {self.org}"
