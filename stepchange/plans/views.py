"""Sub-contracting plans pages, under /plans/. Thin: each asks ``access``, reads through
``selectors`` and writes through ``services``. A plan a person may not see is a 404, as is a page
they may not use."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from stepchange.contracts.models import Contract
from stepchange.core.concurrency import StaleEdit
from stepchange.core.exports import SafeCsvWriter
from stepchange.core.models import FinancialYear, Region
from stepchange.core.pages import form_page
from stepchange.plans import access, selectors, services
from stepchange.plans.forms import (
    ConfirmForm,
    NotesForm,
    OtherMoneyForm,
    PlanCreateForm,
    PlannedContractForm,
    SendBackForm,
)
from stepchange.plans.models import OtherMoney, Plan, PlannedContract, PlanVersion
from stepchange.plans.projection import project_year_end

NOT_FOUND = "Page not found"


def _visible(request: HttpRequest, pk: int) -> Plan:
    return get_object_or_404(access.plans_visible_to(request.user).select_related("area", "year"), pk=pk)


def _open_version(request: HttpRequest, pk: int) -> PlanVersion:
    """The plan's latest version, when this person may change it."""
    version = selectors.latest_version(_visible(request, pk))
    if not access.may_change_version(request.user, version):
        raise Http404(NOT_FOUND)
    return version


def _confirm_page(
    request: HttpRequest,
    form: forms.Form,
    *,
    title: str,
    caption: str,
    back: str,
    button: str,
    save: Callable[[dict[str, Any]], Any],
    saved: str,
    details: list[tuple[str, Any]] | None = None,
    warning: bool = False,
) -> HttpResponse:
    """``form_page`` with the button saying what it does (Submit, Approve, Remove)."""
    if request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data)
        except StaleEdit as stale:
            form.add_error(None, stale.message)
        except ValidationError as refused:
            form.add_error(None, refused)
        else:
            messages.success(request, saved)
            return redirect(back)
    return render(
        request,
        "plans/confirm.html",
        {
            "form": form,
            "title": title,
            "caption": caption,
            "back": back,
            "button": button,
            "details": details or [],
            "warning": warning,
        },
    )


@login_required
def index(request: HttpRequest) -> HttpResponse:
    plans = access.plans_visible_to(request.user).select_related("area__region", "year")
    rows = [(plan, selectors.latest_version(plan)) for plan in plans.order_by("-year__start", "area__code")]
    return render(
        request,
        "plans/index.html",
        {
            "rows": rows,
            "may_create": access.areas_drafted_by(request.user).exists(),
            "may_see_rollup": access.may_see_rollup(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def create(request: HttpRequest) -> HttpResponse:
    areas = access.areas_drafted_by(request.user)
    if not areas.exists():
        raise Http404(NOT_FOUND)
    form = PlanCreateForm(request.POST or None, areas=areas, years=FinancialYear.objects.order_by("start"))
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.plan_create(
                actor=request.user, area=form.cleaned_data["area"], year=form.cleaned_data["year"]
            )
        except ValidationError as refused:
            form.add_error(None, refused)
        else:
            messages.success(request, "The plan is started as a draft. Add its planned contracts.")
            return redirect(plan.get_absolute_url())
    return render(
        request,
        "core/form.html",
        {"form": form, "title": "Start a sub-contracting plan", "caption": "Plans", "back": reverse("plans:index")},
    )


def _version_page(request: HttpRequest, plan: Plan, version: PlanVersion) -> HttpResponse:
    today = timezone.localdate()
    projection = project_year_end(version)
    pathway_rows, actual_total = selectors.plan_against_actual(version, projection, today)
    latest = selectors.latest_version(plan)
    is_latest = latest.pk == version.pk
    may_change = is_latest and access.may_change_version(request.user, version)
    return render(
        request,
        "plans/plan.html",
        {
            "plan": plan,
            "version": version,
            "is_latest": is_latest,
            "projection": projection,
            "pathway_rows": pathway_rows,
            "actual_total": actual_total,
            "total_gap": projection.counted - actual_total,
            "not_started": {c.line.pk for c in projection.lines if selectors.not_started(c.line, today)},
            "other_money": list(version.other_money.all()),
            "versions": list(plan.versions.order_by("-number").select_related("created_by", "approved_by")),
            "changes": selectors.changes_since_previous(version),
            "today": today,
            "may_change": may_change,
            "may_decide": is_latest and access.may_decide_version(request.user, version),
            "may_revise": is_latest and access.may_revise_plan(request.user, plan),
        },
    )


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _visible(request, pk)
    return _version_page(request, plan, selectors.latest_version(plan))


@login_required
def version(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    plan = _visible(request, pk)
    return _version_page(request, plan, get_object_or_404(plan.versions, number=number))


@login_required
@require_http_methods(["GET", "POST"])
def notes(request: HttpRequest, pk: int) -> HttpResponse:
    version = _open_version(request, pk)
    form = NotesForm(request.POST or None, initial={"notes": version.notes, "version": version.version})

    def save(data: dict[str, Any]) -> Any:
        return services.version_notes_update(
            actor=request.user, version=version, notes=data["notes"], expected=data["version"]
        )

    return form_page(
        request,
        form,
        title="Change the plan's notes",
        caption=str(version.plan),
        back=version.plan.get_absolute_url(),
        save=save,
        saved="The notes are saved.",
    )


def _area_contracts(version: PlanVersion) -> Any:
    return Contract.objects.filter(commissioner=version.plan.area)


@login_required
@require_http_methods(["GET", "POST"])
def planned_add(request: HttpRequest, pk: int) -> HttpResponse:
    version = _open_version(request, pk)
    form = PlannedContractForm(
        request.POST or None, area_contracts=_area_contracts(version), initial={"version": version.version}
    )

    def save(data: dict[str, Any]) -> Any:
        return services.planned_add(actor=request.user, version=version, data=data, expected=data["version"])

    return form_page(
        request,
        form,
        title="Add a planned contract",
        caption=str(version.plan),
        back=version.plan.get_absolute_url(),
        save=save,
        saved="The planned contract is added.",
    )


def _line(version: PlanVersion, model: type[PlannedContract] | type[OtherMoney], line: int) -> Any:
    return get_object_or_404(model.objects.filter(plan_version=version), line=line)


@login_required
@require_http_methods(["GET", "POST"])
def planned_edit(request: HttpRequest, pk: int, line: int) -> HttpResponse:
    version = _open_version(request, pk)
    planned = _line(version, PlannedContract, line)
    initial = {k: getattr(planned, k) for k in services.PLANNED_FIELDS} | {"version": version.version}
    form = PlannedContractForm(request.POST or None, area_contracts=_area_contracts(version), initial=initial)

    def save(data: dict[str, Any]) -> Any:
        return services.planned_update(actor=request.user, line=planned, data=data, expected=data["version"])

    return form_page(
        request,
        form,
        title="Change a planned contract",
        caption=str(version.plan),
        back=version.plan.get_absolute_url(),
        save=save,
        saved="The planned contract is changed.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def planned_remove(request: HttpRequest, pk: int, line: int) -> HttpResponse:
    version = _open_version(request, pk)
    planned = _line(version, PlannedContract, line)
    form = ConfirmForm(request.POST or None, initial={"version": version.version})
    return _confirm_page(
        request,
        form,
        title="Remove this planned contract?",
        caption=str(version.plan),
        back=version.plan.get_absolute_url(),
        button="Remove",
        warning=True,
        save=lambda data: services.planned_remove(actor=request.user, line=planned, expected=data["version"]),
        saved="The planned contract is removed.",
        details=[("Pathway", planned.pathway.name), ("Description", planned.description)],
    )


@login_required
@require_http_methods(["GET", "POST"])
def other_add(request: HttpRequest, pk: int) -> HttpResponse:
    version = _open_version(request, pk)
    form = OtherMoneyForm(request.POST or None, initial={"version": version.version})

    def save(data: dict[str, Any]) -> Any:
        return services.other_add(actor=request.user, version=version, data=data, expected=data["version"])

    return form_page(
        request,
        form,
        title="Add a secondment or co-commissioned money",
        caption=str(version.plan),
        back=version.plan.get_absolute_url(),
        save=save,
        saved="It is added. It is reported beside the target and never counted toward it.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def other_remove(request: HttpRequest, pk: int, line: int) -> HttpResponse:
    version = _open_version(request, pk)
    money = _line(version, OtherMoney, line)
    form = ConfirmForm(request.POST or None, initial={"version": version.version})
    return _confirm_page(
        request,
        form,
        title="Remove this line?",
        caption=str(version.plan),
        back=version.plan.get_absolute_url(),
        button="Remove",
        warning=True,
        save=lambda data: services.other_remove(actor=request.user, money=money, expected=data["version"]),
        saved="The line is removed.",
        details=[("What it is", money.get_kind_display()), ("Partner or funder", money.party)],
    )


@login_required
@require_http_methods(["GET", "POST"])
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    version = _open_version(request, pk)
    form = ConfirmForm(request.POST or None, initial={"version": version.version})
    return _confirm_page(
        request,
        form,
        title="Submit the plan for approval?",
        caption=str(version.plan),
        back=version.plan.get_absolute_url(),
        button="Submit for approval",
        save=lambda data: services.version_submit(actor=request.user, version=version, expected=data["version"]),
        saved="The plan is submitted. The regional commissioner will approve it or send it back.",
        details=[("Version", version.number)],
    )


def _decidable(request: HttpRequest, pk: int) -> PlanVersion:
    version = selectors.latest_version(_visible(request, pk))
    if not access.may_decide_version(request.user, version):
        raise Http404(NOT_FOUND)
    return version


@login_required
@require_http_methods(["GET", "POST"])
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    version = _decidable(request, pk)
    form = ConfirmForm(request.POST or None, initial={"version": version.version})
    return _confirm_page(
        request,
        form,
        title="Approve the plan?",
        caption=str(version.plan),
        back=version.plan.get_absolute_url(),
        button="Approve",
        save=lambda data: services.version_approve(actor=request.user, version=version, expected=data["version"]),
        saved="The plan is approved.",
        details=[("Version", version.number)],
    )


@login_required
@require_http_methods(["GET", "POST"])
def send_back(request: HttpRequest, pk: int) -> HttpResponse:
    version = _decidable(request, pk)
    form = SendBackForm(request.POST or None, initial={"version": version.version})
    return _confirm_page(
        request,
        form,
        title="Send the plan back",
        caption=str(version.plan),
        back=version.plan.get_absolute_url(),
        button="Send back",
        save=lambda data: services.version_send_back(
            actor=request.user, version=version, reason=data["reason"], expected=data["version"]
        ),
        saved="The plan is sent back to the area with your reason.",
        details=[("Version", version.number)],
    )


@login_required
@require_http_methods(["GET", "POST"])
def revise(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _visible(request, pk)
    if not access.may_revise_plan(request.user, plan):
        raise Http404(NOT_FOUND)
    latest = selectors.latest_version(plan)
    form = ConfirmForm(request.POST or None, initial={"version": latest.version})
    return _confirm_page(
        request,
        form,
        title="Revise the approved plan?",
        caption=str(plan),
        back=plan.get_absolute_url(),
        button="Start a revision",
        save=lambda data: services.plan_revise(actor=request.user, plan=plan, expected=data["version"]),
        saved=f"Version {latest.number + 1} is started as a draft; version {latest.number} stays as approved.",
        details=[("Approved version", latest.number)],
    )


def _rollup_for(request: HttpRequest) -> selectors.Rollup:
    regions = access.regions_rolled_up_for(request.user)
    if not regions.exists():
        raise Http404(NOT_FOUND)
    region: Region | None = (
        regions.filter(code=request.GET["region"]).first()
        if request.GET.get("region")
        else access.default_rollup_region(request.user)
    )
    if region is None:
        raise Http404(NOT_FOUND)
    years = selectors.years_with_plans(region)
    year = None
    if request.GET.get("year"):
        year = FinancialYear.objects.filter(name=request.GET["year"]).first()
    if year is None:
        year = years.first() or FinancialYear.objects.filter(start__lte=timezone.localdate()).order_by("-start").first()
    if year is None:
        raise Http404(NOT_FOUND)
    return selectors.rollup(region, year)


@login_required
def rollup(request: HttpRequest) -> HttpResponse:
    result = _rollup_for(request)
    regions = access.regions_rolled_up_for(request.user).order_by("name")
    return render(
        request,
        "plans/rollup.html",
        {
            "rollup": result,
            "chart": selectors.rollup_chart(result, id_prefix="plans-rollup") if result.rows else None,
            "regions": regions if regions.count() > 1 else [],
            "years": selectors.years_with_plans(result.region),
        },
    )


ROLLUP_HEADINGS = [
    "Region",
    "Year",
    "Area",
    "Plan version",
    "Status",
    "Main grant",
    "Grant used",
    "Commitments",
    "Planned",
    "Counted at year end",
    "Projected share (%)",
    "Target (%)",
    "Gap (£)",
    "Gap (points)",
    "Contribution to regional share (points)",
    "Secondments in kind (not counted)",
    "Co-commissioned (not counted)",
]


@login_required
def rollup_csv(request: HttpRequest) -> HttpResponse:
    result = _rollup_for(request)
    out = io.StringIO()
    writer = SafeCsvWriter(out)
    writer.writerow(ROLLUP_HEADINGS)
    for row in result.rows:
        p = row.projection
        writer.writerow(
            [
                result.region.name,
                result.year.name,
                row.plan.area.name,
                row.version.number,
                row.version.get_status_display(),
                p.main_grant,
                p.grant_basis,
                p.commitments_value,
                p.planned_value,
                p.counted,
                p.share_pct,
                p.target_pct,
                p.gap_amount,
                p.gap_pts,
                row.contribution_pts,
                p.secondments_value,
                p.co_commissioned_value,
            ]
        )
    writer.writerow(
        [
            result.region.name,
            result.year.name,
            "Region, weighted by grant",
            "",
            "",
            result.grant_total,
            "",
            "",
            "",
            result.counted_total,
            result.weighted_share_pct,
            result.target_pct,
            "",
            result.gap_pts,
            result.weighted_share_pct,
            "",
            "",
        ]
    )
    writer.writerow(
        [result.region.name, result.year.name, "Region, plain mean of the areas' shares"]
        + [""] * 7
        + [result.mean_share_pct, result.target_pct]
        + [""] * 5
    )
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="sub-contracting-plans-{result.region.code}-{result.year.name}.csv"'
    )
    return response
