"""The sector-split report: counted contracts with voluntary and community providers against
private providers, by number and by value."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, Sum

from stepchange.contracts import selectors as contracts
from stepchange.contracts.listing import list_query
from stepchange.reports.columns import Column, ColumnKind
from stepchange.reports.formatting import TOTALS_KEY
from stepchange.reports.models import Measure
from stepchange.reports.reconcile import FigureKey, published_for, reconcile
from stepchange.reports.registry import Chart, ReportParams, ReportResult, register
from stepchange.reports.spend.shares import CENT, HUNDRED, ZERO


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
        params=params,
        columns=[
            Column("name", "Sector"),
            Column("contracts", "Contracts", ColumnKind.COUNT),
            Column("contracts_pct", "Share of contracts", ColumnKind.PERCENT),
            Column("value", "Annual value", ColumnKind.MONEY),
            Column("value_pct", "Share of value", ColumnKind.PERCENT),
        ],
        rows=rows,
        totals=totals,
        total_columns=[
            Column("contracts", "Contracts", ColumnKind.COUNT),
            Column("value", "Annual value", ColumnKind.MONEY),
        ],
        chart=Chart(
            kind="bar",
            title="Share of contracts and of value by sector",
            categories=[r["name"] for r in rows],
            series=[("By number", [r["contracts_pct"] for r in rows]), ("By value", [r["value_pct"] for r in rows])],
        ),
        reconciliation=reconcile(figures, computed),
        notes=["Counted contracts only: main-grant money with a voluntary, community or private prime."],
    )
