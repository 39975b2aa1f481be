from django.apps import AppConfig


class CommissioningConfig(AppConfig):
    name = "stepchange.commissioning"
    label = "commissioning"

    def ready(self) -> None:
        # Registering a report is importing its module.
        from stepchange.commissioning import reports  # noqa: F401
