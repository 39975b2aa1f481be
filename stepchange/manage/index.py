"""What the management index lists: each page with a line on what it is for."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse

from stepchange.manage.access import may_manage_grants, may_manage_region


@dataclass(frozen=True)
class ManageLink:
    label: str
    url: str
    description: str


def manage_links(user: Any) -> list[ManageLink]:
    links = []
    if may_manage_grants(user):
        links.append(
            ManageLink("Main grants", reverse("manage:grants"), "Indicative and final grants of each probation area.")
        )
    if may_manage_region(user):
        links += [
            ManageLink(
                "Targets", reverse("manage:targets"), "The share of main grant to spend with VCS and private providers."
            ),
            ManageLink(
                "Pathways", reverse("manage:pathways"), "The resettlement pathways and delivery lines, in order."
            ),
            ManageLink(
                "Users",
                reverse("manage:users"),
                "The region's user accounts: invite someone, change or close an account.",
            ),
            ManageLink(
                "Published figures",
                reverse("manage:figures"),
                "Figures other publications printed, for the national comparison and the reconciliations.",
            ),
            ManageLink(
                "Probation return dates", reverse("manage:returns"), "The dates each area reported its position."
            ),
            ManageLink(
                "Add an organisation",
                reverse("organisations:create"),
                "A provider or commissioner new to the directory.",
            ),
        ]
    return links
