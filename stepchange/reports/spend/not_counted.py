"""The not-counted report: what each probation area, prison and the regional team commissions
outside the target, by funding source and funder, each figure linked to its contracts."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Sum

from stepchange.contracts import selectors as contracts
from stepchange.contracts.listing import NOT_NAMED, list_query
from stepchange.contracts.models import Contract, FundingSource
from stepchange.organisations.models import CommissionerKind, Sector
from stepchange.reports.columns import Column, ColumnKind
from stepchange.reports.formatting import TOTALS_KEY
from stepchange.reports.registry import Chart, ReportParams, ReportResult, register
from stepchange.reports.spend.shares import ZERO

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
        params=params,
        columns=[
            Column("commissioned_by", "Commissioned by"),
            Column("name", "Commissioner"),
            Column("reason", "Why it does not count"),
            Column("funder", "Funder or programme"),
            Column("contracts", "Contracts", ColumnKind.COUNT),
            Column("value", "Annual value", ColumnKind.MONEY),
        ],
        rows=rows,
        totals=totals,
        total_columns=[
            Column("contracts", "Contracts not counted", ColumnKind.COUNT),
            Column("value", "Annual value not counted", ColumnKind.MONEY),
            Column("probation_value", "Not counted, commissioned by probation areas", ColumnKind.MONEY),
            Column("prison_value", "Not counted, commissioned by prisons", ColumnKind.MONEY),
            Column("regional_value", "Not counted, commissioned by the regional team", ColumnKind.MONEY),
            Column("counted_contracts", "Contracts counted", ColumnKind.COUNT),
            Column("counted_value", "Annual value counted", ColumnKind.MONEY),
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
