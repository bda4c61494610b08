from django.apps import AppConfig


class SubpartnersConfig(AppConfig):
    name = "apps.subpartners"
    label = "subpartners"

    def ready(self) -> None:
        from apps.accounts.api.scope import register_on_behalf
        from apps.accounts.permissions import register_restriction
        from apps.subpartners import permissions
        from apps.subpartners.selectors import on_behalf_org

        register_restriction(permissions.subtract, permissions.explain)
        register_on_behalf(on_behalf_org)
