from django.apps import AppConfig


class CustomersConfig(AppConfig):
    name = "apps.customers"
    label = "customers"

    def ready(self) -> None:
        from apps.accounts.language import register_org_language
        from apps.customers.selectors import org_locale_of

        # People of a customer organisation read the portal in its language unless they choose their own.
        register_org_language(org_locale_of)
