from django.apps import AppConfig


class ReturnsConfig(AppConfig):
    name = "stepchange.returns"
    label = "returns"
