"""The live figures an action can be linked to: a small registry, each figure computed by the
owning app's own function, the one its page uses (the probation-share report's
``probation_share_figures`` at the report's default date, ``default_report_date``), so the figure
beside an action is the figure on that page.

Every figure here is one that an action aims to raise: it is met when it is at or above the target
(``rules.target_met``)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from stepchange.core.models import Region
from stepchange.core.periods import DateOutsideAnyYear
from stepchange.governance.rules import target_met
from stepchange.organisations.models import Commissioner
from stepchange.reports.rules import default_report_date
from stepchange.reports.spend.shares import probation_share_figures


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    unit: str  # "percent" or "count"
    needs_area: bool
    # (rows, totals) of the probation-share report and the area (or None) -> the value
    pick: Callable[[list[dict[str, Any]], dict[str, Any], Commissioner | None], Decimal | None]


def _area_share(rows: list[dict[str, Any]], totals: dict[str, Any], area: Commissioner | None) -> Decimal | None:
    row = next((r for r in rows if area is not None and r["commissioner"] == area.code), None)
    return row["share_pct"] if row else None


FIGURES: dict[str, Figure] = {
    f.key: f
    for f in (
        Figure(
            "region-weighted-share",
            "The region's share of main grant, weighted by grant",
            "percent",
            False,
            lambda rows, totals, area: totals["weighted_share_pct"],
        ),
        Figure(
            "region-mean-share",
            "The region's share of main grant, the mean of its areas' shares",
            "percent",
            False,
            lambda rows, totals, area: totals["mean_share_pct"],
        ),
        Figure("area-share", "A probation area's share of main grant", "percent", True, _area_share),
        Figure(
            "region-vcs-contracts",
            "The region's live contracts with voluntary and community primes",
            "count",
            False,
            lambda rows, totals, area: Decimal(totals["vcs_contracts"]),
        ),
    )
}
FIGURE_CHOICES = [("", "Not linked to a figure")] + [(f.key, f.label) for f in FIGURES.values()]


@dataclass(frozen=True)
class Reading:
    figure: Figure
    area: Commissioner | None
    at: datetime.date | None
    value: Decimal | None
    target: Decimal
    met: bool | None


def read(key: str, *, region: Region, area: Commissioner | None, target: Decimal, cache: dict[Any, Any]) -> Reading:
    """The figure now, as its page shows it, with the target and whether it is met. ``cache``
    keeps one computation of the report per region within a page."""
    figure = FIGURES[key]
    if region.pk not in cache:
        at = default_report_date(region)
        try:
            cache[region.pk] = (at, *probation_share_figures(region, at))
        except DateOutsideAnyYear:
            cache[region.pk] = (at, None, None)
    at, rows, totals = cache[region.pk]
    value = figure.pick(rows, totals, area) if rows is not None else None
    return Reading(figure=figure, area=area, at=at, value=value, target=target, met=target_met(value, target))
