"""Contract pages. Mounted at the site root so the list's download sits beside it: /contracts.csv."""

from django.urls import path

from stepchange.contracts import views

app_name = "contracts"
urlpatterns = [
    path("contracts/", views.contract_list, name="list"),
    path("contracts.csv", views.contract_list_csv, name="list-csv"),
    path("contracts/new/", views.contract_create, name="create"),
    path("contracts/<int:pk>/", views.contract_detail, name="detail"),
    path("contracts/<int:pk>/edit/", views.contract_edit, name="edit"),
    path("contracts/<int:pk>/sub-contracts/new/", views.sub_contract_add, name="sub-contract-add"),
    path(
        "contracts/<int:pk>/sub-contracts/<int:sub_pk>/remove/",
        views.sub_contract_remove,
        name="sub-contract-remove",
    ),
]
