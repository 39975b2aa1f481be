from django.urls import path

from stepchange.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.report_index, name="index"),
    path("<slug:name>/", views.report_page, name="report"),
    # The same report as a download: /reports/probation-share.csv, .json, .xlsx
    path("<slug:name>.<slug:extension>", views.report_download, name="download"),
]
