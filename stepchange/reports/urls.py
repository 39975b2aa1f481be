from django.urls import path

from stepchange.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.report_index, name="index"),
]
