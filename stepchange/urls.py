"""Every URL of stepchange; each app owns its own patterns."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("stepchange.core.urls")),
    path("account/", include("stepchange.accounts.urls")),
    path("organisations/", include("stepchange.organisations.urls")),
    path("contracts/", include("stepchange.contracts.urls")),
    path("reports/", include("stepchange.reports.urls")),
    path("django-admin/", admin.site.urls),
]
