from django.apps import AppConfig


class ConsortiaConfig(AppConfig):
    name = "stepchange.consortia"
    label = "consortia"
