"""Spend figures of probation areas: share of main grant against target, sector split,
contract values, what does not count, and the trend of the share over the year.

Every figure here is computed once; the page, the downloads and the command line call these.
"""

from __future__ import annotations

import datetime
import statistics
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db.models import Count, Min, Q, Sum

from stepchange.contracts import selectors as contracts
from stepchange.contracts.listing import NOT_NAMED, list_query
from stepchange.contracts.models import Contract, FundingSource
from stepchange.core.models import FinancialYear, Region
from stepchange.core.periods import year_containing
from stepchange.organisations.models import Commissioner, CommissionerKind, Sector
from stepchange.reports.formatting import TOTALS_KEY
from stepchange.reports.models import Measure
from stepchange.reports.reconcile import FigureKey, published_for, reconcile
from stepchange.reports.registry import Chart, Column, ReportParams, ReportResult, register
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


def _spend_by_area(regions: list[Region], day: datetime.date) -> dict[int, dict[str, Any]]:
    """Per probation area of the regions: counted spend, and count and value by sector, at ``day``.

    An area with an approved return of a round dated ``day`` counts what that return states
    (returns.selectors.reported_spend); any other area counts its contract records.
    """
    return _spend_by_area_on(regions, [day])[day]


def _spend_by_area_on(
    regions: list[Region], days: list[datetime.date]
) -> dict[datetime.date, dict[int, dict[str, Any]]]:
    """``_spend_by_area`` at each of several days, from one pass over the contracts live on any of
    them: one conditional count and sum per day, where a query per day read the region's contracts
    again for each (a share and its baseline, or every date of a trend)."""
    days = sorted(set(days))
    spend: dict[datetime.date, dict[int, dict[str, Any]]] = {
        day: defaultdict(lambda: {"spend": ZERO, Sector.VCS: (0, ZERO), Sector.PRIVATE: (0, ZERO)}) for day in days
    }
    reported = {day: reported_spend(regions, day) for day in days}
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
    year = year_containing(at)
    areas = list(contracts.probation_areas(region))
    grants = contracts.main_grants(contracts.probation_areas(region), year)
    target = contracts.target_pct(CommissionerKind.PROBATION, year)
    baselines = baseline_dates(areas, year, at)
    at_baseline = _spend_by_area_on([region], [at, *baselines.values()])
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
    spend = _spend_by_area(regions, at)
    by_region: dict[int, list[int]] = defaultdict(list)
    for area_id, region_id in areas:
        by_region[region_id].append(area_id)
    out = {}
    for region in regions:
        area_ids = by_region[region.id]
        out[region.id] = regional_share({a: spend[a]["spend"] for a in area_ids}, grants, area_ids)
    return out


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
    approved round return states (reports.spend._spend_by_area_on) is the return's, and has no
    such link; nor has a regional total with one of them in it."""
    assert params.at is not None
    region = params.region
    reported = {day: set(reported_spend([region], day)) for day in {params.at} | {r["baseline_date"] for r in rows}}
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
        Column("main_grant", "Main grant", "money", NO_GRANT),
        Column("counted_spend", "Counted spend", "money"),
        Column("share_pct", "Share of main grant", "pct", NO_GRANT),
        Column("baseline_share_pct", "Share at baseline", "pct2", NO_GRANT),
        Column("change_pts", "Change (points)", "pts", NO_GRANT),
        Column("vcs_contracts", "VCS contracts", "int"),
        Column("private_contracts", "Private contracts", "int"),
        Column("vcs_value", "VCS value", "money"),
        Column("private_value", "Private value", "money"),
        Column("target_pct", "Target", "pct"),
        Column("target_amount", "Target spend", "money", NO_GRANT_OR_TARGET),
        Column("gap_amount", "Gap to target", "money", NO_GRANT_OR_TARGET),
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
        categories=[r["commissioner"] for r in rows],
        series=[("At baseline", [r["baseline_share_pct"] for r in rows]), ("Now", [r["share_pct"] for r in rows])],
        reference=("Target", totals["target_pct"]) if totals["target_pct"] is not None else None,
    )
    return ReportResult(
        workings=_probation_share_workings(params, rows),
        name="probation-share",
        title="Share of main grant spent with voluntary, community and private providers",
        params=params,
        columns=columns,
        rows=rows,
        totals=totals,
        total_columns=[
            Column("main_grant", "Main grant", "money"),
            Column("counted_spend", "Counted spend", "money"),
            Column("baseline_spend", "Counted spend at baseline", "money"),
            Column("weighted_share_pct", "Regional share, weighted by grant", "pct2"),
            Column("mean_share_pct", "Mean of the areas' shares", "pct2"),
            Column("baseline_weighted_share_pct", "Regional share at baseline, weighted by grant", "pct2"),
            Column("baseline_mean_share_pct", "Mean of the areas' shares at baseline", "pct2"),
            Column("vcs_contracts", "VCS contracts", "int"),
            Column("private_contracts", "Private contracts", "int"),
            Column("target_amount", "Target spend", "money"),
            Column("gap_amount", "Gap to target", "money"),
        ],
        chart=chart,
        reconciliation=reconcile(figures, computed, notes),
        notes=notes_text,
    )


@register(
    name="sector-split",
    title="Contracts by sector",
    description="Counted contracts with voluntary and community providers against private providers, by number and by value.",
)
def sector_split(params: ReportParams) -> ReportResult:
    assert params.at is not None
    rows_by_sector = {
        row["prime__sector"]: row
        for row in contracts.counted_contracts(params.region, params.at)
        .values("prime__sector")
        .annotate(n=Count("id"), value=Sum("annual_value"))
        .order_by()
    }
    total_n = sum(r["n"] for r in rows_by_sector.values())
    total_value = sum((r["value"] for r in rows_by_sector.values()), ZERO)
    rows = []
    for sector in contracts.COUNTED_SECTORS:
        data = rows_by_sector.get(sector, {"n": 0, "value": ZERO})
        rows.append(
            {
                "sector": sector.value,
                "name": sector.label,
                "contracts": data["n"],
                "contracts_pct": Decimal(data["n"]) * HUNDRED / total_n if total_n else None,
                "value": data["value"].quantize(CENT),
                "value_pct": data["value"] * HUNDRED / total_value if total_value else None,
            }
        )
    totals = {"contracts": total_n, "value": total_value}
    computed: dict[FigureKey, Decimal | None] = {
        (Measure.VCS_COUNT_PCT, params.at, "", params.region.code, ""): rows[0]["contracts_pct"],
    }
    figures = published_for(params.region, {params.at}, {Measure.VCS_COUNT_PCT})
    counted_now = {"region": params.region, "counts": "yes", "live_on": params.at}
    workings: dict[tuple[int | str, str], str] = {}
    for position, r in enumerate(rows):
        query = list_query(**counted_now, sector=r["sector"])
        for key in ("contracts", "contracts_pct", "value", "value_pct"):
            workings[(position, key)] = query
    workings[(TOTALS_KEY, "contracts")] = workings[(TOTALS_KEY, "value")] = list_query(**counted_now)
    return ReportResult(
        workings=workings,
        name="sector-split",
        title="Contracts by sector",
        params=params,
        columns=[
            Column("name", "Sector"),
            Column("contracts", "Contracts", "int"),
            Column("contracts_pct", "Share of contracts", "pct"),
            Column("value", "Annual value", "money"),
            Column("value_pct", "Share of value", "pct"),
        ],
        rows=rows,
        totals=totals,
        total_columns=[Column("contracts", "Contracts", "int"), Column("value", "Annual value", "money")],
        chart=Chart(
            kind="bar",
            title="Share of contracts and of value by sector",
            categories=[r["name"] for r in rows],
            series=[("By number", [r["contracts_pct"] for r in rows]), ("By value", [r["value_pct"] for r in rows])],
        ),
        reconciliation=reconcile(figures, computed),
        notes=["Counted contracts only: main-grant money with a voluntary, community or private prime."],
    )


def _median(values: list[Decimal]) -> Decimal | None:
    return Decimal(statistics.median(values)) if values else None


@register(
    name="contract-values",
    title="Contract values",
    description="The mean and median annual value of counted contracts, and how many fall below the mean.",
    takes=("at", "year"),
)
def contract_values(params: ReportParams) -> ReportResult:
    base = contracts.counted(contracts.probation_contracts(params.region))
    if params.year is not None:
        chosen = contracts.live_during(base, params.year.start, params.year.end)
        scope = f"live at any time in {params.year.name}"
    else:
        assert params.at is not None
        chosen = contracts.live_on(base, params.at)
        scope = f"live on {params.at:%-d %B %Y}"
    values_by_area: dict[str, list[Decimal]] = defaultdict(list)
    for code, value in chosen.values_list("commissioner__code", "annual_value").order_by():
        values_by_area[code].append(value)
    everything = [v for values in values_by_area.values() for v in values]

    def summary(values: list[Decimal]) -> dict[str, Any]:
        average = mean(values)
        return {
            "contracts": len(values),
            "total_value": sum(values, ZERO),
            "mean_value": average,
            "median_value": _median(values),
            "below_mean": sum(1 for v in values if average is not None and v < average),
        }

    names = dict(contracts.probation_areas(params.region).values_list("code", "organisation__name"))
    rows = [
        {"commissioner": code, "name": names[code], **summary(values_by_area.get(code, []))} for code in sorted(names)
    ]
    totals = summary(everything)
    # A published average "this year" is a figure of the financial year, dated at its end; it is set
    # beside the year's figure only, never beside the contracts live on one day.
    computed: dict[FigureKey, Decimal | None] = {}
    figures = []
    if params.year is not None:
        computed[(Measure.MEAN_CONTRACT_VALUE, params.year.end, "", params.region.code, "")] = totals["mean_value"]
        figures = published_for(params.region, {params.year.end}, {Measure.MEAN_CONTRACT_VALUE})
    money = "money"
    return ReportResult(
        name="contract-values",
        title="Contract values",
        params=params,
        columns=[
            Column("name", "Probation area"),
            Column("contracts", "Contracts", "int"),
            Column("total_value", "Total annual value", money),
            Column("mean_value", "Mean", money),
            Column("median_value", "Median", money),
            Column("below_mean", "Below the mean", "int"),
        ],
        rows=rows,
        totals=totals,
        total_columns=[
            Column("contracts", "Contracts", "int"),
            Column("total_value", "Total annual value", money),
            Column("mean_value", "Mean", money),
            Column("median_value", "Median", money),
            Column("below_mean", "Below the regional mean", "int"),
        ],
        chart=Chart(
            kind="bar",
            title="Mean and median annual contract value by probation area",
            categories=[r["commissioner"] for r in rows],
            series=[("Mean", [r["mean_value"] for r in rows]), ("Median", [r["median_value"] for r in rows])],
            unit="£",
        ),
        reconciliation=reconcile(figures, computed),
        notes=[f"Counted contracts {scope}. Each contract's annual value counts in full, never pro-rated."],
    )


NOT_COUNTED_REASONS = {
    FundingSource.NEW_INVESTMENT: "New investment from outside the main grant",
    FundingSource.CO_COMMISSIONED: "Co-commissioned with a non-criminal-justice funder",
    FundingSource.IN_KIND: "In-kind secondment",
}
PUBLIC_PRIME = "Main grant with a public-sector prime"
NOT_AN_AREAS = "Main grant of a prison or the regional team, not an area's"
KIND_ORDER = [CommissionerKind.PROBATION, CommissionerKind.PRISON, CommissionerKind.REGIONAL]
SOURCE_ORDER = list(FundingSource)


def _period(params: ReportParams) -> dict[str, Any]:
    """The contract list's filter for the report's date or year: the same "live" as the figure."""
    return {"year": params.year} if params.year is not None else {"live_on": params.at}


@register(
    name="not-counted",
    title="Spend that does not count toward the target",
    description="What each probation area, prison and the regional team commissions outside the target, by funding source and funder: new investment, co-commissioned money, in-kind secondments, public-sector primes and the main grant of prisons and the regional team.",
    takes=("at", "year"),
)
def not_counted(params: ReportParams) -> ReportResult:
    region_contracts = Contract.objects.filter(commissioner__region=params.region)
    if params.year is not None:
        chosen = contracts.live_during(region_contracts, params.year.start, params.year.end)
    else:
        assert params.at is not None
        chosen = contracts.live_on(region_contracts, params.at)
    period = _period(params)
    counted_q = contracts.counts_toward_target_q()
    counted_row = chosen.filter(counted_q).aggregate(n=Count("id"), value=Sum("annual_value"))
    groups: dict[tuple[Any, ...], dict[str, Any]] = {}
    rows_q = (
        chosen.exclude(counted_q)
        .values(
            "commissioner__kind",
            "commissioner__code",
            "commissioner__organisation__name",
            "funding_source",
            "funder",
            "prime__sector",
        )
        .annotate(n=Count("id"), value=Sum("annual_value"))
        .order_by()
    )
    for row in rows_q:
        kind = CommissionerKind(row["commissioner__kind"])
        source = FundingSource(row["funding_source"])
        filters: dict[str, Any] = {"commissioner": row["commissioner__code"], "funding": source.value}
        if source in NOT_COUNTED_REASONS:
            # Whoever commissioned it: a regional team's new investment is the team's, not an area's.
            reason = NOT_COUNTED_REASONS[source]
            funder = row["funder"] or NOT_NAMED
            filters["funder"] = funder
        elif kind == CommissionerKind.PROBATION:
            reason, funder = PUBLIC_PRIME, "Main grant"
            filters["sector"] = Sector.PUBLIC.value
        else:
            reason, funder = NOT_AN_AREAS, "Main grant"
        key = (KIND_ORDER.index(kind), row["commissioner__code"], SOURCE_ORDER.index(source), reason, funder)
        group = groups.setdefault(
            key,
            {
                "commissioned_by": kind.label,
                "commissioner": row["commissioner__code"],
                "name": row["commissioner__organisation__name"],
                "reason": reason,
                "funder": funder,
                "contracts": 0,
                "value": ZERO,
                "_filters": filters,
            },
        )
        group["contracts"] += row["n"]
        group["value"] += row["value"]
    rows = [groups[key] for key in sorted(groups)]
    workings: dict[tuple[int | str, str], str] = {}
    for position, r in enumerate(rows):
        query = list_query(**r.pop("_filters"), **period)
        workings[(position, "contracts")] = workings[(position, "value")] = query
    by_kind = {kind: [r for r in rows if r["commissioned_by"] == kind.label] for kind in KIND_ORDER}
    totals: dict[str, Any] = {
        "contracts": sum(r["contracts"] for r in rows),
        "value": sum((r["value"] for r in rows), ZERO),
        "counted_contracts": counted_row["n"],
        "counted_value": counted_row["value"] or ZERO,
    }
    for kind, kind_rows in by_kind.items():
        totals[f"{kind.value}_contracts"] = sum(r["contracts"] for r in kind_rows)
        totals[f"{kind.value}_value"] = sum((r["value"] for r in kind_rows), ZERO)
        kind_query = list_query(region=params.region, commissioner_kind=kind.value, counts="no", **period)
        workings[(TOTALS_KEY, f"{kind.value}_contracts")] = workings[(TOTALS_KEY, f"{kind.value}_value")] = kind_query
    not_counted_query = list_query(region=params.region, counts="no", **period)
    counted_query = list_query(region=params.region, counts="yes", **period)
    workings[(TOTALS_KEY, "contracts")] = workings[(TOTALS_KEY, "value")] = not_counted_query
    workings[(TOTALS_KEY, "counted_contracts")] = workings[(TOTALS_KEY, "counted_value")] = counted_query
    return ReportResult(
        name="not-counted",
        title="Spend that does not count toward the target",
        params=params,
        columns=[
            Column("commissioned_by", "Commissioned by"),
            Column("name", "Commissioner"),
            Column("reason", "Why it does not count"),
            Column("funder", "Funder or programme"),
            Column("contracts", "Contracts", "int"),
            Column("value", "Annual value", "money"),
        ],
        rows=rows,
        totals=totals,
        total_columns=[
            Column("contracts", "Contracts not counted", "int"),
            Column("value", "Annual value not counted", "money"),
            Column("probation_value", "Not counted, commissioned by probation areas", "money"),
            Column("prison_value", "Not counted, commissioned by prisons", "money"),
            Column("regional_value", "Not counted, commissioned by the regional team", "money"),
            Column("counted_contracts", "Contracts counted", "int"),
            Column("counted_value", "Annual value counted", "money"),
        ],
        chart=Chart(
            kind="bar",
            title="Annual value that does not count, by who commissioned it",
            categories=[kind.label for kind in KIND_ORDER],
            series=[("Annual value", [totals[f"{kind.value}_value"] for kind in KIND_ORDER])],
            unit="£",
        ),
        notes=[
            "Recorded and reported, but outside the target: only a probation area's own main-grant contracts "
            "with voluntary, community or private primes count. Each contract is listed under the commissioner "
            "that commissioned it, then by funding source and funder.",
            "Each count and value links to the contracts behind it.",
        ],
        workings=workings,
    )


def trend_dates(region: Region, year: FinancialYear, until: datetime.date) -> list[datetime.date]:
    """The dates that have data: the year's start (or first approved return) and every approved return after it."""
    returns = set(
        approved_probation_returns()
        .filter(commissioner__region=region, as_at__gte=year.start, as_at__lte=until)
        .values_list("as_at", flat=True)
        .distinct()
    )
    dates = returns or {year.start}
    if not returns:
        dates.add(until)
    return sorted(dates)


@register(
    name="share-trend",
    title="Share of main grant over the year",
    description="Each probation area's share at each date with data in the year: the baseline and each quarterly return.",
    takes=("at", "year"),
)
def share_trend(params: ReportParams) -> ReportResult:
    if params.year is not None:
        year = params.year
        until = year.end
    else:
        assert params.at is not None
        year = year_containing(params.at)
        until = params.at
    areas = list(contracts.probation_areas(params.region))
    grants = contracts.main_grants(contracts.probation_areas(params.region), year)
    rows = []
    dates = trend_dates(params.region, year, until)
    spend_on = _spend_by_area_on([params.region], dates)
    for day in dates:
        spend = spend_on[day]
        row: dict[str, Any] = {"date": day}
        for area in areas:
            row[area.code] = share_pct(spend[area.id]["spend"], grants.get(area.id))
        area_ids = [area.id for area in areas]
        row["weighted_share_pct"], row["mean_share_pct"] = regional_share(
            {a: spend[a]["spend"] for a in area_ids}, grants, area_ids
        )
        rows.append(row)
    columns = [Column("date", "Date", "date")] + [Column(a.code, a.name, "pct2", NO_GRANT) for a in areas]
    columns += [
        Column("weighted_share_pct", "Region, weighted", "pct2", NO_GRANT),
        Column("mean_share_pct", "Mean of areas", "pct2", NO_GRANT),
    ]
    return ReportResult(
        name="share-trend",
        title="Share of main grant over the year",
        params=params,
        columns=columns,
        rows=rows,
        totals={"year": year.name, "dates": len(rows)},
        chart=Chart(
            kind="line",
            title=f"Share of main grant by probation area, {year.name}",
            categories=[f"{r['date']:%-d %b %Y}" for r in rows],
            series=[(a.code, [r[a.code] for r in rows]) for a in areas],
        ),
        notes=["One point per date that has data: the year's first return (its baseline) and each return after it."],
    )
