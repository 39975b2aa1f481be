from django.apps import AppConfig


class CommissioningConfig(AppConfig):
    name = "stepchange.commissioning"
    label = "commissioning"
