from django.urls import path

from stepchange.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.listing, name="list"),
    path("<int:pk>/", views.detail, name="detail"),
    path("preferences/", views.preferences, name="preferences"),
]
