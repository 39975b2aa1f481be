from django.urls import path

from stepchange.organisations import directory_views, views

app_name = "organisations"
urlpatterns = [
    path("", views.organisation_list, name="list"),
    path("new/", views.organisation_create, name="create"),
    path("<int:pk>/", views.organisation_detail, name="detail"),
    path("<int:pk>/edit/", views.organisation_edit, name="edit"),
    path("<int:pk>/services/", directory_views.services_edit, name="services"),
    path("<int:pk>/claim/", directory_views.claim_create, name="claim-create"),
    path("<int:pk>/ask-for-a-change/", views.change_request_create, name="change-request-create"),
    path("change-requests/", views.change_request_list, name="change-requests"),
    path("change-requests/<int:pk>/", views.change_request_detail, name="change-request"),
    path("change-requests/<int:pk>/evidence/", views.change_request_evidence, name="change-request-evidence"),
    # Downloads of what the viewer may see, with the list's filters.
    path("download/organisations.csv", directory_views.download_csv, name="download-csv"),
    path("download/organisations.json", directory_views.download_json, name="download-json"),
    path("download/open-referral.json", directory_views.download_open_referral, name="download-open-referral"),
    path("gaps/", directory_views.gap_view, name="gaps"),
    path("gaps/download.csv", directory_views.gap_download, name="gaps-download"),
    # The regional team's queues.
    path("registrations/", directory_views.registration_list, name="registrations"),
    path("registrations/<int:pk>/", directory_views.registration_decide, name="registration"),
    path("claims/", directory_views.claim_list, name="claims"),
    path("claims/<int:pk>/", directory_views.claim_detail, name="claim"),
    path("duplicates/", directory_views.duplicate_list, name="duplicates"),
    path("duplicates/<int:first>/<int:second>/", directory_views.merge, name="merge"),
]
