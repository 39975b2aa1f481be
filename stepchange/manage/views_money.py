"""Main grants (the denominators of every share) and the targets they are measured against."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone

from stepchange.contracts.access import grants_visible_to
from stepchange.contracts.models import Target
from stepchange.core.pages import form_page
from stepchange.manage import services
from stepchange.manage.access import (
    grant_manager_required,
    may_manage_national_data,
    may_manage_region,
    national_manager_required,
    national_reader_required,
    probation_areas_managed_by,
)
from stepchange.manage.forms import GrantEditForm, GrantForm, TargetEditForm, TargetForm
from stepchange.manage.selectors import grant_table, targets

CAPTION = "Manage the region"


@grant_manager_required
def grant_list(request: HttpRequest) -> HttpResponse:
    years, rows = grant_table(request.user, today=timezone.localdate())
    return render(
        request,
        "manage/grants.html",
        {"years": years, "rows": rows, "is_region_manager": may_manage_region(request.user)},
    )


@grant_manager_required
def grant_create(request: HttpRequest) -> HttpResponse:
    initial: dict[str, Any] = {}
    if request.GET.get("commissioner"):
        initial["commissioner"] = request.GET["commissioner"]
    if request.GET.get("year"):
        initial["year"] = request.GET["year"]
    form = GrantForm(request.POST or None, initial=initial, commissioners=probation_areas_managed_by(request.user))
    return form_page(
        request,
        form,
        title="Add a main grant",
        back=reverse("manage:grants"),
        save=lambda data: services.main_grant_create(actor=request.user, **data),
        saved="The main grant has been added.",
        caption=CAPTION,
    )


@grant_manager_required
def grant_edit(request: HttpRequest, pk: int) -> HttpResponse:
    grant = get_object_or_404(grants_visible_to(request.user).select_related("year", "commissioner"), pk=pk)
    form = GrantEditForm.for_grant(grant, request.POST or None)
    return form_page(
        request,
        form,
        title=f"Change the main grant of {grant.commissioner.name} for {grant.year}",
        back=reverse("manage:grants"),
        save=lambda data: services.main_grant_update(
            actor=request.user,
            grant=grant,
            expected_version=data["version"],
            indicative=data["indicative"],
            final=data["final"],
        ),
        saved="The main grant has been changed.",
        details=[("Probation area", grant.commissioner.name), ("Financial year", grant.year)],
        caption=CAPTION,
    )


@national_reader_required
def target_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "manage/targets.html", {"targets": targets(), "may_change": may_manage_national_data(request.user)}
    )


@national_manager_required
def target_create(request: HttpRequest) -> HttpResponse:
    return form_page(
        request,
        TargetForm(request.POST or None),
        title="Add a target",
        back=reverse("manage:targets"),
        save=lambda data: services.target_create(actor=request.user, **data),
        saved="The target has been added.",
        caption="National data",
    )


@national_manager_required
def target_edit(request: HttpRequest, pk: int) -> HttpResponse:
    target = get_object_or_404(Target.objects.select_related("year"), pk=pk)
    form = TargetEditForm.for_target(target, request.POST or None)
    return form_page(
        request,
        form,
        title=f"Change the target for {target.get_commissioner_kind_display().lower()}s in {target.year}",
        back=reverse("manage:targets"),
        save=lambda data: services.target_update(
            actor=request.user, target=target, expected_version=data["version"], percentage=data["percentage"]
        ),
        saved="The target has been changed.",
        caption="National data",
    )
