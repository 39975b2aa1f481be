from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate


class CoreConfig(AppConfig):
    name = "stepchange.core"
    label = "core"

    def ready(self) -> None:
        from django.contrib import admin

        from stepchange.core.admin_policy import apply
        from stepchange.core.dataversion import install
        from stepchange.core.timeouts import on_connection_created

        # Every model in the Django admin is read-only there or audited (core/admin_policy.py).
        apply(admin.site)

        # After every migrate: the version table and the triggers that keep cached figures exact.
        post_migrate.connect(install, sender=self, dispatch_uid="core_data_version")

        # Every new connection gets the statement and lock timeouts of its process (core/timeouts.py).
        connection_created.connect(on_connection_created, dispatch_uid="core_timeouts")
