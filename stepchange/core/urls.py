from django.urls import path

from stepchange.core import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("manage/", views.manage, name="manage"),
]
