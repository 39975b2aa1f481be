"""Pages of the directory of organisations: the list, a profile, the forms that change one, and the
requests an organisation makes for a change to its protected fields, with the regional team's decision."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from stepchange.core import access
from stepchange.core.concurrency import StaleEdit
from stepchange.core.uploads import download_name
from stepchange.organisations import services
from stepchange.organisations.access import (
    change_requests_decidable_by,
    change_requests_visible_to,
    may_add_organisations,
    may_change_protected,
    may_claim,
    may_decide_change_requests,
    may_keep_services,
    may_merge_organisations,
    may_register,
    may_request_change,
    may_see_profile_history,
    organisations_editable_by,
    organisations_regions_placeable_by,
    organisations_visible_to,
)
from stepchange.organisations.forms import (
    ChangeDecisionForm,
    ChangeRequestForm,
    DirectoryFilterForm,
    OrganisationForm,
)
from stepchange.organisations.profile_sections import sections_for
from stepchange.organisations.selectors import asked_changes, organisation_directory, profile_history

PAGE_SIZE = 25


def organisation_list(request: HttpRequest) -> HttpResponse:
    filters = DirectoryFilterForm(request.GET or None)
    cleaned = filters.cleaned_data if filters.is_valid() else {}
    organisations = organisation_directory(request.user, filters=cleaned)
    page = Paginator(organisations, PAGE_SIZE).get_page(request.GET.get("page"))
    # The filters travel with the page links; the page number is added by the template.
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "organisations/list.html",
        {
            "filters": filters,
            "page": page,
            "query": query.urlencode(),
            "may_add": may_add_organisations(request.user),
            "may_register": may_register(request.user),
            "is_regional_team": may_merge_organisations(request.user),
        },
    )


def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_object_or_404(
        organisations_visible_to(request.user).select_related("region"),
        pk=pk,
    )
    sees_history = may_see_profile_history(request.user, organisation)
    return render(
        request,
        "organisations/detail.html",
        {
            "organisation": organisation,
            "services": organisation.services.select_related("pathway", "area__organisation"),
            "may_keep_services": may_keep_services(request.user, organisation),
            "may_claim": may_claim(request.user, organisation),
            "sections": sections_for(request.user, organisation),
            "merges": organisation.merges.select_related("merged_by") if sees_history else [],
            "may_edit": organisations_editable_by(request.user).filter(pk=pk).exists(),
            "may_request_change": may_request_change(request.user, organisation),
            "history": profile_history(organisation) if sees_history else None,
            "requests": (
                change_requests_visible_to(request.user).filter(organisation=organisation)[:10] if sees_history else []
            ),
        },
    )


@login_required
def organisation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_object_or_404(organisations_editable_by(request.user), pk=pk)
    form = OrganisationForm(
        request.POST or None,
        instance=organisation,
        regions=organisations_regions_placeable_by(request.user),
        protected_editable=may_change_protected(request.user, organisation),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_update(
                actor=request.user,
                organisation=organisation,
                expected_version=form.cleaned_data["version"],
                fields=form.profile_fields(),
            )
        except StaleEdit as stale:
            form.add_error(None, stale.message)
        else:
            messages.success(request, f"{organisation.name}’s profile has been saved.")
            return redirect("organisations:detail", pk=organisation.pk)
    return render(
        request,
        "organisations/form.html",
        {
            "form": form,
            "organisation": organisation,
            "may_request_change": may_request_change(request.user, organisation),
        },
    )


@login_required
def change_request_create(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_object_or_404(organisations_editable_by(request.user), pk=pk)
    if not may_request_change(request.user, organisation):
        raise Http404
    form = ChangeRequestForm.for_organisation(organisation, request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.change_request_create(
                actor=request.user,
                organisation=organisation,
                fields=form.asked(),
                reason=form.cleaned_data["reason"],
                evidence=form.cleaned_data["evidence"],
            )
        except ValidationError as refused:
            _add_errors(form, refused)
        else:
            messages.success(request, "Your request has been sent to the regional team, who will decide on it.")
            return redirect("organisations:detail", pk=organisation.pk)
    return render(request, "organisations/change_request_form.html", {"form": form, "organisation": organisation})


@login_required
def change_request_list(request: HttpRequest) -> HttpResponse:
    """The regional team's requests to decide; nobody else has such a list."""
    if not may_decide_change_requests(request.user):
        raise Http404
    requests = change_requests_decidable_by(request.user).select_related("organisation", "requested_by")
    return render(
        request,
        "organisations/change_requests.html",
        {
            "pending": [r for r in requests if r.is_pending],
            "decided": [r for r in requests if not r.is_pending][:50],
        },
    )


@login_required
def change_request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    change_request = get_object_or_404(
        change_requests_visible_to(request.user).select_related("organisation", "requested_by", "decided_by"), pk=pk
    )
    decides = change_requests_decidable_by(request.user).filter(pk=pk).exists()
    if request.method == "POST" and not decides:
        raise Http404
    # A decision posted after someone else's reaches the service, which says who decided and when.
    posted = request.method == "POST"
    form = ChangeDecisionForm(request.POST or None) if decides and (change_request.is_pending or posted) else None
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            services.change_request_decide(
                actor=request.user,
                change_request=change_request,
                approve=form.cleaned_data["decision"] == "approve",
                refusal_reason=form.cleaned_data["refusal_reason"],
                effective_on=form.cleaned_data["effective_on"],
            )
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as refused:
            _add_errors(form, refused)
        else:
            messages.success(request, f"The request from {change_request.organisation.name} has been decided.")
            return redirect("organisations:change-requests")
    return render(
        request,
        "organisations/change_request.html",
        {"change_request": change_request, "asked": asked_changes(change_request), "form": form},
    )


@login_required
@require_GET
def change_request_evidence(request: HttpRequest, pk: int) -> HttpResponse:
    change_request = get_object_or_404(change_requests_visible_to(request.user), pk=pk)
    if not change_request.evidence_name:
        raise Http404
    response = HttpResponse(bytes(change_request.evidence or b""), content_type=change_request.evidence_content_type)
    name = download_name(change_request.evidence_name, change_request.evidence_format)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=name) or "attachment"
    response["Content-Length"] = str(change_request.evidence_size)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def _add_errors(form: object, refused: ValidationError) -> None:
    """A service's refusal beside the field it names, or at the top when the form has no such field."""
    fields = getattr(form, "fields", {})
    if hasattr(refused, "error_dict"):
        for name, errors in refused.error_dict.items():
            form.add_error(name if name in fields else None, errors)  # type: ignore[attr-defined]
    else:
        form.add_error(None, refused)  # type: ignore[attr-defined]


@login_required
def organisation_create(request: HttpRequest) -> HttpResponse:
    if not may_add_organisations(request.user):
        raise Http404
    regions = organisations_regions_placeable_by(request.user)
    initial = {"region": access.user_region_id(request.user)}
    form = OrganisationForm(request.POST or None, initial=initial, regions=regions)
    if request.method == "POST" and form.is_valid():
        try:  # the form checked the name; someone adding the same name at the same moment is caught here
            organisation = services.organisation_create(actor=request.user, fields=form.profile_fields())
        except ValidationError as refused:
            _add_errors(form, refused)
        else:
            messages.success(request, f"{organisation.name} has been added.")
            return redirect("organisations:detail", pk=organisation.pk)
    return render(request, "organisations/form.html", {"form": form, "organisation": None})
