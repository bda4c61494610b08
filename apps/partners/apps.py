from django.apps import AppConfig


class PartnersConfig(AppConfig):
    name = "apps.partners"
    label = "partners"

    def ready(self) -> None:
        from apps.accounts.selectors import register_mfa_policy
        from apps.partners.selectors import partner_mfa_policy

        register_mfa_policy(partner_mfa_policy)
