"""The steering group's packs, under /packs/."""

from django.urls import path

from stepchange.pack import views

app_name = "pack"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/pack.pdf", views.pdf, name="pdf"),
]
