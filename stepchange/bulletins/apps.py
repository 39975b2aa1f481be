from django.apps import AppConfig


class BulletinsConfig(AppConfig):
    name = "stepchange.bulletins"
    label = "bulletins"
