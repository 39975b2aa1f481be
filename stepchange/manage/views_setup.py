"""Setting up a region on the service, from the browser.

The national administrator adds a region (or puts one known from published figures on the
service), invites its first regional commissioner and reads every region's figures side by side.
That commissioner then sets up their own region: its probation areas, prisons and regional team,
the pathways its prisons are asked about, and (on the existing pages) its users and main grants.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from stepchange.accounts import services as account_services
from stepchange.accounts.access import regions_open_to_first_commissioner
from stepchange.accounts.forms import FirstCommissionerInviteForm
from stepchange.accounts.views import link_maker, too_many_requests, within_limits
from stepchange.core.concurrency import StaleEdit
from stepchange.core.models import Region, pathways_asked_of_prisons
from stepchange.core.pages import form_page
from stepchange.manage import region_setup
from stepchange.manage.access import own_region_setter_required, region_setter_required, regions_managed_by
from stepchange.manage.forms import (
    CommissionerEditForm,
    CommissionerForm,
    NationalDashboardForm,
    RegionForm,
    RegionJoinForm,
    RegionPathwaysForm,
)
from stepchange.manage.national import national_figures
from stepchange.organisations import services as organisation_services
from stepchange.organisations.access import commissioner_regions_for, commissioners_set_up_by
from stepchange.organisations.models import CommissionerKind

NATIONAL = "National data"
CAPTION = "Set up the region"
# The kinds a region's commissioner adds, by the word in the URL.
KINDS = {
    "probation-area": CommissionerKind.PROBATION,
    "prison": CommissionerKind.PRISON,
    "regional-team": CommissionerKind.REGIONAL,
}
KIND_WORDS = {
    CommissionerKind.PROBATION: "a probation area",
    CommissionerKind.PRISON: "a prison",
    CommissionerKind.REGIONAL: "the regional team",
}


# The national administrator ----------------------------------------------------------------------


@region_setter_required
def service_region_list(request: HttpRequest) -> HttpResponse:
    open_to_first = set(regions_open_to_first_commissioner(request.user).values_list("pk", flat=True))
    regions = Region.objects.annotate(
        commissioner_count=Count("commissioners", distinct=True),
    ).order_by("-holds_contracts", "name")
    return render(
        request,
        "manage/service_regions.html",
        {"regions": regions, "open_to_first": open_to_first, "join_form": RegionJoinForm},
    )


@region_setter_required
def service_region_create(request: HttpRequest) -> HttpResponse:
    return form_page(
        request,
        RegionForm(request.POST or None),
        title="Add a region to the service",
        back=reverse("manage:service-regions"),
        save=lambda data: region_setup.region_create(actor=request.user, code=data["code"], name=data["name"]),
        saved="The region has been added to the service. Invite its first regional commissioner next.",
        caption=NATIONAL,
    )


@login_required
@require_POST
@region_setter_required
def service_region_join(request: HttpRequest, pk: int) -> HttpResponse:
    region = get_object_or_404(Region.objects.filter(holds_contracts=False), pk=pk)
    form = RegionJoinForm(request.POST)
    if not form.is_valid():
        messages.error(request, "The page was out of date: look at the region again before putting it on the service.")
        return redirect("manage:service-regions")
    try:
        region_setup.region_join(actor=request.user, region=region, expected_version=form.cleaned_data["version"])
    except StaleEdit as stale:
        messages.error(request, stale.message)
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
    else:
        messages.success(request, f"{region.name} is now on the service. Invite its first regional commissioner next.")
    return redirect("manage:service-regions")


@region_setter_required
def service_region_invite(request: HttpRequest, pk: int) -> HttpResponse:
    """Invite the region's first regional commissioner, by e-mail, as the regional team invites anyone."""
    region = get_object_or_404(regions_open_to_first_commissioner(request.user), pk=pk)
    form = FirstCommissionerInviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        if not within_limits(request, "invitation", data["email"]):
            return too_many_requests(request)
        try:
            account_services.first_commissioner_invite(
                actor=request.user,
                region=region,
                link_for=link_maker(request, "accounts:invitation-accept"),
                **data,
            )
        except ValidationError as refused:
            form.add_error(None, refused)
        else:
            messages.success(request, f"An invitation has been sent to {data['email']}.")
            return redirect("manage:service-regions")
    return render(
        request,
        "core/form.html",
        {
            "form": form,
            "title": f"Invite the first regional commissioner of {region.name}",
            "caption": NATIONAL,
            "back": reverse("manage:service-regions"),
            "details": [("Region", region.name), ("Role", "Regional commissioner")],
            "button": "Send the invitation",
        },
    )


@region_setter_required
def national_dashboard(request: HttpRequest) -> HttpResponse:
    form = NationalDashboardForm(request.GET or None)
    at = timezone.localdate()
    if form.is_bound and form.is_valid() and form.cleaned_data["at"]:
        at = form.cleaned_data["at"]
    figures = national_figures(at=at)
    return render(request, "manage/national.html", {"form": form, "figures": figures})


# A region's own commissioner ---------------------------------------------------------------------


@own_region_setter_required
def commissioner_list(request: HttpRequest) -> HttpResponse:
    commissioners = commissioners_set_up_by(request.user).order_by("region__name", "kind", "organisation__name")
    sections = [
        (kind, label, [c for c in commissioners if c.kind == kind], slug)
        for slug, kind in KINDS.items()
        for label in [CommissionerKind(kind).label]
    ]
    regions = commissioner_regions_for(request.user)
    has_team = set(
        regions.filter(Q(commissioners__kind=CommissionerKind.REGIONAL)).values_list("pk", flat=True).distinct()
    )
    return render(
        request,
        "manage/commissioners.html",
        {
            "sections": sections,
            "regions": regions,
            "may_add_team": set(regions.values_list("pk", flat=True)) - has_team,
        },
    )


@own_region_setter_required
def commissioner_create(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in KINDS:
        raise Http404
    regions = commissioner_regions_for(request.user)
    commissioner_kind = KINDS[kind]

    def save(data: dict[str, Any]) -> Any:
        return organisation_services.commissioner_create(
            actor=request.user,
            region=data.get("region") or regions.get(),
            kind=commissioner_kind,
            code=data["code"],
            name=data["name"],
            operator=data.get("operator", ""),
            establishment_type=data.get("establishment_type", ""),
        )

    return form_page(
        request,
        CommissionerForm(request.POST or None, kind=commissioner_kind, regions=regions),
        title=f"Add {KIND_WORDS[commissioner_kind]}",
        back=reverse("manage:commissioners"),
        save=save,
        saved=f"{KIND_WORDS[commissioner_kind].capitalize()} has been added.",
        details=[("Region", regions.get().name)] if regions.count() == 1 else [],
        caption=CAPTION,
    )


@own_region_setter_required
def commissioner_edit(request: HttpRequest, pk: int) -> HttpResponse:
    commissioner = get_object_or_404(commissioners_set_up_by(request.user), pk=pk)
    return form_page(
        request,
        CommissionerEditForm.for_commissioner(commissioner, request.POST or None),
        title=f"Change {commissioner.name}",
        back=reverse("manage:commissioners"),
        save=lambda data: organisation_services.commissioner_update(
            actor=request.user,
            commissioner=commissioner,
            expected_version=data["version"],
            name=data["name"],
            operator=data.get("operator", ""),
            establishment_type=data.get("establishment_type", ""),
        ),
        saved=f"{commissioner.get_kind_display()} {commissioner.code} has been changed.",
        details=[
            ("Code", commissioner.code),
            ("Kind", commissioner.get_kind_display()),
            ("Region", commissioner.region),
        ],
        caption=CAPTION,
    )


@own_region_setter_required
def region_pathways(request: HttpRequest, pk: int) -> HttpResponse:
    region = get_object_or_404(regions_managed_by(request.user), pk=pk)
    return form_page(
        request,
        RegionPathwaysForm.for_region(region, pathways_asked_of_prisons(region), request.POST or None),
        title=f"Pathways asked of the prisons of {region.name}",
        back=reverse("manage:regions"),
        save=lambda data: region_setup.region_pathways_set(
            actor=request.user, region=region, expected_version=data["version"], asked=list(data["asked"])
        ),
        saved="The pathways asked of the region's prisons have been saved.",
        caption=CAPTION,
    )
