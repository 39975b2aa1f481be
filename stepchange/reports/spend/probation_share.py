"""The probation-share report: each probation area's counted spend against its main grant and
target, with the change since the year's baseline, its reconciliation with the published figures
and the contracts behind each figure."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from stepchange.contracts import selectors as contracts
from stepchange.contracts.listing import list_query
from stepchange.core.models import Region
from stepchange.reports.columns import Column, ColumnKind
from stepchange.reports.formatting import TOTALS_KEY
from stepchange.reports.models import Measure
from stepchange.reports.reconcile import FigureKey, published_for, reconcile
from stepchange.reports.registry import Chart, ReportParams, ReportResult, national_form, register
from stepchange.reports.spend.shares import (
    NO_GRANT,
    NO_GRANT_OR_TARGET,
    probation_share_figures,
    probation_share_figures_by_region,
)
from stepchange.returns.selectors import reported_spend


def _computed_share_figures(
    region: Region, rows: list[dict[str, Any]], totals: dict[str, Any], at: datetime.date
) -> dict[FigureKey, Decimal | None]:
    computed: dict[FigureKey, Decimal | None] = {}
    for r in rows:
        code = r["commissioner"]
        computed[(Measure.SHARE_PCT, at, code, "", "")] = r["share_pct"]
        computed[(Measure.CHANGE_PTS, at, code, "", "")] = r["change_pts"]
        computed[(Measure.COUNTED_SPEND, at, code, "", "")] = r["counted_spend"]
        computed[(Measure.VCS_CONTRACTS, at, code, "", "")] = Decimal(r["vcs_contracts"])
        computed[(Measure.PRIVATE_CONTRACTS, at, code, "", "")] = Decimal(r["private_contracts"])
        computed[(Measure.CONTRACT_COUNT, at, code, "", "")] = Decimal(r["contracts"])
        computed[(Measure.SHARE_PCT, r["baseline_date"], code, "", "")] = r["baseline_share_pct"]
        computed[(Measure.COUNTED_SPEND, r["baseline_date"], code, "", "")] = r["baseline_spend"]
    region_key = region.code
    computed[(Measure.COUNTED_SPEND, at, "", region_key, "")] = totals["counted_spend"]
    computed[(Measure.CONTRACT_COUNT, at, "", region_key, "")] = Decimal(totals["contracts"])
    computed[(Measure.VCS_CONTRACTS, at, "", region_key, "")] = Decimal(totals["vcs_contracts"])
    computed[(Measure.PRIVATE_CONTRACTS, at, "", region_key, "")] = Decimal(totals["private_contracts"])
    computed[(Measure.REGIONAL_WEIGHTED_SHARE_PCT, at, "", region_key, "")] = totals["weighted_share_pct"]
    computed[(Measure.REGIONAL_MEAN_SHARE_PCT, at, "", region_key, "")] = totals["mean_share_pct"]
    base_days = {r["baseline_date"] for r in rows}
    if len(base_days) == 1:
        day = base_days.pop()
        computed[(Measure.COUNTED_SPEND, day, "", region_key, "")] = totals["baseline_spend"]
        computed[(Measure.REGIONAL_WEIGHTED_SHARE_PCT, day, "", region_key, "")] = totals["baseline_weighted_share_pct"]
        computed[(Measure.REGIONAL_MEAN_SHARE_PCT, day, "", region_key, "")] = totals["baseline_mean_share_pct"]
    return computed


def _probation_share_workings(params: ReportParams, rows: list[dict[str, Any]]) -> dict[tuple[int | str, str], str]:
    """Each figure read from the contract records links to the counted contracts it sums: the
    area's own, live on the date (or its baseline date), by sector where the figure is. A figure an
    approved round return states (reports.spend.spend_by_area_on) is the return's, and has no
    such link; nor has a regional total with one of them in it."""
    assert params.at is not None
    region = params.region
    days = sorted({params.at} | {r["baseline_date"] for r in rows})
    reported = {day: set(areas) for day, areas in reported_spend([region], days).items()}
    codes = {area.id: area.code for area in contracts.probation_areas(region)}
    reported_codes = {day: {codes[a] for a in areas if a in codes} for day, areas in reported.items()}
    workings: dict[tuple[int | str, str], str] = {}
    for position, r in enumerate(rows):
        code = r["commissioner"]
        if code not in reported_codes[params.at]:
            now = {"commissioner": code, "counts": "yes", "live_on": params.at}
            workings[(position, "counted_spend")] = workings[(position, "share_pct")] = list_query(**now)
            for sector in contracts.COUNTED_SECTORS:
                by_sector = list_query(**now, sector=sector.value)
                workings[(position, f"{sector.value}_contracts")] = by_sector
                workings[(position, f"{sector.value}_value")] = by_sector
        if code not in reported_codes[r["baseline_date"]]:
            workings[(position, "baseline_share_pct")] = list_query(
                commissioner=code, counts="yes", live_on=r["baseline_date"]
            )
    if not reported_codes[params.at]:
        region_now = {"region": region, "counts": "yes", "live_on": params.at}
        workings[(TOTALS_KEY, "counted_spend")] = list_query(**region_now)
        if all(r["main_grant"] for r in rows):
            workings[(TOTALS_KEY, "weighted_share_pct")] = list_query(**region_now)
        for sector in contracts.COUNTED_SECTORS:
            by_sector = list_query(**region_now, sector=sector.value)
            workings[(TOTALS_KEY, f"{sector.value}_contracts")] = by_sector
            workings[(TOTALS_KEY, f"{sector.value}_value")] = by_sector
    return workings


@register(
    name="probation-share",
    title="Share of main grant spent with voluntary, community and private providers",
    description="Each probation area's counted spend against its main grant and target, with the change since the year's baseline.",
)
def probation_share(params: ReportParams) -> ReportResult:
    assert params.at is not None
    rows, totals = probation_share_figures(params.region, params.at)
    computed = _computed_share_figures(params.region, rows, totals, params.at)
    dates = {params.at} | {r["baseline_date"] for r in rows}
    figures = published_for(params.region, dates, {key[0] for key in computed})
    notes: dict[FigureKey, str] = {}
    for r in rows:
        notes[(Measure.CHANGE_PTS, params.at, r["commissioner"], "", "")] = (
            "The change is the exact share now less the exact share at the baseline; the source "
            "subtracted figures it had rounded, so its column can differ by a few hundredths."
        )
    notes[(Measure.REGIONAL_MEAN_SHARE_PCT, params.at, "", params.region.code, "")] = (
        "The plain mean of the areas' shares, which is not the regional share weighted by grant."
    )
    columns = [
        Column("name", "Probation area"),
        Column("main_grant", "Main grant", ColumnKind.MONEY, NO_GRANT),
        Column("counted_spend", "Counted spend", ColumnKind.MONEY),
        Column("share_pct", "Share of main grant", ColumnKind.PERCENT, NO_GRANT),
        Column("baseline_share_pct", "Share at baseline", ColumnKind.PERCENT_2, NO_GRANT, secondary=True),
        Column("change_pts", "Change (points)", ColumnKind.POINTS, NO_GRANT),
        Column("vcs_contracts", "VCS contracts", ColumnKind.COUNT, secondary=True),
        Column("private_contracts", "Private contracts", ColumnKind.COUNT, secondary=True),
        Column("vcs_value", "VCS value", ColumnKind.MONEY, secondary=True),
        Column("private_value", "Private value", ColumnKind.MONEY, secondary=True),
        Column("target_pct", "Target", ColumnKind.PERCENT),
        Column("target_amount", "Target spend", ColumnKind.MONEY, NO_GRANT_OR_TARGET),
        Column("gap_amount", "Gap to target", ColumnKind.MONEY, NO_GRANT_OR_TARGET),
    ]
    notes_text = [
        "Counted spend is the annual value of contracts live on the date, funded from the main grant, "
        "with a voluntary, community or private prime. Sub-contracts are not added on top.",
        "At the date of an approved quarterly return, an area's counted spend is what its return states: "
        "corrected values, ended and new contracts as reported.",
        "The regional share is shown two ways: weighted by grant (total spend over total grant) "
        "and as the plain mean of the areas' shares.",
    ]
    if totals["areas_without_grant"]:
        notes_text.append(
            "No grant recorded for " + ", ".join(totals["areas_without_grant"]) + ": their share cannot be worked out."
        )
    chart = Chart(
        kind="bar",
        title="Share of main grant by probation area",
        categories=[r["name"] for r in rows],
        series=[("At baseline", [r["baseline_share_pct"] for r in rows]), ("Now", [r["share_pct"] for r in rows])],
        reference=("Target", totals["target_pct"]) if totals["target_pct"] is not None else None,
    )
    return ReportResult(
        workings=_probation_share_workings(params, rows),
        params=params,
        columns=columns,
        rows=rows,
        totals=totals,
        total_columns=[
            Column("main_grant", "Main grant", ColumnKind.MONEY),
            Column("counted_spend", "Counted spend", ColumnKind.MONEY),
            Column("baseline_spend", "Counted spend at baseline", ColumnKind.MONEY),
            Column("weighted_share_pct", "Regional share, weighted by grant", ColumnKind.PERCENT_2),
            Column("mean_share_pct", "Mean of the areas' shares", ColumnKind.PERCENT_2),
            Column(
                "baseline_weighted_share_pct", "Regional share at baseline, weighted by grant", ColumnKind.PERCENT_2
            ),
            Column("baseline_mean_share_pct", "Mean of the areas' shares at baseline", ColumnKind.PERCENT_2),
            Column("vcs_contracts", "VCS contracts", ColumnKind.COUNT),
            Column("private_contracts", "Private contracts", ColumnKind.COUNT),
            Column("target_amount", "Target spend", ColumnKind.MONEY),
            Column("gap_amount", "Gap to target", ColumnKind.MONEY),
        ],
        chart=chart,
        reconciliation=reconcile(figures, computed, notes),
        notes=notes_text,
    )


@national_form("probation-share")
def probation_share_national(params: ReportParams, regions: list[Region]) -> dict[str, list[dict[str, Any]]]:
    """Every one of the regions' rows at the date, from one read of each thing for all of them."""
    assert params.at is not None
    figures = probation_share_figures_by_region(regions, params.at)
    return {region.code: figures[region.id][0] for region in regions}
