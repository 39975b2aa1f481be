from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "stepchange.core"
    label = "core"
