from django.apps import AppConfig


class RestrictionsConfig(AppConfig):
    name = "apps.restrictions"
    label = "restrictions"
