"""The contract-values report: the mean and median annual value of counted contracts, per probation
area and over the region."""

from __future__ import annotations

import statistics
from collections import defaultdict
from decimal import Decimal
from typing import Any

from stepchange.contracts import selectors as contracts
from stepchange.reports.columns import Column, ColumnKind
from stepchange.reports.models import Measure
from stepchange.reports.reconcile import FigureKey, published_for, reconcile
from stepchange.reports.registry import Chart, ReportParams, ReportResult, register
from stepchange.reports.spend.shares import ZERO, mean


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
    return ReportResult(
        params=params,
        columns=[
            Column("name", "Probation area"),
            Column("contracts", "Contracts", ColumnKind.COUNT),
            Column("total_value", "Total annual value", ColumnKind.MONEY),
            Column("mean_value", "Mean", ColumnKind.MONEY),
            Column("median_value", "Median", ColumnKind.MONEY),
            Column("below_mean", "Below the mean", ColumnKind.COUNT),
        ],
        rows=rows,
        totals=totals,
        total_columns=[
            Column("contracts", "Contracts", ColumnKind.COUNT),
            Column("total_value", "Total annual value", ColumnKind.MONEY),
            Column("mean_value", "Mean", ColumnKind.MONEY),
            Column("median_value", "Median", ColumnKind.MONEY),
            Column("below_mean", "Below the regional mean", ColumnKind.COUNT),
        ],
        chart=Chart(
            kind="bar",
            title="Mean and median annual contract value by probation area",
            categories=[r["name"] for r in rows],
            series=[("Mean", [r["mean_value"] for r in rows]), ("Median", [r["median_value"] for r in rows])],
            unit="£",
        ),
        reconciliation=reconcile(figures, computed),
        notes=[f"Counted contracts {scope}. Each contract's annual value counts in full, never pro-rated."],
    )
