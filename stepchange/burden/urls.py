"""Monitoring requests and the provider burden, under /burden/."""

from django.urls import path

from stepchange.burden import views

app_name = "burden"
urlpatterns = [
    path("", views.index, name="index"),
    path("monitoring/", views.requests, name="requests"),
    path("monitoring/ask/", views.ask, name="ask"),
    path("monitoring/<int:pk>/", views.detail, name="request"),
    path("monitoring/<int:pk>/answer/", views.answer, name="answer"),
]
