from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "stepchange.plans"
    label = "plans"
