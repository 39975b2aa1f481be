from django.apps import AppConfig


class ContractsConfig(AppConfig):
    name = "stepchange.contracts"
    label = "contracts"
