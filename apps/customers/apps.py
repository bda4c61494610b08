from django.apps import AppConfig


class CustomersConfig(AppConfig):
    name = "apps.customers"
    label = "customers"

    def ready(self) -> None:
        from apps.accounts.language import register_org_language
        from apps.core.audit_words import name_audit_codes
        from apps.customers.models import AttachState, CustomerStatus, OrgAuthMode, PackageStatus
        from apps.customers.selectors import org_locale_of

        # People of a customer organisation read the portal in its language unless they choose their own.
        register_org_language(org_locale_of)

        name_audit_codes(["status"], CustomerStatus.choices)
        name_audit_codes(["packages"], PackageStatus.choices)  # {package: its state} of a customer
        name_audit_codes(["attach_state"], AttachState.choices)
        name_audit_codes(["auth_mode"], OrgAuthMode.choices)
