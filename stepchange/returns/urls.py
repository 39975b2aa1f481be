"""Pages of quarterly returns, under /returns/."""

from django.urls import path

from stepchange.returns import views, views_filling, views_pathway, views_proposals, views_upload

app_name = "returns"
urlpatterns = [
    path("", views.round_list, name="rounds"),
    path("rounds/new/", views.round_create, name="round-create"),
    path("rounds/<int:pk>/", views.round_detail, name="round"),
    path("proposals/", views_proposals.proposal_list, name="proposals"),
    path("proposals/<int:pk>/", views_proposals.proposal_decide, name="proposal"),
    path("prison/<int:pk>/", views_filling.prison_return, name="prison"),
    path("prison/<int:pk>/pathways/<slug:code>/", views_pathway.prison_pathway, name="prison-pathway"),
    path(
        "prison/<int:pk>/pathways/<slug:code>/organisations/add/",
        views_pathway.organisation_add,
        name="prison-pathway-organisation-add",
    ),
    path(
        "prison/<int:pk>/pathways/<slug:code>/organisations/remove/",
        views_pathway.organisation_remove,
        name="prison-pathway-organisation-remove",
    ),
    path(
        "prison/<int:pk>/pathways/<slug:code>/organisations/remove-all/",
        views_pathway.remove_all,
        {"which": "organisations"},
        name="prison-pathway-organisations-remove-all",
    ),
    path(
        "prison/<int:pk>/pathways/<slug:code>/proposed/add/",
        views_pathway.proposed_add,
        name="prison-pathway-proposed-add",
    ),
    path(
        "prison/<int:pk>/pathways/<slug:code>/proposed/remove/",
        views_pathway.proposed_remove,
        name="prison-pathway-proposed-remove",
    ),
    path(
        "prison/<int:pk>/pathways/<slug:code>/proposed/remove-all/",
        views_pathway.remove_all,
        {"which": "proposed"},
        name="prison-pathway-proposed-remove-all",
    ),
    path("prison/<int:pk>/post/", views_filling.prison_post, name="prison-post"),
    path("prison/<int:pk>/contracts/", views_pathway.prison_contracts, name="prison-contracts"),
    path("prison/<int:pk>/contracts/add/", views_pathway.contract_add, name="prison-contract-add"),
    path("prison/<int:pk>/contracts/remove/", views_pathway.contract_remove, name="prison-contract-remove"),
    path("prison/<int:pk>/template.xlsx", views_upload.prison_template, name="prison-template"),
    path("prison/<int:pk>/lines.csv", views_upload.prison_csv, name="prison-csv"),
    path("prison/<int:pk>/upload/", views_upload.prison_upload, name="prison-upload"),
    path("prison/<int:pk>/uploads/<int:upload_pk>/", views_upload.prison_upload_detail, name="prison-upload-detail"),
    path("probation/<int:pk>/", views_filling.probation_return, name="probation"),
    path("probation/<int:pk>/contracts/<int:line_pk>/", views_filling.probation_line, name="probation-line"),
    path("probation/<int:pk>/contracts/new/", views_filling.probation_add, name="probation-add"),
    path("probation/<int:pk>/template.xlsx", views_upload.probation_template, name="probation-template"),
    path("probation/<int:pk>/contracts.csv", views_upload.probation_csv, name="probation-csv"),
    path("probation/<int:pk>/upload/", views_upload.probation_upload, name="probation-upload"),
    path("<str:kind>/<int:pk>/check/", views_filling.check_and_submit, name="check"),
    path("<str:kind>/<int:pk>/approve/", views.approve, name="approve"),
    path("<str:kind>/<int:pk>/send-back/", views.send_back, name="send-back"),
    path("<str:kind>/<int:pk>/reopen/", views.reopen, name="reopen"),
]
