"""Control Hub's Calling settings of a customer organisation: app options call priority, calling behaviour,
PSTN, call recording and calling set-up of new locations — each guarded by the action of its control in the
restricted-mode registry."""

from django.apps import AppConfig


class CallingConfig(AppConfig):
    name = "apps.calling"
    label = "calling"
