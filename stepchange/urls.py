"""Every URL of stepchange; each app owns its own patterns."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("stepchange.core.urls")),
    path("account/api-tokens/", include("stepchange.api.urls_tokens")),
    path("account/", include("stepchange.accounts.urls")),
    path("notifications/", include("stepchange.notifications.urls")),
    path("organisations/", include("stepchange.organisations.urls")),
    path("manage/", include("stepchange.manage.urls")),
    path("imports/", include("stepchange.imports.urls")),
    # At the root so that /contracts/ and its download /contracts.csv sit side by side.
    path("", include("stepchange.contracts.urls")),
    path("reports/", include("stepchange.reports.urls")),
    path("returns/", include("stepchange.returns.urls")),
    path("opportunities/", include("stepchange.commissioning.urls")),
    path("capacity/", include("stepchange.capacity.urls")),
    path("consortia/", include("stepchange.consortia.urls")),
    path("plans/", include("stepchange.plans.urls")),
    path("governance/", include("stepchange.governance.urls")),
    path("engagement/", include("stepchange.engagement.urls")),
    path("bulletins/", include("stepchange.bulletins.urls")),
    path("funding/", include("stepchange.funding.urls")),
    path("packs/", include("stepchange.pack.urls")),
    path("api/v1/", include("stepchange.api.urls")),
    path("burden/", include("stepchange.burden.urls")),
    path("django-admin/", admin.site.urls),
]

handler400 = "stepchange.core.errors.bad_request"
handler403 = "stepchange.core.errors.permission_denied"
handler404 = "stepchange.core.errors.page_not_found"
handler500 = "stepchange.core.errors.server_error"
