"""Sub-contracting plans, under /plans/."""

from django.urls import path

from stepchange.plans import views

app_name = "plans"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.create, name="create"),
    path("region/", views.rollup, name="rollup"),
    path("region.csv", views.rollup_csv, name="rollup-csv"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/versions/<int:number>/", views.version, name="version"),
    path("<int:pk>/notes/", views.notes, name="notes"),
    path("<int:pk>/planned/add/", views.planned_add, name="planned-add"),
    path("<int:pk>/planned/<int:line>/", views.planned_edit, name="planned-edit"),
    path("<int:pk>/planned/<int:line>/remove/", views.planned_remove, name="planned-remove"),
    path("<int:pk>/other/add/", views.other_add, name="other-add"),
    path("<int:pk>/other/<int:line>/remove/", views.other_remove, name="other-remove"),
    path("<int:pk>/submit/", views.submit, name="submit"),
    path("<int:pk>/approve/", views.approve, name="approve"),
    path("<int:pk>/send-back/", views.send_back, name="send-back"),
    path("<int:pk>/revise/", views.revise, name="revise"),
]
