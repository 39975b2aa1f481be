"""Reference data the reports read: pathways, figures published elsewhere, and return dates."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from stepchange.core.models import Pathway
from stepchange.core.pages import form_page
from stepchange.manage import services
from stepchange.manage.access import (
    figure_commissioners_for,
    figure_manager_required,
    figure_regions_for,
    may_manage_national_data,
    national_manager_required,
    national_reader_required,
    probation_areas_managed_by,
    published_figures_editable_by,
    region_manager_required,
    regions_managed_by,
)
from stepchange.manage.forms import (
    PathwayEditForm,
    PathwayForm,
    ProbationReturnForm,
    PublishedFigureEditForm,
    PublishedFigureForm,
    RegionTenderPeriodForm,
)
from stepchange.manage.selectors import probation_returns_managed_by
from stepchange.reports.models import PublishedFigure

CAPTION = "Manage the region"


@national_reader_required
def pathway_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "manage/pathways.html",
        {"pathways": Pathway.objects.order_by("order"), "may_change": may_manage_national_data(request.user)},
    )


@national_manager_required
def pathway_create(request: HttpRequest) -> HttpResponse:
    return form_page(
        request,
        PathwayForm(request.POST or None),
        title="Add a pathway",
        back=reverse("manage:pathways"),
        save=lambda data: services.pathway_create(actor=request.user, **data),
        saved="The pathway has been added.",
        caption="National data",
    )


@national_manager_required
def pathway_edit(request: HttpRequest, pk: int) -> HttpResponse:
    pathway = get_object_or_404(Pathway, pk=pk)
    return form_page(
        request,
        PathwayEditForm.for_pathway(pathway, request.POST or None),
        title=f"Change {pathway.name}",
        back=reverse("manage:pathways"),
        save=lambda data: services.pathway_update(
            actor=request.user,
            pathway=pathway,
            expected_version=data["version"],
            name=data["name"],
            short_name=data["short_name"],
            order=data["order"],
            applies_to_prisons=data["applies_to_prisons"],
        ),
        saved="The pathway has been changed.",
        caption="National data",
    )


@figure_manager_required
def figure_list(request: HttpRequest) -> HttpResponse:
    figures = PublishedFigure.objects.select_related("region", "commissioner__organisation").order_by(
        "-as_at", "measure", "region__name", "commissioner__code", "label"
    )
    editable = set(published_figures_editable_by(request.user).values_list("pk", flat=True))
    return render(request, "manage/figures.html", {"figures": figures, "editable": editable})


def _figure_choices(user: object) -> dict[str, Any]:
    return {"regions": figure_regions_for(user), "commissioners": figure_commissioners_for(user)}


@figure_manager_required
def figure_create(request: HttpRequest) -> HttpResponse:
    return form_page(
        request,
        PublishedFigureForm(request.POST or None, **_figure_choices(request.user)),
        title="Add a published figure",
        back=reverse("manage:figures"),
        save=lambda data: services.published_figure_create(actor=request.user, fields=data),
        saved="The published figure has been added.",
        caption=CAPTION,
    )


@figure_manager_required
def figure_edit(request: HttpRequest, pk: int) -> HttpResponse:
    figure = get_object_or_404(published_figures_editable_by(request.user), pk=pk)
    return form_page(
        request,
        PublishedFigureEditForm.for_figure(figure, request.POST or None, **_figure_choices(request.user)),
        title="Change a published figure",
        back=reverse("manage:figures"),
        save=lambda data: services.published_figure_update(
            actor=request.user, figure=figure, expected_version=data["version"], fields=data
        ),
        saved="The published figure has been changed.",
        caption=CAPTION,
    )


@region_manager_required
def return_list(request: HttpRequest) -> HttpResponse:
    return render(request, "manage/returns.html", {"returns": probation_returns_managed_by(request.user)})


@region_manager_required
def return_create(request: HttpRequest) -> HttpResponse:
    form = ProbationReturnForm(request.POST or None, commissioners=probation_areas_managed_by(request.user))
    return form_page(
        request,
        form,
        title="Record a probation return date",
        back=reverse("manage:returns"),
        save=lambda data: services.probation_return_record(actor=request.user, **data),
        saved="The return date has been recorded.",
        caption=CAPTION,
    )


@region_manager_required
def region_list(request: HttpRequest) -> HttpResponse:
    return render(request, "manage/regions.html", {"regions": regions_managed_by(request.user)})


@region_manager_required
def region_edit(request: HttpRequest, pk: int) -> HttpResponse:
    region = get_object_or_404(regions_managed_by(request.user), pk=pk)
    return form_page(
        request,
        RegionTenderPeriodForm.for_region(region, request.POST or None),
        title=f"Change the minimum tender period of {region.name}",
        back=reverse("manage:regions"),
        save=lambda data: services.region_tender_period_set(
            actor=request.user,
            region=region,
            expected_version=data["version"],
            minimum_tender_days=data["minimum_tender_days"],
        ),
        saved="The minimum tender period has been changed.",
        caption=CAPTION,
    )
