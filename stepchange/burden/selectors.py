"""Reading the provider burden for a person: the period they chose and the rows they may see."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils import timezone

from stepchange.burden import access, figures
from stepchange.burden.reports import period_of
from stepchange.core.models import FinancialYear, Region
from stepchange.core.periods import DateOutsideAnyYear, year_containing


@dataclass(frozen=True)
class Period:
    year: FinancialYear | None
    quarter: int | None
    start: datetime.date
    end: datetime.date
    label: str
    years: list[FinancialYear]


def burden_period(query: Mapping[str, str]) -> Period:
    """The financial year and quarter asked for (``year=2006-07``, ``quarter=Q2``); an unknown one is
    taken as the current year, whole."""
    years = list(FinancialYear.objects.order_by("start"))
    year = next((y for y in years if y.name == (query.get("year") or "").strip()), None)
    if year is None:
        try:
            year = year_containing(timezone.localdate())
        except DateOutsideAnyYear:
            year = years[-1] if years else None
    text = (query.get("quarter") or "").strip().upper()
    quarter = int(text[1]) if text in {"Q1", "Q2", "Q3", "Q4"} else None
    if year is None:
        today = timezone.localdate()
        return Period(None, None, today, today, "no financial year", years)
    start, end, label = period_of(year, quarter)
    return Period(year, quarter, start, end, label, years)


def burden_by_organisation(user: Any, period: Period) -> list[dict[str, Any]]:
    """The rows by organisation the person may see, for every region they see organisations of."""
    organisations = access.burden_organisations_visible_to(user)
    names = dict(organisations.values_list("pk", "name"))
    if not names:
        return []
    regions = Region.objects.filter(
        Q(pk__in=organisations.values("region_id")) | Q(pk__in=organisations.values("commissioner__region_id"))
    )
    pieces: list[figures.Piece] = []
    for region in regions:
        pieces += figures.work_in(region.pk, period.start, period.end)
    return figures.by_organisation(pieces, names)
