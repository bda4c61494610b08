from django.apps import AppConfig


class SubscribersConfig(AppConfig):
    name = "apps.subscribers"
    label = "subscribers"

    def ready(self) -> None:
        from apps.exports.registry import register_export_kind
        from apps.subscribers.exports import USERS_EXPORT

        register_export_kind(USERS_EXPORT)
