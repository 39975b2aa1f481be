from django.urls import path

from stepchange.organisations import views

app_name = "organisations"
urlpatterns = [
    path("", views.organisation_list, name="list"),
    path("new/", views.organisation_create, name="create"),
    path("<int:pk>/", views.organisation_detail, name="detail"),
    path("<int:pk>/edit/", views.organisation_edit, name="edit"),
    path("<int:pk>/ask-for-a-change/", views.change_request_create, name="change-request-create"),
    path("change-requests/", views.change_request_list, name="change-requests"),
    path("change-requests/<int:pk>/", views.change_request_detail, name="change-request"),
    path("change-requests/<int:pk>/evidence/", views.change_request_evidence, name="change-request-evidence"),
]
