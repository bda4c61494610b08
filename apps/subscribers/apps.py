from django.apps import AppConfig


class SubscribersConfig(AppConfig):
    name = "apps.subscribers"
    label = "subscribers"

    def ready(self) -> None:
        from apps.core.audit_words import name_audit_codes
        from apps.exports.registry import register_export_kind
        from apps.subscribers.exports import USERS_EXPORT
        from apps.subscribers.models import SubscriberStatus

        register_export_kind(USERS_EXPORT)

        name_audit_codes(["status"], SubscriberStatus.choices)
