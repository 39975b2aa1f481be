from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "stepchange.notifications"
    label = "notifications"
