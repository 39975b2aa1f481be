"""Reads of the directory of organisations, always through ``organisations_visible_to``."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from stepchange.organisations.access import organisations_visible_to
from stepchange.organisations.models import Organisation

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
        organisations = organisations.filter(name__icontains=filters["q"])
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
