"""The API, version 1: /api/v1/ (docs/api.md)."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from stepchange.api import views, views_write

app_name = "api"
urlpatterns = [
    path("organisations/", views.OrganisationList.as_view(), name="organisations"),
    path("organisations/<int:pk>/", views.OrganisationDetail.as_view(), name="organisation"),
    path("contracts/", views_write.ContractList.as_view(), name="contracts"),
    path("contracts/<int:pk>/", views_write.ContractDetail.as_view(), name="contract"),
    path("returns/prison/", views.PrisonReturnList.as_view(), name="prison-returns"),
    path("returns/prison/<int:pk>/", views.PrisonReturnDetailRead.as_view(), name="prison-return"),
    path("returns/prison/<int:pk>/lines/", views_write.PrisonLines.as_view(), name="prison-return-lines"),
    path("returns/prison/<int:pk>/submit/", views_write.PrisonSubmit.as_view(), name="prison-return-submit"),
    path("returns/probation/", views.ProbationReturnList.as_view(), name="probation-returns"),
    path("returns/probation/<int:pk>/", views.ProbationReturnDetail.as_view(), name="probation-return"),
    path("opportunities/", views.OpportunityList.as_view(), name="opportunities"),
    path("opportunities/<int:pk>/", views.OpportunityDetail.as_view(), name="opportunity"),
    path("bids/", views.BidList.as_view(), name="bids"),
    path("reports/", views.ReportList.as_view(), name="reports"),
    path("reports/<slug:name>/", views.ReportDetail.as_view(), name="report"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
]
