from django.apps import AppConfig


class ReturnsConfig(AppConfig):
    name = "stepchange.returns"
    label = "returns"

    def ready(self) -> None:
        # Registering a report is importing its module.
        from stepchange.returns import reports  # noqa: F401
