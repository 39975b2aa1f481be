from django.urls import path

from stepchange.core import session_timeout, views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("session/stay-signed-in/", session_timeout.stay_signed_in, name="stay-signed-in"),
]
