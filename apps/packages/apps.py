from django.apps import AppConfig


class PackagesConfig(AppConfig):
    name = "apps.packages"
    label = "packages"

    def ready(self) -> None:
        from apps.core.audit_words import name_audit_codes
        from apps.packages.constants import PackageCode

        name_audit_codes(["package", "packages"], PackageCode.choices)
