"""Pages of the directory its sector keeps: the gap view and the downloads (public), services kept
by an organisation's own people, claims, and the regional team's queues of registrations, claims
and likely duplicates, with the merge."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from stepchange.core import access as core_access
from stepchange.core.concurrency import StaleEdit
from stepchange.core.models import Region
from stepchange.organisations import directory
from stepchange.organisations.access import (
    claims_decidable_by,
    claims_visible_to,
    may_claim,
    may_keep_services,
    may_merge_organisations,
    merge_refusal,
    organisations_of_regional_team,
    organisations_visible_to,
    registrations_decidable_by,
)
from stepchange.organisations.directory_reads import (
    directory_csv,
    directory_json,
    gaps,
    gaps_csv,
    likely_duplicates,
    open_referral,
)
from stepchange.organisations.forms import (
    ClaimForm,
    DecisionForm,
    DirectoryFilterForm,
    GapRegionForm,
    MergeForm,
    ServicesForm,
)
from stepchange.organisations.models import Listing
from stepchange.organisations.selectors import organisation_directory
from stepchange.organisations.views import _add_errors


def _download(content: str | bytes, *, name: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=name) or "attachment"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def _region_for(request: HttpRequest, form: GapRegionForm) -> Region:
    if form.is_valid() and form.cleaned_data.get("region"):
        return form.cleaned_data["region"]
    own = core_access.user_region_id(request.user)
    region = Region.objects.filter(pk=own).first() if own else None
    region = region or Region.objects.filter(holds_contracts=True).order_by("name").first()
    region = region or Region.objects.order_by("name").first()
    if region is None:
        raise Http404
    return region


@require_GET
def gap_view(request: HttpRequest) -> HttpResponse:
    form = GapRegionForm(request.GET or None)
    found = gaps(request.user, _region_for(request, form))
    return render(request, "organisations/gaps.html", {"form": form, "gaps": found})


@require_GET
def gap_download(request: HttpRequest) -> HttpResponse:
    found = gaps(request.user, _region_for(request, GapRegionForm(request.GET or None)))
    return _download(gaps_csv(found), name=f"gaps-{found.region.code}.csv", content_type="text/csv; charset=utf-8")


def _directory(request: HttpRequest):  # type: ignore[no-untyped-def]
    filters = DirectoryFilterForm(request.GET or None)
    return organisation_directory(request.user, filters=filters.cleaned_data if filters.is_valid() else {})


@require_GET
def download_csv(request: HttpRequest) -> HttpResponse:
    return _download(
        directory_csv(_directory(request)), name="organisations.csv", content_type="text/csv; charset=utf-8"
    )


@require_GET
def download_json(request: HttpRequest) -> HttpResponse:
    body = json.dumps({"organisations": directory_json(_directory(request))}, indent=1, ensure_ascii=False)
    return _download(body, name="organisations.json", content_type="application/json")


@require_GET
def download_open_referral(request: HttpRequest) -> HttpResponse:
    base = request.build_absolute_uri("/").rstrip("/")
    body = json.dumps(open_referral(_directory(request), base_url=base), indent=1, ensure_ascii=False)
    return _download(body, name="organisations-open-referral.json", content_type="application/json")


@login_required
def services_edit(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_object_or_404(organisations_visible_to(request.user), pk=pk)
    if not may_keep_services(request.user, organisation):
        raise Http404
    offered = organisation.services.values_list("pathway_id", "area_id")
    form = ServicesForm(request.POST or None, offered=offered, initial={"version": organisation.version})
    if request.method == "POST" and form.is_valid():
        try:
            directory.services_set(
                actor=request.user,
                organisation=organisation,
                expected_version=form.cleaned_data["version"],
                offers=form.offers(),
            )
        except StaleEdit as stale:
            form.add_error(None, stale.message)
        else:
            messages.success(request, f"{organisation.name}’s services have been saved.")
            return redirect("organisations:detail", pk=organisation.pk)
    return render(request, "organisations/services_form.html", {"form": form, "organisation": organisation})


# --- Registrations -------------------------------------------------------------------------------


@login_required
def registration_list(request: HttpRequest) -> HttpResponse:
    if not may_merge_organisations(request.user):
        raise Http404
    waiting = registrations_decidable_by(request.user).order_by("registered_at", "name")
    return render(request, "organisations/registrations.html", {"waiting": waiting})


@login_required
def registration_decide(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_object_or_404(registrations_decidable_by(request.user), pk=pk)
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        approve = form.cleaned_data["decision"] == "approve"
        try:
            directory.registration_decide(
                actor=request.user,
                organisation=organisation,
                approve=approve,
                refusal_reason=form.cleaned_data["refusal_reason"],
            )
        except ValidationError as refused:
            _add_errors(form, refused)
        else:
            messages.success(
                request,
                f"{organisation.name} has been {'listed' if approve else 'refused'}; its people have been told.",
            )
            return redirect("organisations:registrations")
    people = organisation.users.all()  # type: ignore[attr-defined]
    return render(
        request, "organisations/registration.html", {"organisation": organisation, "form": form, "people": people}
    )


# --- Claims --------------------------------------------------------------------------------------


@login_required
def claim_create(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_object_or_404(organisations_visible_to(request.user), pk=pk)
    if not may_claim(request.user, organisation):
        raise Http404
    form = ClaimForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            directory.claim_create(actor=request.user, organisation=organisation, reason=form.cleaned_data["reason"])
        except ValidationError as refused:
            _add_errors(form, refused)
        else:
            messages.success(request, "Your claim has been sent to the regional team, who will check it.")
            return redirect("organisations:detail", pk=organisation.pk)
    return render(request, "organisations/claim_form.html", {"form": form, "organisation": organisation})


@login_required
def claim_list(request: HttpRequest) -> HttpResponse:
    if not may_merge_organisations(request.user):
        raise Http404
    claims = claims_decidable_by(request.user).select_related("organisation", "claimant")
    return render(
        request,
        "organisations/claims.html",
        {"pending": [c for c in claims if c.is_pending], "decided": [c for c in claims if not c.is_pending][:50]},
    )


@login_required
def claim_detail(request: HttpRequest, pk: int) -> HttpResponse:
    claim = get_object_or_404(
        claims_visible_to(request.user).select_related("organisation", "claimant", "decided_by"), pk=pk
    )
    decides = claims_decidable_by(request.user).filter(pk=pk).exists()
    if request.method == "POST" and not decides:
        raise Http404
    form = DecisionForm(request.POST or None) if decides and (claim.is_pending or request.method == "POST") else None
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            directory.claim_decide(
                actor=request.user,
                claim=claim,
                approve=form.cleaned_data["decision"] == "approve",
                refusal_reason=form.cleaned_data["refusal_reason"],
            )
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as refused:
            _add_errors(form, refused)
        else:
            messages.success(request, f"The claim of {claim.organisation.name} has been decided.")
            return redirect("organisations:claims")
    return render(request, "organisations/claim.html", {"claim": claim, "form": form})


# --- Duplicates ----------------------------------------------------------------------------------


@login_required
def duplicate_list(request: HttpRequest) -> HttpResponse:
    if not may_merge_organisations(request.user):
        raise Http404
    return render(request, "organisations/duplicates.html", {"duplicates": likely_duplicates(request.user)})


@login_required
def merge(request: HttpRequest, first: int, second: int) -> HttpResponse:
    team = organisations_of_regional_team(request.user).select_related("region")
    pair = (get_object_or_404(team, pk=first), get_object_or_404(team, pk=second))
    if not may_merge_organisations(request.user):
        raise Http404
    refusal = merge_refusal(request.user, kept=pair[0], duplicate=pair[1])
    form = MergeForm(request.POST or None, pair=pair) if not refusal else None
    if request.method == "POST" and form is not None and form.is_valid():
        kept, duplicate = form.kept_and_duplicate()
        try:
            directory.organisation_merge(actor=request.user, kept=kept, duplicate=duplicate)
        except ValidationError as refused:
            _add_errors(form, refused)
        else:
            messages.success(request, f"{duplicate.name} has been merged into {kept.name}.")
            return redirect("organisations:detail", pk=kept.pk)
    return render(
        request,
        "organisations/merge.html",
        {"pair": pair, "form": form, "refusal": refusal, "listing_waiting": Listing.WAITING},
    )
