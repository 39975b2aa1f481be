from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "stepchange.organisations"
    label = "organisations"
