"""The API's reads: each list is the scoping function of the app that owns the thing, asked with
the token's person (someone signed out when there is no token), exactly as the pages ask it."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import exceptions, generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from stepchange.api import serializers as shapes
from stepchange.api.base import Conditional, DetailView, ListView, person
from stepchange.api.filters import ContractFilter, OrganisationFilter, ReturnFilter
from stepchange.commissioning.access import bids_visible_to, opportunities_visible_to
from stepchange.commissioning.models import Bid, Opportunity
from stepchange.contracts.access import contracts_visible_to, contracts_worked_with_by
from stepchange.contracts.models import Contract
from stepchange.organisations.access import organisations_visible_to
from stepchange.organisations.models import Organisation
from stepchange.reports import access as report_access
from stepchange.reports import exports
from stepchange.reports.registry import REPORTS, ParamError, run_report
from stepchange.returns.access import returns_visible_to
from stepchange.returns.models import ReturnKind

ERRORS = {status: shapes.ErrorSerializer for status in (400, 401, 404, 429)}


@extend_schema(tags=["organisations"], responses={200: shapes.OrganisationSerializer, **ERRORS})
class OrganisationList(ListView):
    """The directory: every listed organisation, and those the person sees because of their work."""

    serializer_class = shapes.OrganisationSerializer
    filterset_class = OrganisationFilter

    def get_queryset(self) -> QuerySet[Organisation]:
        return organisations_visible_to(person(self.request)).select_related("region").order_by("name", "pk")


@extend_schema(tags=["organisations"], responses={200: shapes.OrganisationSerializer, **ERRORS})
class OrganisationDetail(DetailView):
    serializer_class = shapes.OrganisationSerializer

    def get_queryset(self) -> QuerySet[Organisation]:
        return organisations_visible_to(person(self.request)).select_related("region")


class _Contracts(generics.GenericAPIView):  # type: ignore[type-arg]
    def get_queryset(self) -> QuerySet[Contract]:
        return (
            contracts_visible_to(person(self.request))
            .select_related("commissioner", "prime")
            .prefetch_related("pathways", "sub_contracts__partner")
            .order_by("reference", "pk")
        )

    def get_serializer_context(self) -> dict[str, Any]:
        context: dict[str, Any] = super().get_serializer_context()
        context["worked_with"] = set(contracts_worked_with_by(person(self.request)).values_list("pk", flat=True))
        return context


@extend_schema(tags=["contracts"], responses={200: shapes.ContractSerializer, **ERRORS})
class ContractListRead(_Contracts, ListView):
    """Contracts with their sub-contracts: the published ones to everyone, and those the person
    works with; the notes only to the latter."""

    serializer_class = shapes.ContractSerializer
    filterset_class = ContractFilter


@extend_schema(tags=["contracts"], responses={200: shapes.ContractSerializer, **ERRORS})
class ContractDetailRead(_Contracts, DetailView):
    serializer_class = shapes.ContractSerializer


def _returns(request: Request, kind: str) -> QuerySet[Any]:
    return (
        returns_visible_to(person(request), kind)
        .select_related("commissioner", "round__year")
        .order_by("-round__year__start", "-round__quarter", "commissioner__code", "pk")
    )


@extend_schema(tags=["returns"], responses={200: shapes.PrisonReturnSerializer, **ERRORS})
class PrisonReturnList(ListView):
    """The prison returns the person may see: their own establishment's, or their region's."""

    serializer_class = shapes.PrisonReturnSerializer
    filterset_class = ReturnFilter

    def get_queryset(self) -> QuerySet[Any]:
        return _returns(self.request, ReturnKind.PRISON)


@extend_schema(tags=["returns"], responses={200: shapes.PrisonReturnDetailSerializer, **ERRORS})
class PrisonReturnDetailRead(DetailView):
    serializer_class = shapes.PrisonReturnDetailSerializer

    def get_queryset(self) -> QuerySet[Any]:
        return _returns(self.request, ReturnKind.PRISON).prefetch_related("lines__pathway", "lines__organisations")


@extend_schema(tags=["returns"], responses={200: shapes.ProbationReturnSerializer, **ERRORS})
class ProbationReturnList(ListView):
    """The probation returns the person may see: their own area's, or their region's."""

    serializer_class = shapes.ProbationReturnSerializer
    filterset_class = ReturnFilter

    def get_queryset(self) -> QuerySet[Any]:
        return _returns(self.request, ReturnKind.PROBATION)


@extend_schema(tags=["returns"], responses={200: shapes.ProbationReturnDetailSerializer, **ERRORS})
class ProbationReturnDetail(DetailView):
    serializer_class = shapes.ProbationReturnDetailSerializer

    def get_queryset(self) -> QuerySet[Any]:
        return _returns(self.request, ReturnKind.PROBATION).prefetch_related("lines__pathways")


class _Opportunities(generics.GenericAPIView):  # type: ignore[type-arg]
    def get_queryset(self) -> QuerySet[Opportunity]:
        # Published ones only: a manager's drafts stay on the pages until they are published.
        return (
            opportunities_visible_to(person(self.request))
            .filter(published_at__isnull=False)
            .prefetch_related("pathways")
            .order_by("-published_at", "pk")
        )


@extend_schema(tags=["commissioning"], responses={200: shapes.OpportunitySerializer, **ERRORS})
class OpportunityList(_Opportunities, ListView):
    serializer_class = shapes.OpportunitySerializer


@extend_schema(tags=["commissioning"], responses={200: shapes.OpportunitySerializer, **ERRORS})
class OpportunityDetail(_Opportunities, DetailView):
    serializer_class = shapes.OpportunitySerializer


@extend_schema(tags=["commissioning"], responses={200: shapes.BidSerializer, **ERRORS})
class BidList(ListView):
    """The bids the person may see, as the pages decide (``bids_visible_to``): a bidder its own
    partnerships' bids only; nobody another's bid while its stage is sealed."""

    serializer_class = shapes.BidSerializer

    def get_queryset(self) -> QuerySet[Bid]:
        return bids_visible_to(person(self.request)).order_by("stage__opportunity_id", "stage__number", "pk")


@extend_schema(tags=["reports"], responses={200: shapes.ReportSummarySerializer(many=True), **ERRORS})
class ReportList(Conditional, APIView):
    """Every registered report the person may read."""

    def get(self, request: Request) -> Response:
        return Response(
            [
                {
                    "name": report.name,
                    "title": report.title,
                    "description": report.description,
                    "takes": sorted(report.takes),
                    "signed_in_only": report.signed_in_only,
                }
                for report in report_access.reports_readable_by(person(request))
            ]
        )


REPORT_PARAMS = [
    OpenApiParameter(
        "name", OpenApiTypes.STR, OpenApiParameter.PATH, pattern="^[-a-zA-Z0-9_]+$", description="The report's name"
    ),
    OpenApiParameter("region", OpenApiTypes.STR, description="Region code; the default region if left out"),
    OpenApiParameter("at", OpenApiTypes.DATE, description="The day the figures are at"),
    OpenApiParameter("year", OpenApiTypes.STR, description="Financial year, e.g. 2006-07"),
    OpenApiParameter("quarter", OpenApiTypes.STR, description="Q1 to Q4"),
    OpenApiParameter("establishment_type", OpenApiTypes.STR, description="Prison reports only"),
]


@extend_schema(
    tags=["reports"],
    parameters=REPORT_PARAMS,
    responses={
        200: inline_serializer(
            "ReportDocument",
            {
                "report": serializers.CharField(),
                "params": serializers.DictField(child=serializers.CharField()),
                "rows": serializers.ListField(child=serializers.DictField()),
                "totals": serializers.DictField(),
                "reconciliation": serializers.ListField(child=serializers.DictField()),
                "tables": serializers.DictField(required=False),
            },
        ),
        **ERRORS,
    },
)
class ReportDetail(Conditional, APIView):
    """One report's figures, as its JSON download has them, with the same access as its page."""

    def get(self, request: Request, name: str) -> Response:
        report = REPORTS.get(name)
        if report is None:
            raise Http404
        if not report_access.may_read_report(person(request), report):
            raise exceptions.NotAuthenticated("This report is for people signed in: send a token.")
        raw = {k: str(v) for k, v in request.query_params.items() if str(v).strip()}
        try:
            result = run_report(name, raw)
        except ParamError as error:
            raise exceptions.ValidationError({error.field or "params": [str(error)]}) from error
        return Response(exports.as_document(result))
