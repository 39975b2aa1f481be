from django.apps import AppConfig


class FundingConfig(AppConfig):
    name = "stepchange.funding"
    label = "funding"
