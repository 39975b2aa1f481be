"""The funding pages, under /funding/; the grants made as 360Giving open data at a stable address."""

from django.urls import path

from stepchange.funding import views

app_name = "funding"
urlpatterns = [
    path("", views.index, name="index"),
    path("streams/new/", views.stream_add, name="stream-add"),
    path("streams/<int:pk>/", views.stream_detail, name="stream"),
    path("streams/<int:pk>/edit/", views.stream_edit, name="stream-edit"),
    path("bids/", views.bid_list, name="bids"),
    path("bids/new/", views.bid_add, name="bid-add"),
    path("bids/<int:pk>/", views.bid_detail, name="bid"),
    path("bids/<int:pk>/edit/", views.bid_edit, name="bid-edit"),
    path("small-grants/new/", views.round_add, name="round-add"),
    path("small-grants/<int:pk>/", views.round_detail, name="round"),
    path("small-grants/<int:pk>/edit/", views.round_edit, name="round-edit"),
    path("small-grants/<int:pk>/apply/", views.apply, name="apply"),
    path("applications/<int:pk>/", views.application_detail, name="application"),
    path("applications/<int:pk>/edit/", views.application_edit, name="application-edit"),
    path("applications/<int:pk>/submit/", views.application_submit, name="application-submit"),
    path("applications/<int:pk>/assess/", views.assess, name="assess"),
    path("applications/<int:pk>/decide/", views.decide, name="decide"),
    path("360giving.json", views.grants_json, name="360giving"),
    path("360giving.csv", views.grants_csv, name="360giving-csv"),
]
