"""The calling settings as data: each one's field, the action that changes it (the action of its control in
the restricted-mode registry), its choices and how a person reads it. Views, services and tests walk it."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from apps.accounts.permissions import Action
from apps.calling.models import CallingBehavior, CallPriority, PstnConnection


@dataclass(frozen=True)
class CallingSetting:
    key: str  # URL segment and route name
    field: str
    action: Action
    control: str  # its restricted-mode control
    label: str
    choices: tuple[tuple[str, str], ...] | None  # None: on/off


_ON_OFF = None
CALLING_SETTINGS: tuple[CallingSetting, ...] = (
    CallingSetting(
        "call_priority",
        "call_priority",
        Action.CALL_PRIORITY_MANAGE,
        "calling.call_settings",
        _("App options call priority"),
        tuple(CallPriority.choices),
    ),
    CallingSetting(
        "calling_behavior",
        "calling_behavior",
        Action.CALLING_BEHAVIOR_MANAGE,
        "calling.calling_behavior",
        _("Calling behaviour"),
        tuple(CallingBehavior.choices),
    ),
    CallingSetting(
        "pstn",
        "pstn_connection",
        Action.PSTN_MANAGE,
        "calling.location_pstn_management",
        _("PSTN connection of the locations"),
        tuple(PstnConnection.choices),
    ),
    CallingSetting(
        "call_recording",
        "call_recording",
        Action.CALL_RECORDING_MANAGE,
        "calling.call_recording",
        _("Call recording"),
        _ON_OFF,
    ),
    CallingSetting(
        "location_setup",
        "set_up_new_locations",
        Action.LOCATION_CALLING_SETUP,
        "calling.location_setup_after_creation",
        _("Set up calling for new locations"),
        _ON_OFF,
    ),
)
SETTINGS_BY_KEY = {s.key: s for s in CALLING_SETTINGS}
