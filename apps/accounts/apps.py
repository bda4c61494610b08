from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "apps.accounts"
    label = "accounts"

    def ready(self) -> None:
        from apps.accounts import signals  # noqa: F401 - connects the allauth receivers
        from apps.accounts.api import schema  # noqa: F401 - registers the OpenAPI authentication extension
        from apps.accounts.roles import Role
        from apps.core.audit_words import name_audit_codes

        name_audit_codes(["role", "roles"], Role.choices)
