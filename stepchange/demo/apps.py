from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "stepchange.demo"
    label = "demo"
    verbose_name = "Demo data"
