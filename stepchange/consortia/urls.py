"""Consortia pages, under /consortia/."""

from django.urls import path

from stepchange.consortia import views

app_name = "consortia"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/change/", views.edit, name="edit"),
    path("<int:pk>/members/add/", views.member_add, name="member-add"),
    path("<int:pk>/members/<int:member>/leave/", views.member_remove, name="member-remove"),
    path("<int:pk>/partnerships/link/", views.link, name="link"),
]
