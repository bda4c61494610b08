"""Writes of calling settings: one service for every setting of ``settings_table``, which names the action
each needs; choosing Local Gateway or Cisco PSTN needs its own (hidden from customer admins under the
mode)."""

from django.db import transaction
from django.utils.translation import gettext

from apps.accounts.permissions import Action, require
from apps.calling.models import PARTNER_PSTN_OPTIONS, CallingSettings
from apps.calling.selectors import calling_settings_of
from apps.calling.settings_table import SETTINGS_BY_KEY
from apps.core.errors import ErrorCode, refuse
from apps.core.models import Organization
from apps.core.services import audit_record


@transaction.atomic
def calling_setting_update(*, actor, org: Organization, key: str, value) -> CallingSettings:
    setting = SETTINGS_BY_KEY[key]
    require(actor, setting.action, org)
    if setting.choices is None:
        if value not in ("on", "off", True, False):
            refuse("value", ErrorCode.SETTING_INVALID, gettext("Choose on or off."))
        value = value in ("on", True)
    elif value not in {choice for choice, _ in setting.choices}:
        refuse(
            "value",
            ErrorCode.SETTING_INVALID,
            gettext("Choose one of the options of %(setting)s.") % {"setting": setting.label},
        )
    if setting.key == "pstn" and value in PARTNER_PSTN_OPTIONS:
        require(actor, Action.PSTN_OPTIONS_MANAGE, org)
    settings = calling_settings_of(org=org, for_update=True)
    before = getattr(settings, setting.field)
    setattr(settings, setting.field, value)
    settings.save(update_fields=[setting.field, "modified"])
    audit_record(
        actor=actor,
        acting_org=org,
        action=f"calling.{setting.key}",
        target=settings,
        before={setting.field: before},
        after={setting.field: value},
    )
    return settings
