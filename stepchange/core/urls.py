from django.urls import path

from stepchange.core import health, session_timeout, views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("session/stay-signed-in/", session_timeout.stay_signed_in, name="stay-signed-in"),
    # For the load balancer and the process manager (docs/operations.md#health-and-readiness).
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
]
