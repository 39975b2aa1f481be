from django.urls import path

from stepchange.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.report_index, name="index"),
    path("<slug:name>/", views.report_page, name="report"),
    # How the report's figures are worked out: its section of docs/figures.md.
    path("<slug:name>/definition/", views.report_definition, name="definition"),
    # The same report as a download: /reports/probation-share.csv, .json, .xlsx
    path("<slug:name>.<slug:extension>", views.report_download, name="download"),
]
