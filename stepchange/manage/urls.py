"""The management pages, under /manage/, and their index."""

from django.urls import path

from stepchange.manage import index, views_money, views_reference, views_setup, views_users

app_name = "manage"
urlpatterns = [
    path("", index.index, name="index"),
    path("grants/", views_money.grant_list, name="grants"),
    path("grants/new/", views_money.grant_create, name="grant-create"),
    path("grants/<int:pk>/edit/", views_money.grant_edit, name="grant-edit"),
    path("targets/", views_money.target_list, name="targets"),
    path("targets/new/", views_money.target_create, name="target-create"),
    path("targets/<int:pk>/edit/", views_money.target_edit, name="target-edit"),
    path("pathways/", views_reference.pathway_list, name="pathways"),
    path("pathways/new/", views_reference.pathway_create, name="pathway-create"),
    path("pathways/<int:pk>/edit/", views_reference.pathway_edit, name="pathway-edit"),
    path("figures/", views_reference.figure_list, name="figures"),
    path("figures/new/", views_reference.figure_create, name="figure-create"),
    path("figures/<int:pk>/edit/", views_reference.figure_edit, name="figure-edit"),
    path("regions/", views_reference.region_list, name="regions"),
    path("regions/<int:pk>/edit/", views_reference.region_edit, name="region-edit"),
    path("regions/<int:pk>/pathways/", views_setup.region_pathways, name="region-pathways"),
    path("service-regions/", views_setup.service_region_list, name="service-regions"),
    path("service-regions/new/", views_setup.service_region_create, name="service-region-create"),
    path("service-regions/<int:pk>/join/", views_setup.service_region_join, name="service-region-join"),
    path("service-regions/<int:pk>/invite/", views_setup.service_region_invite, name="service-region-invite"),
    path("national/", views_setup.national_dashboard, name="national"),
    path("commissioners/", views_setup.commissioner_list, name="commissioners"),
    path("commissioners/new/<slug:kind>/", views_setup.commissioner_create, name="commissioner-create"),
    path("commissioners/<int:pk>/edit/", views_setup.commissioner_edit, name="commissioner-edit"),
    path("returns/", views_reference.return_list, name="returns"),
    path("returns/new/", views_reference.return_create, name="return-create"),
    path("users/", views_users.user_list, name="users"),
    path("users/new/", views_users.user_create, name="user-create"),
    path("users/<int:pk>/edit/", views_users.user_edit, name="user-edit"),
    path("users/<int:pk>/email/", views_users.user_email, name="user-email"),
]
