"""Help and support: the Help page of both hubs, built from the resolved brand's support links and the
partner's contacts, and support requests a customer opens (its partner and the operator see them, with
their status)."""

from django.apps import AppConfig


class SupportConfig(AppConfig):
    name = "apps.support"
    label = "support"
