from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "stepchange.api"
    label = "api"
