"""The import pages, under /imports/."""

from django.urls import path

from stepchange.imports import views

app_name = "imports"
urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:region>/<slug:kind>/template.xlsx", views.template_xlsx, name="template"),
    path("<slug:region>/<slug:kind>/template.csv", views.template_csv, name="template-csv"),
    path("<slug:region>/<slug:kind>/upload/", views.upload, name="upload"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/confirm/", views.confirm, name="confirm"),
    path("<int:pk>/undo/", views.undo, name="undo"),
]
