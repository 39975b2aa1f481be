"""Reads of the directory of organisations, always through ``organisations_visible_to``."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from stepchange.core.models import Region
from stepchange.organisations.access import organisations_visible_to
from stepchange.organisations.models import (
    PROTECTED_FIELDS,
    Organisation,
    ProfileChange,
    ProfileChangeRequest,
    Sector,
    SizeBand,
)

# The flags a visitor can filter the directory by, as (field, label).
FLAGS = [
    ("bme_led", "BME-led"),
    ("women_specific", "Women-specific"),
    ("user_led", "User-led"),
    ("infrastructure_body", "Infrastructure body"),
]


def organisation_directory(user: Any, *, filters: dict[str, Any]) -> QuerySet[Organisation]:
    """The organisations a user may see, narrowed by the directory's filters (already cleaned)."""
    organisations = organisations_visible_to(user).select_related("region")
    if filters.get("q"):
        organisations = organisations.filter(
            Q(name__icontains=filters["q"]) | Q(aliases__name__icontains=filters["q"])
        ).distinct()
    if filters.get("sector"):
        organisations = organisations.filter(sector=filters["sector"])
    if filters.get("size_band"):
        organisations = organisations.filter(size_band=filters["size_band"])
    if filters.get("pathway"):
        organisations = organisations.filter(pathways_served=filters["pathway"])
    for flag in filters.get("flags") or []:
        if flag in dict(FLAGS):
            organisations = organisations.filter(**{flag: True})
    return organisations.order_by("name")


# The protected fields as people read their names.
PROTECTED_LABELS = {
    "sector": "Sector",
    "region": "Region",
    "size_band": "Size",
    "bme_led": "BME-led",
    "women_specific": "Women-specific",
    "user_led": "User-led",
}


def protected_label(name: str, value: Any) -> str:
    """A protected field's value as people read it, for the history and the requests."""
    if name == "sector":
        return str(Sector(value).label) if value in Sector.values else str(value)
    if name == "size_band":
        return str(SizeBand(value).label) if value in SizeBand.values else "Not recorded"
    if name == "region":
        region = value if isinstance(value, Region) else Region.objects.filter(pk=value).first()
        return str(region) if region else "Not recorded"
    return "Yes" if value else "No"


def profile_history(organisation: Organisation) -> list[dict[str, Any]]:
    """The dated changes to the protected fields, latest first, each with its rows of field, before, after.

    Called only for those ``access.may_see_profile_history`` lets see it.
    """
    changes = ProfileChange.objects.filter(organisation=organisation).select_related("changed_by", "request")
    return [
        {
            "change": change,
            "rows": [
                (PROTECTED_LABELS.get(name, name), change.before.get(name), change.after.get(name))
                for name in change.after
            ],
        }
        for change in changes
    ]


def asked_changes(change_request: ProfileChangeRequest) -> list[tuple[str, str, str]]:
    """(field, recorded now, asked for) for each field a request asks to change."""
    organisation = change_request.organisation
    return [
        (PROTECTED_LABELS[name], protected_label(name, getattr(organisation, name)), protected_label(name, value))
        for name, value in change_request.changes.items()
        if name in PROTECTED_FIELDS
    ]
