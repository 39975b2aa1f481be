"""The share of main grant: how much of a probation area's main grant is spent with voluntary,
community and private providers, for an area, a region and many regions at once.

Every share figure is computed here once; the probation-share, share-trend and national-comparison
reports, the home page, the downloads and the command line all call these.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db.models import Count, Min, Q, Sum

from stepchange.contracts import selectors as contracts
from stepchange.core.models import FinancialYear, Region
from stepchange.core.periods import year_containing
from stepchange.organisations.models import Commissioner, CommissionerKind, Sector
from stepchange.returns.selectors import approved_probation_returns, reported_spend

HUNDRED = Decimal(100)
# Sums of money start from pence so that every database returns them with two places
# (SQLite drops trailing zeros from an aggregate; PostgreSQL keeps them).
ZERO = Decimal("0.00")
CENT = Decimal("0.01")
NO_GRANT = "no grant recorded"
NO_GRANT_OR_TARGET = "no grant or target recorded"


def share_pct(spend: Decimal, grant: Decimal | None) -> Decimal | None:
    """Counted spend as a percentage of main grant, unrounded; None when no grant is recorded."""
    if not grant:
        return None
    return spend * HUNDRED / grant


def mean(values: list[Decimal]) -> Decimal | None:
    return sum(values, ZERO) / len(values) if values else None


def regional_share(
    spend: dict[int, Decimal], grants: dict[int, Decimal], area_ids: list[int]
) -> tuple[Decimal | None, Decimal | None]:
    """The one rule of a region's share, given each area's counted spend and grant: weighted by
    grant (the spend of the areas with a grant × 100 ÷ their grants) and the plain mean of those
    areas' shares. Areas without a grant are left out of both."""
    with_grant = [area_id for area_id in area_ids if grants.get(area_id)]
    weighted = share_pct(sum((spend[a] for a in with_grant), ZERO), sum((grants[a] for a in with_grant), ZERO))
    shares = [share_pct(spend[a], grants[a]) for a in with_grant]
    return weighted, mean([share for share in shares if share is not None])


def baseline_dates(areas: list[Commissioner], year: FinancialYear, at: datetime.date) -> dict[int, datetime.date]:
    """Each area's first approved return of the year (on or before ``at``); 1 April where there is none.

    One query for all the areas, so a region with more areas costs no more statements.
    """
    first = dict(
        approved_probation_returns()
        .filter(commissioner__in=[area.id for area in areas], as_at__gte=year.start, as_at__lte=at)
        .values("commissioner_id")
        .annotate(first=Min("as_at"))
        .values_list("commissioner_id", "first")
        .order_by()
    )
    return {area.id: first.get(area.id, year.start) for area in areas}


def spend_by_area(regions: list[Region], day: datetime.date) -> dict[int, dict[str, Any]]:
    """Per probation area of the regions: counted spend, and count and value by sector, at ``day``.

    An area with an approved return of a round dated ``day`` counts what that return states
    (returns.selectors.reported_spend); any other area counts its contract records.
    """
    return spend_by_area_on(regions, [day])[day]


def spend_by_area_on(
    regions: list[Region], days: list[datetime.date]
) -> dict[datetime.date, dict[int, dict[str, Any]]]:
    """``_spend_by_area`` at each of several days, from one pass over the contracts live on any of
    them: one conditional count and sum per day, where a query per day read the region's contracts
    again for each (a share and its baseline, or every date of a trend)."""
    days = sorted(set(days))
    spend: dict[datetime.date, dict[int, dict[str, Any]]] = {
        day: defaultdict(lambda: {"spend": ZERO, Sector.VCS: (0, ZERO), Sector.PRIVATE: (0, ZERO)}) for day in days
    }
    reported = reported_spend(regions, days)
    aggregates: dict[str, Count | Sum] = {}
    for i, day in enumerate(days):
        live = contracts.live_on_q(day)
        if reported[day]:
            live &= ~Q(commissioner_id__in=list(reported[day]))
        aggregates[f"n{i}"] = Count("id", filter=live)
        aggregates[f"value{i}"] = Sum("annual_value", filter=live)
    # An area whose returns give its spend at every one of the days needs none of its contracts.
    reported_every_day = set.intersection(*(set(reported[day]) for day in days))
    rows = (
        contracts.live_during(contracts.counted(contracts.probation_contracts(regions)), days[0], days[-1])
        .exclude(commissioner__in=sorted(reported_every_day))
        .values("commissioner_id", "prime__sector")
        .annotate(**aggregates)
        .order_by()
    )
    for row in rows:
        for i, day in enumerate(days):
            if not row[f"n{i}"]:
                continue
            area = spend[day][row["commissioner_id"]]
            value = row[f"value{i}"].quantize(CENT)
            area[row["prime__sector"]] = (row[f"n{i}"], value)
            area["spend"] += value
    for day in days:
        for area_id, sectors in reported[day].items():
            area = spend[day][area_id]
            for sector, (lines, line_value) in sectors.items():
                n, value = area[sector]
                area[sector] = (n + lines, value + line_value)
                area["spend"] += line_value
    return spend


def probation_share_figures(region: Region, at: datetime.date) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Share of main grant per probation area at a date, and the regional totals."""
    return probation_share_figures_by_region([region], at)[region.id]


def probation_share_figures_by_region(
    regions: list[Region], at: datetime.date
) -> dict[int, tuple[list[dict[str, Any]], dict[str, Any]]]:
    """``probation_share_figures`` for every one of the regions, by region id, in a fixed number of
    statements whatever the number of regions, areas or contracts: the areas, their grants, the
    target, their baselines and their spend are each read once for all the regions (grouped by
    area), never once per region. The report's page asks for its one region through here too."""
    year = year_containing(at)
    all_areas = list(contracts.probation_areas(regions))
    grants = contracts.main_grants(contracts.probation_areas(regions), year)
    target = contracts.target_pct(CommissionerKind.PROBATION, year)
    baselines = baseline_dates(all_areas, year, at)
    at_baseline = spend_by_area_on(regions, [at, *baselines.values()])
    areas_of: dict[int, list[Commissioner]] = defaultdict(list)
    for area in all_areas:
        areas_of[area.region_id].append(area)
    return {
        region.id: _share_figures(areas_of[region.id], grants, target, baselines, at_baseline, at) for region in regions
    }


def _share_figures(
    areas: list[Commissioner],
    grants: dict[int, Decimal],
    target: Decimal | None,
    baselines: dict[int, datetime.date],
    at_baseline: dict[datetime.date, dict[int, dict[str, Any]]],
    at: datetime.date,
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """One region's rows and totals, from what ``probation_share_figures_by_region`` read."""
    now = at_baseline[at]
    rows = []
    for area in areas:
        grant = grants.get(area.id)
        spend = now[area.id]["spend"]
        base_day = baselines[area.id]
        base_spend = at_baseline[base_day][area.id]["spend"]
        share = share_pct(spend, grant)
        base_share = share_pct(base_spend, grant)
        target_amount = target * grant / HUNDRED if (target is not None and grant) else None
        vcs_n, vcs_value = now[area.id][Sector.VCS]
        private_n, private_value = now[area.id][Sector.PRIVATE]
        rows.append(
            {
                "commissioner": area.code,
                "name": area.name,
                "main_grant": grant,
                "counted_spend": spend,
                "share_pct": share,
                "baseline_date": base_day,
                "baseline_spend": base_spend,
                "baseline_share_pct": base_share,
                "change_pts": share - base_share if share is not None and base_share is not None else None,
                "vcs_contracts": vcs_n,
                "private_contracts": private_n,
                "contracts": vcs_n + private_n,
                "vcs_value": vcs_value,
                "private_value": private_value,
                "target_pct": target,
                "target_amount": target_amount,
                "gap_amount": target_amount - spend if target_amount is not None else None,
            }
        )

    with_grant = [r for r in rows if r["main_grant"]]
    grant_total = sum((r["main_grant"] for r in with_grant), ZERO)
    spend_with_grant = sum((r["counted_spend"] for r in with_grant), ZERO)
    area_ids = [area.id for area in areas]
    weighted, mean_share = regional_share({a: now[a]["spend"] for a in area_ids}, grants, area_ids)
    base_weighted, base_mean_share = regional_share(
        {area.id: at_baseline[baselines[area.id]][area.id]["spend"] for area in areas}, grants, area_ids
    )
    target_total = sum((r["target_amount"] for r in rows if r["target_amount"] is not None), ZERO)
    totals = {
        "main_grant": grant_total,
        "counted_spend": sum((r["counted_spend"] for r in rows), ZERO),
        "baseline_spend": sum((r["baseline_spend"] for r in rows), ZERO),
        "weighted_share_pct": weighted,
        "mean_share_pct": mean_share,
        "baseline_weighted_share_pct": base_weighted,
        "baseline_mean_share_pct": base_mean_share,
        "change_pts": weighted - base_weighted if weighted is not None and base_weighted is not None else None,
        "vcs_contracts": sum(r["vcs_contracts"] for r in rows),
        "private_contracts": sum(r["private_contracts"] for r in rows),
        "contracts": sum(r["contracts"] for r in rows),
        "vcs_value": sum((r["vcs_value"] for r in rows), ZERO),
        "private_value": sum((r["private_value"] for r in rows), ZERO),
        "target_pct": target,
        "target_amount": target_total if with_grant and target is not None else None,
        "gap_amount": target_total - spend_with_grant if with_grant and target is not None else None,
        "areas_without_grant": [r["commissioner"] for r in rows if not r["main_grant"]],
    }
    return rows, totals


def regional_shares(regions: list[Region], at: datetime.date) -> dict[int, tuple[Decimal | None, Decimal | None]]:
    """Per region: its share at a date weighted by grant, and the mean of its areas' shares.

    The same two totals as probation_share_figures (same sums, same order), for many regions at
    once and without the baseline, in a fixed number of queries whatever the number of regions.
    """
    year = year_containing(at)
    areas = list(
        Commissioner.objects.filter(region__in=regions, kind=CommissionerKind.PROBATION)
        .order_by("code")
        .values_list("id", "region_id")
    )
    grants = contracts.main_grants(Commissioner.objects.filter(id__in=[area_id for area_id, _ in areas]), year)
    spend = spend_by_area(regions, at)
    by_region: dict[int, list[int]] = defaultdict(list)
    for area_id, region_id in areas:
        by_region[region_id].append(area_id)
    out = {}
    for region in regions:
        area_ids = by_region[region.id]
        out[region.id] = regional_share({a: spend[a]["spend"] for a in area_ids}, grants, area_ids)
    return out


def national_share(regions: list[Region], at: datetime.date) -> tuple[Decimal | None, Decimal | None]:
    """The regions taken as one: every probation area's spend over every area's grant (weighted),
    and the plain mean of every area's share; the same rule as a region's (``regional_share``)."""
    year = year_containing(at)
    area_ids = list(
        Commissioner.objects.filter(region__in=regions, kind=CommissionerKind.PROBATION)
        .order_by("code")
        .values_list("id", flat=True)
    )
    grants = contracts.main_grants(Commissioner.objects.filter(id__in=area_ids), year)
    spend = spend_by_area(regions, at)
    return regional_share({a: spend[a]["spend"] for a in area_ids}, grants, area_ids)
