from django.apps import AppConfig


class BurdenConfig(AppConfig):
    name = "stepchange.burden"
    label = "burden"

    def ready(self) -> None:
        from stepchange.burden import reports  # noqa: F401
