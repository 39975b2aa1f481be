from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CoreConfig(AppConfig):
    name = "stepchange.core"
    label = "core"

    def ready(self) -> None:
        from stepchange.core.dataversion import install

        # After every migrate: the version table and the triggers that keep cached figures exact.
        post_migrate.connect(install, sender=self, dispatch_uid="core_data_version")
