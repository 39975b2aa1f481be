from django.apps import AppConfig


class CapacityConfig(AppConfig):
    name = "stepchange.capacity"
    label = "capacity"

    def ready(self) -> None:
        # Registering a report is importing its module.
        from stepchange.capacity import reports  # noqa: F401
