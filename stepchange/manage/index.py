"""The management index, /manage/: each page with a line on what it is for, for those who may use it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from stepchange.manage.access import (
    may_manage_figures,
    may_manage_grants,
    may_manage_national_data,
    may_manage_region,
    may_read_national_data,
    may_set_up_regions,
    may_use_manage,
)


@dataclass(frozen=True)
class ManageLink:
    label: str
    url: str
    description: str


def manage_links(user: Any) -> list[ManageLink]:
    links = []
    if may_set_up_regions(user):
        links += [
            ManageLink(
                "Regions on the service",
                reverse("manage:service-regions"),
                "Add a region to the service and invite its first regional commissioner.",
            ),
            ManageLink(
                "National figures",
                reverse("manage:national"),
                "Every region's share of main grant, returns and commissioning, from live data.",
            ),
        ]
    if may_manage_region(user):
        links.append(
            ManageLink(
                "Probation areas, prisons and the regional team",
                reverse("manage:commissioners"),
                "The region's commissioners: add one, or change a name, a prison's type or who runs it.",
            )
        )
    if may_manage_grants(user):
        links.append(
            ManageLink("Main grants", reverse("manage:grants"), "Indicative and final grants of each probation area.")
        )
    if may_read_national_data(user):
        # National data: a regional commissioner reads it, a national administrator changes it.
        kept = "" if may_manage_national_data(user) else " National data: read only."
        links += [
            ManageLink(
                "Targets",
                reverse("manage:targets"),
                "The share of main grant to spend with VCS and private providers." + kept,
            ),
            ManageLink(
                "Pathways", reverse("manage:pathways"), "The resettlement pathways and delivery lines, in order." + kept
            ),
        ]
    if may_manage_region(user):
        links.append(
            ManageLink(
                "Users",
                reverse("manage:users"),
                "The region's user accounts: invite someone, change or close an account.",
            )
        )
    if may_manage_figures(user):
        links.append(
            ManageLink(
                "Published figures",
                reverse("manage:figures"),
                "Figures other publications printed, for the national comparison and the reconciliations.",
            )
        )
    if may_manage_region(user):
        links += [
            ManageLink(
                "Probation return dates", reverse("manage:returns"), "The dates each area reported its position."
            ),
            ManageLink(
                "Tender periods and pathways",
                reverse("manage:regions"),
                "The minimum time each stage of a tender must be open for bids, and the pathways the "
                "region's prisons are asked about.",
            ),
            ManageLink(
                "Add an organisation",
                reverse("organisations:create"),
                "A provider or commissioner new to the directory.",
            ),
            ManageLink(
                "Requests for a change to organisations",
                reverse("organisations:change-requests"),
                "Organisations asking for a change to their sector, region, size or flags, with evidence.",
            ),
            ManageLink(
                "Organisations waiting to be listed",
                reverse("organisations:registrations"),
                "Organisations that registered themselves, to check before the directory lists them.",
            ),
            ManageLink(
                "Claims of organisations",
                reverse("organisations:claims"),
                "People asking to keep the profile of an organisation in the directory.",
            ),
            ManageLink(
                "Likely duplicate organisations",
                reverse("organisations:duplicates"),
                "Organisations with the same registered number or a close name, to merge.",
            ),
        ]
    return links


@login_required
def index(request: HttpRequest) -> HttpResponse:
    if not may_use_manage(request.user):
        raise Http404
    title = "Manage the region" if may_manage_region(request.user) else "Manage national data"
    return render(request, "manage/index.html", {"manage_links": manage_links(request.user), "title": title})
