from django.apps import AppConfig


class SubpartnersConfig(AppConfig):
    name = "apps.subpartners"
    label = "subpartners"
