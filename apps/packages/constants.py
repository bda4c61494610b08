"""The package codes of the Wholesale API (OpenAPI enums ``WholesalePackagesCustomer`` and
``WholesalePackagesSubscriber``). The full catalogue (SKUs, entitlements, add-on rules) builds on these."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PackageCode(models.TextChoices):
    COMMON_AREA_CALLING = "common_area_calling", _("Webex Common Area Calling")
    WEBEX_CALLING = "webex_calling", _("Webex Calling")
    WEBEX_MEETINGS = "webex_meetings", _("Webex Meetings")
    WEBEX_SUITE = "webex_suite", _("Webex Suite")
    WEBEX_VOICE = "webex_voice", _("Webex Voice")
    CX_ESSENTIALS = "cx_essentials", _("Customer Assist")
    WEBEX_CALLING_STANDARD = "webex_calling_standard", _("Webex Calling Standard")
    CISCO_CALLING_PLAN = "cisco_calling_plan", _("Cisco Calling Plan")
    ATTENDANT_CONSOLE = "attendant_console", _("Attendant Console")
    CX_PREMIUM_AGENT = "cx_premium_agent", _("Contact Center Premium Agent")
    CX_STANDARD_AGENT = "cx_standard_agent", _("Contact Center Standard Agent")
    CX_VOICE_PORTS = "cx_voice_ports", _("Contact Center Voice Ports")
    CX_AI_ASSISTANT = "cx_ai_assistant", _("Contact Center AI Assistant")
    WEBEX_AI_AGENT = "webex_ai_agent", _("Webex AI Agent")


SUBSCRIBER_PACKAGES = (
    PackageCode.WEBEX_CALLING,
    PackageCode.WEBEX_MEETINGS,
    PackageCode.WEBEX_SUITE,
    PackageCode.WEBEX_VOICE,
    PackageCode.CX_ESSENTIALS,
    PackageCode.WEBEX_CALLING_STANDARD,
    PackageCode.ATTENDANT_CONSOLE,
    PackageCode.CX_PREMIUM_AGENT,
    PackageCode.CX_STANDARD_AGENT,
)
