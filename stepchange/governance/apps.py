from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "stepchange.governance"
    label = "governance"
