from django.apps import AppConfig


class EngagementConfig(AppConfig):
    name = "stepchange.engagement"
    label = "engagement"
