from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "stepchange.reports"
    label = "reports"

    def ready(self) -> None:
        # Registering a report is importing its module.
        from stepchange.reports import profile, returns, spend  # noqa: F401
