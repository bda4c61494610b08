"""Reads of calling settings."""

from apps.calling.models import CallingSettings
from apps.core.models import Organization


def calling_settings_of(*, org: Organization, for_update: bool = False) -> CallingSettings:
    qs = CallingSettings.objects.select_for_update() if for_update else CallingSettings.objects
    settings = qs.filter(org=org).first()
    if settings is None:
        settings, _ = CallingSettings.objects.get_or_create(org=org)
    return settings
