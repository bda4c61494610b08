from django.apps import AppConfig


class OnboardingConfig(AppConfig):
    name = "apps.onboarding"
    label = "onboarding"

    def ready(self) -> None:
        from apps.core.audit_words import name_audit_codes
        from apps.onboarding.models import AuthMode

        name_audit_codes(["auth_mode"], AuthMode.choices)
