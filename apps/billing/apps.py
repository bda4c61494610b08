from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "apps.billing"
    label = "billing"

    def ready(self) -> None:
        from apps.billing import signals  # noqa: F401 - a report's file goes with its row
        from apps.billing.catalogue import SERVICE_CHOICES
        from apps.billing.models.reports import ReportCategory, ReportType
        from apps.core.audit_words import name_audit_codes

        name_audit_codes(["service", "sku"], SERVICE_CHOICES)
        name_audit_codes(["category"], ReportCategory.choices)
        name_audit_codes(["type"], ReportType.choices)
