"""Pages of the directory of organisations: the list, a profile, and the forms that change one."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from stepchange.core import access
from stepchange.core.concurrency import StaleEdit
from stepchange.core.models import Region
from stepchange.organisations import services
from stepchange.organisations.access import organisations_editable_by, organisations_visible_to
from stepchange.organisations.forms import DirectoryFilterForm, OrganisationForm
from stepchange.organisations.selectors import organisation_directory

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
            "may_add": _may_add(request.user),
        },
    )


def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_object_or_404(
        organisations_visible_to(request.user).select_related("region"),
        pk=pk,
    )
    return render(
        request,
        "organisations/detail.html",
        {
            "organisation": organisation,
            "may_edit": organisations_editable_by(request.user).filter(pk=pk).exists(),
        },
    )


@login_required
def organisation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_object_or_404(organisations_editable_by(request.user), pk=pk)
    form = OrganisationForm(request.POST or None, instance=organisation, regions=_regions_for(request.user))
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
    return render(request, "organisations/form.html", {"form": form, "organisation": organisation})


@login_required
def organisation_create(request: HttpRequest) -> HttpResponse:
    if not _may_add(request.user):
        raise Http404
    regions = _regions_for(request.user)
    initial = {"region": access.user_region_id(request.user)}
    form = OrganisationForm(request.POST or None, initial=initial, regions=regions)
    if request.method == "POST" and form.is_valid():
        organisation = services.organisation_create(actor=request.user, fields=form.profile_fields())
        messages.success(request, f"{organisation.name} has been added.")
        return redirect("organisations:detail", pk=organisation.pk)
    return render(request, "organisations/form.html", {"form": form, "organisation": None})


def _may_add(user: object) -> bool:
    """Adding an organisation is the regional commissioner's (and a superuser's)."""
    return access.is_regional_commissioner(user) or access.is_superuser(user)


def _regions_for(user: object):  # type: ignore[no-untyped-def]
    """A regional commissioner places organisations in their own region; others choose any."""
    if access.is_regional_commissioner(user) and not access.is_superuser(user):
        return Region.objects.filter(pk__in=[access.user_region_id(user)])
    return Region.objects.all()
