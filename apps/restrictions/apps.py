from django.apps import AppConfig


class RestrictionsConfig(AppConfig):
    name = "apps.restrictions"
    label = "restrictions"

    def ready(self) -> None:
        from apps.accounts.permissions import register_restriction
        from apps.accounts.selectors import register_audit_limit
        from apps.restrictions.selectors import (
            actions_restricted_for,
            audit_limited_orgs_for,
            restriction_message,
        )

        register_restriction(actions_restricted_for, restriction_message)
        register_audit_limit(audit_limited_orgs_for)
