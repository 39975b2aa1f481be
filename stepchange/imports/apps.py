from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "stepchange.imports"
    label = "imports"
