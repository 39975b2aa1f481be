"""Contract profile by area and pathway, with its reconciliation and gap pathways; and the
national comparison of shares by region."""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Q

from stepchange.contracts import selectors as contracts
from stepchange.contracts.listing import list_query
from stepchange.contracts.models import Contract
from stepchange.core.models import Pathway, Region
from stepchange.organisations.models import Commissioner
from stepchange.reports.columns import Column, ColumnKind
from stepchange.reports.formatting import TOTALS_KEY
from stepchange.reports.models import Measure, PublishedFigure
from stepchange.reports.reconcile import FigureKey, published_for, reconcile
from stepchange.reports.registry import Chart, ReportParams, ReportResult, national_form, register
from stepchange.reports.spend.shares import regional_shares
from stepchange.returns.models import ProbationReturnLine
from stepchange.returns.selectors import reported_contracts


def fewest_pathways(counts: dict[str, Any], pathways: list[Pathway]) -> list[str]:
    """The pathways with the fewest contracts: the smallest count above nought (none have none)."""
    non_zero = [counts[p.code] for p in pathways if counts[p.code] > 0]
    return [p.code for p in pathways if non_zero and counts[p.code] == min(non_zero)]


@dataclass
class ProfileFigures:
    """One region's contract profile: rows per area, totals, the gap pathways to mark, and the
    areas profiled from an approved round return rather than from their contract records."""

    rows: list[dict[str, Any]]
    totals: dict[str, Any]
    highlight: dict[str, set[str]]
    reported_codes: set[str]


def contract_profile_by_region(
    regions: list[Region], at: datetime.date, pathways: list[Pathway]
) -> dict[int, ProfileFigures]:
    """The contract profile of every one of the regions at ``at``, by region id, in a fixed number of
    statements whatever the number of regions, areas or contracts: each thing the profile reads
    (areas, return lines, contracts and their pathways) is read once for all the regions and
    counted per area. The report's page asks for its one region through here too."""
    areas = list(contracts.probation_areas(regions))
    # An area with an approved round return dated ``at`` is profiled from the return's counted
    # lines (corrected, ended and new contracts as reported), as its share is; the others from the
    # contract records.
    reported = reported_contracts(regions, at)
    live = contracts.counted_contracts(regions, at).exclude(commissioner__in=list(reported))
    # One pass over (area, contract, pathway), a contract with no pathway once with none: the
    # entries per pathway and the pathways per contract both come from it, where grouping twice in
    # the database (once per pathway, once per contract) read the region's contracts twice.
    entries: dict[int, Counter[int]] = defaultdict(Counter)
    pathways_of: dict[Any, int] = {}
    area_of: dict[Any, int] = {}
    for area_id, contract_id, pathway_id in live.values_list("commissioner_id", "id", "pathways").order_by():
        area_of[contract_id] = area_id
        pathways_of[contract_id] = pathways_of.get(contract_id, 0) + (pathway_id is not None)
        if pathway_id is not None:
            entries[area_id][pathway_id] += 1
    line_contracts = {contract_id for lines in reported.values() for _, contract_id in lines if contract_id}
    contract_pathways: dict[int, list[int]] = defaultdict(list)
    for contract_id, pathway_id in Contract.pathways.through.objects.filter(contract_id__in=line_contracts).values_list(
        "contract_id", "pathway_id"
    ):
        contract_pathways[contract_id].append(pathway_id)
    new_line_pathways: dict[int, list[int]] = defaultdict(list)
    new_lines = [line_id for lines in reported.values() for line_id, contract_id in lines if not contract_id]
    for line_id, pathway_id in ProbationReturnLine.pathways.through.objects.filter(
        probationreturnline_id__in=new_lines
    ).values_list("probationreturnline_id", "pathway_id"):
        new_line_pathways[line_id].append(pathway_id)
    for area_id, lines in reported.items():
        for line_id, line_contract in lines:
            line_key = ("line", line_id)
            area_of[line_key] = area_id
            # A known contract is on its own pathways; a contract new in the return on those reported.
            on = contract_pathways.get(line_contract, []) if line_contract else new_line_pathways.get(line_id, [])
            pathways_of[line_key] = len(on)
            for pathway_id in on:
                entries[area_id][pathway_id] += 1
    contract_counts: Counter[int] = Counter()
    no_pathway: Counter[int] = Counter()
    several: Counter[int] = Counter()
    for counted_key, n_pathways in pathways_of.items():
        area_id = area_of[counted_key]
        contract_counts[area_id] += 1
        if n_pathways == 0:
            no_pathway[area_id] += 1
        elif n_pathways > 1:
            several[area_id] += 1

    areas_of: dict[int, list[Commissioner]] = defaultdict(list)
    for area in areas:
        areas_of[area.region_id].append(area)
    counts = (entries, contract_counts, no_pathway, several)
    return {region.id: _profile_figures(areas_of[region.id], pathways, counts, set(reported)) for region in regions}


def _profile_figures(
    areas: list[Commissioner],
    pathways: list[Pathway],
    counts: tuple[dict[int, Counter[int]], Counter[int], Counter[int], Counter[int]],
    reported: set[int],
) -> ProfileFigures:
    """One region's rows and totals, from the counts per area ``contract_profile_by_region`` made."""
    entries, contract_counts, no_pathway, several = counts
    rows: list[dict[str, Any]] = []
    highlight: dict[str, set[str]] = {}
    for area in areas:
        row: dict[str, Any] = {"commissioner": area.code, "name": area.name}
        for pathway in pathways:
            row[pathway.code] = entries[area.id][pathway.id]
        row["pathway_entries"] = sum(entries[area.id].values())
        row["contracts"] = contract_counts[area.id]
        row["difference"] = row["pathway_entries"] - row["contracts"]
        row["contracts_without_pathway"] = no_pathway[area.id]
        row["contracts_on_several_pathways"] = several[area.id]
        row["fewest_pathways"] = fewest_pathways(row, pathways)
        row["gap_pathways"] = [p.code for p in pathways if row[p.code] == 0] + row["fewest_pathways"]
        highlight[area.code] = set(row["gap_pathways"])
        rows.append(row)

    totals: dict[str, Any] = {p.code: sum(r[p.code] for r in rows) for p in pathways}
    for key in (
        "pathway_entries",
        "contracts",
        "difference",
        "contracts_without_pathway",
        "contracts_on_several_pathways",
    ):
        totals[key] = sum(r[key] for r in rows)
    totals["fewest_pathways"] = fewest_pathways(totals, pathways)
    totals["gap_pathways"] = [p.code for p in pathways if totals[p.code] == 0] + totals["fewest_pathways"]
    highlight["__totals__"] = set(totals["gap_pathways"])

    return ProfileFigures(rows, totals, highlight, {area.code for area in areas if area.id in reported})


@register(
    name="contract-profile",
    title="Contracts profile by area and pathway",
    description="Counted contracts per probation area per pathway, reconciled with the number of contracts, with the gap pathways marked.",
)
def contract_profile(params: ReportParams) -> ReportResult:
    assert params.at is not None
    pathways = list(Pathway.objects.order_by("order"))
    profile = contract_profile_by_region([params.region], params.at, pathways)[params.region.id]
    rows, totals, highlight, reported_codes = profile.rows, profile.totals, profile.highlight, profile.reported_codes
    computed: dict[FigureKey, Decimal | None] = {}
    for r in rows:
        for pathway in pathways:
            computed[(Measure.PATHWAY_ENTRIES, params.at, r["commissioner"], "", pathway.code)] = Decimal(
                r[pathway.code]
            )
        computed[(Measure.CONTRACT_COUNT, params.at, r["commissioner"], "", "")] = Decimal(r["contracts"])
    for pathway in pathways:
        computed[(Measure.PATHWAY_ENTRIES, params.at, "", params.region.code, pathway.code)] = Decimal(
            totals[pathway.code]
        )
    figures = published_for(params.region, {params.at}, {Measure.PATHWAY_ENTRIES, Measure.CONTRACT_COUNT})
    notes = [
        "A contract on two pathways counts once in each, so a row can add up to more than the area's "
        "contracts; a contract with no pathway counts in none. The last columns reconcile the two.",
        "Gap pathways: those with no contract, or with the fewest, are marked.",
    ]
    for r in rows:
        if r["difference"]:
            notes.append(
                f"{r['name']}: {r['contracts']} contracts but {r['pathway_entries']} pathway entries "
                f"({r['contracts_on_several_pathways']} contracts on more than one pathway, "
                f"{r['contracts_without_pathway']} on none)."
            )
    columns = [Column("name", "Probation area")]
    # Each pathway by its name, never its short name or code; the counts that only explain why
    # entries and contracts differ wait until the reader asks for every column.
    columns += [Column(p.code, p.name, ColumnKind.COUNT) for p in pathways]
    columns += [
        Column("pathway_entries", "Pathway entries", ColumnKind.COUNT, secondary=True),
        Column("contracts", "Contracts", ColumnKind.COUNT),
        Column("difference", "Entries less contracts", ColumnKind.COUNT, secondary=True),
        Column("contracts_without_pathway", "Contracts with no pathway", ColumnKind.COUNT, secondary=True),
        Column("contracts_on_several_pathways", "Contracts on several pathways", ColumnKind.COUNT, secondary=True),
    ]
    workings: dict[tuple[int | str, str], str] = {}
    for position, r in enumerate(rows):
        if r["commissioner"] in reported_codes:
            continue  # its figures are its return's, not the contract records'
        area_now = {"commissioner": r["commissioner"], "counts": "yes", "live_on": params.at}
        workings[(position, "contracts")] = list_query(**area_now)
        for pathway in pathways:
            workings[(position, pathway.code)] = list_query(**area_now, pathway=pathway.code)
    if not reported_codes:
        region_now = {"region": params.region, "counts": "yes", "live_on": params.at}
        workings[(TOTALS_KEY, "contracts")] = list_query(**region_now)
        for pathway in pathways:
            workings[(TOTALS_KEY, pathway.code)] = list_query(**region_now, pathway=pathway.code)
    return ReportResult(
        workings=workings,
        params=params,
        columns=columns,
        rows=rows,
        totals=totals,
        total_columns=columns[1:],
        chart=Chart(
            kind="bar",
            title="Counted contracts by pathway, whole region",
            categories=[p.name for p in pathways],
            series=[("Contracts", [Decimal(totals[p.code]) for p in pathways])],
            unit="",
        ),
        reconciliation=reconcile(figures, computed, label_names={p.code: p.name for p in pathways}),
        notes=notes,
        highlight=highlight,
    )


@national_form("contract-profile")
def contract_profile_national(params: ReportParams, regions: list[Region]) -> dict[str, list[dict[str, Any]]]:
    """Every one of the regions' rows at the date, from one read of each thing for all of them."""
    assert params.at is not None
    profiles = contract_profile_by_region(regions, params.at, list(Pathway.objects.order_by("order")))
    return {region.code: profiles[region.id].rows for region in regions}


LIVE = "Live, from the service"
PUBLISHED = "Published"


@register(
    name="national-comparison",
    title="Share of main grant by region",
    description="Each region's share: live from its own contracts where the region is on the service, "
    "else as published, saying which; the published figure beside it.",
)
def national_comparison(params: ReportParams) -> ReportResult:
    assert params.at is not None
    rows, published, latest, own_weighted = _comparison(params)
    ranked = [r for r in rows if r["share_pct"] is not None]
    aggregates = [
        {"label": fig.label, "published_pct": fig.value, "published_as_printed": fig.printed, "source": fig.source}
        for fig in published
        if not fig.region_id
    ]
    totals: dict[str, Any] = {"aggregates": aggregates, "regions_ranked": len(ranked), "published_at": latest}
    computed: dict[FigureKey, Decimal | None] = {}
    if latest:
        computed[(Measure.SHARE_PCT, latest, "", params.region.code, "")] = own_weighted
    figures = published_for(params.region, {latest} if latest else set(), {Measure.SHARE_PCT})
    figures = [f for f in figures if f.commissioner_id is None]
    own = next((r for r in rows if r["is_own_region"]), None)
    notes = []
    if own and own["published_pct"] is not None:
        notes.append(
            f"{own['name']} is published at {own['published_as_printed']}; from its own contracts its share is "
            f"{_fmt(own['computed_weighted_pct'])} weighted by grant and {_fmt(own['computed_mean_pct'])} as the "
            "mean of its areas' shares. The source does not say how its figure was worked out."
        )
    return ReportResult(
        params=params,
        columns=[
            Column("rank", "Rank", ColumnKind.COUNT),
            Column("name", "Region"),
            Column("share_pct", "Share", ColumnKind.PERCENT_2),
            Column("figure_from", "Figure"),
            Column("published_pct", "Published share", ColumnKind.PERCENT_2),
            Column("computed_weighted_pct", "Computed here, weighted", ColumnKind.PERCENT_2),
            Column("computed_mean_pct", "Computed here, mean of areas", ColumnKind.PERCENT_2),
            Column("source", "Source"),
        ],
        rows=rows,
        totals=totals,
        chart=Chart(
            kind="bar",
            title="Share of main grant by region, live where the region is on the service",
            categories=[r["name"] for r in ranked],
            series=[("Share", [r["share_pct"] for r in ranked])],
        ),
        reconciliation=reconcile(
            figures,
            computed,
            {
                (
                    Measure.SHARE_PCT,
                    latest,
                    "",
                    params.region.code,
                    "",
                ): "Computed weighted by grant from the contracts held here."
            }
            if latest
            else None,
        ),
        notes=notes,
    )


def _comparison(
    params: ReportParams,
) -> tuple[list[dict[str, Any]], list[PublishedFigure], datetime.date | None, Decimal | None]:
    """The ranked rows of every region (the region of ``params`` marked as one's own), the latest
    published regional shares, their date, and the region's own share weighted by grant."""
    assert params.at is not None
    latest = (
        PublishedFigure.objects.filter(measure=Measure.SHARE_PCT, commissioner__isnull=True, as_at__lte=params.at)
        .order_by("-as_at")
        .values_list("as_at", flat=True)
        .first()
    )
    published = (
        list(
            PublishedFigure.objects.filter(measure=Measure.SHARE_PCT, commissioner__isnull=True, as_at=latest)
            .select_related("region")
            .order_by("-value", "label")
        )
        if latest
        else []
    )
    by_region = {fig.region_id: fig for fig in published if fig.region_id}
    rows: list[dict[str, Any]] = []
    regions = list(Region.objects.filter(Q(id__in=by_region) | Q(holds_contracts=True)))
    # Every region's share in one pass (probation_share_figures' totals, without its baselines).
    wanted = [r for r in regions if r.holds_contracts]
    shares = regional_shares(wanted if params.region in wanted else [*wanted, params.region], params.at)
    own_weighted = shares[params.region.id][0]
    for region in regions:
        fig = by_region.get(region.id)
        computed_weighted = computed_mean = None
        if region.holds_contracts:
            computed_weighted, computed_mean = shares[region.id]
        live = region.holds_contracts
        rows.append(
            {
                "region": region.code,
                "name": region.name,
                "published_pct": fig.value if fig else None,
                "published_as_printed": fig.printed if fig else "",
                "computed_weighted_pct": computed_weighted,
                "computed_mean_pct": computed_mean,
                # The share the table ranks by: a region on the service is read live, weighted by
                # grant; any other region as published.
                "share_pct": computed_weighted if live else (fig.value if fig else None),
                "figure_from": LIVE if live else PUBLISHED,
                "source": f"{fig.source}, {fig.as_at:%-d %B %Y}" if fig else "Computed from the contracts held here",
                "is_own_region": region == params.region,
            }
        )
    rows.sort(key=lambda r: (r["share_pct"] is None, -(r["share_pct"] or 0), r["name"]))
    for position, r in enumerate((r for r in rows if r["share_pct"] is not None), start=1):
        r["rank"] = position
    return rows, published, latest, own_weighted


@national_form("national-comparison")
def national_comparison_national(params: ReportParams, regions: list[Region]) -> dict[str, list[dict[str, Any]]]:
    """The ranked rows (already every region's), as seen from each of ``regions``: the same rows,
    with each one's own region marked, from one computation."""
    rows = _comparison(params)[0]
    return {region.code: [{**r, "is_own_region": r["region"] == region.code} for r in rows] for region in regions}


def _fmt(value: Decimal | None) -> str:
    from stepchange.core.money import percent

    return percent(value, 2)
