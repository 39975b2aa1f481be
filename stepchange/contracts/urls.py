"""Contract pages. Mounted at the site root so the list's downloads sit beside it: /contracts.csv and /contracts.xlsx."""

from django.urls import path

from stepchange.contracts import views

app_name = "contracts"
urlpatterns = [
    path("contracts/", views.contract_list, name="list"),
    path("contracts.csv", views.contract_list_csv, name="list-csv"),
    path("contracts.xlsx", views.contract_list_xlsx, name="list-xlsx"),
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
