from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "stepchange.reports"
    label = "reports"

    def ready(self) -> None:
        from stepchange.reports import registry, rules

        registry.use_rules(default_at=rules.default_report_date, establishment_types=rules.establishment_types)
        # Registering a report is importing its module.
        from stepchange.reports import profile, returns, spend  # noqa: F401
