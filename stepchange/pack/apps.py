from django.apps import AppConfig


class PackConfig(AppConfig):
    name = "stepchange.pack"
    label = "pack"
