from django.apps import AppConfig


class ManageConfig(AppConfig):
    name = "stepchange.manage"
    label = "manage"
