"""The prison-spend report, which reads two sources on purpose. Its ``spend`` column is the annual
value of the prison-commissioned contracts live on the date, under the same conventions as the
probation share (live on the day, annual value in full, one count per pathway): that is what the
2006-07 report's baseline (paras 5.45-5.46) measured, and the demo's prison contracts add up to it.
Beside it, ``returned_spend`` is the quarter's spend as the establishments reported it in approved
returns, with the count of returns still missing, so the two can be compared. For a financial year
without a quarter, it is the year's reported spend by pathway and by establishment."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db.models import Count, Sum

from stepchange.contracts.models import Contract
from stepchange.contracts.selectors import live_on_q
from stepchange.core.models import FinancialYear, Pathway, pathways_asked_of_prisons
from stepchange.core.periods import quarters_of, year_containing
from stepchange.organisations.models import CommissionerKind, EstablishmentType
from stepchange.reports.columns import Column, ColumnKind
from stepchange.reports.registry import Chart, ReportParams, ReportResult, Table, register
from stepchange.reports.returns.common import (
    QUARTERS,
    ZERO,
    establishments_of,
    missing_note,
    missing_of_type,
    prison_rounds,
    type_note,
)
from stepchange.returns.models import PrisonReturnLine
from stepchange.returns.selectors import approved_prison_returns


def _spend_or_unknown(total: Decimal, known: int) -> Decimal | None:
    """Spend summed over the returns that gave it; None (not known) when none did. Never £0.00 for unknown."""
    return total.quantize(Decimal("0.01")) if known else None


def _prison_spend_year(params: ReportParams, year: FinancialYear) -> ReportResult:
    """The year's spend as approved returns reported it, by pathway and by establishment, with how
    many returns gave it and how many left it blank (blank is unknown; 0 is nil)."""
    rounds = prison_rounds(params, year, QUARTERS)
    asked, _approved, missing = missing_of_type(rounds, params)
    lines = PrisonReturnLine.objects.filter(
        prison_return__in=approved_prison_returns().filter(round__in=rounds, **establishments_of(params))
    ).values_list(
        "prison_return_id",
        "prison_return__commissioner__code",
        "prison_return__commissioner__organisation__name",
        "prison_return__commissioner__establishment_type",
        "pathway_id",
        "spend",
    )
    by_pathway: dict[int, dict[str, Any]] = {}
    by_return: dict[int, dict[str, Any]] = {}
    for return_id, code, name, kind, pathway_id, spend in lines:
        path = by_pathway.setdefault(pathway_id, {"sum": ZERO, "known": 0, "unknown": 0})
        one = by_return.setdefault(return_id, {"code": code, "name": name, "kind": kind, "sum": ZERO, "known": 0})
        if spend is None:
            path["unknown"] += 1
        else:
            path["known"] += 1
            path["sum"] += spend
            one["sum"] += spend
            one["known"] += 1
    type_labels = dict(EstablishmentType.choices)
    establishments: dict[str, dict[str, Any]] = {}
    for one in by_return.values():
        row = establishments.setdefault(
            one["code"],
            {
                "establishment": one["code"],
                "name": one["name"],
                "establishment_type": type_labels.get(one["kind"], ""),
                "_sum": ZERO,
                "returns_spend_known": 0,
                "returns_spend_not_known": 0,
            },
        )
        row["_sum"] += one["sum"]
        # A return gave spend if it gave it on any pathway; one that left every pathway blank did not.
        row["returns_spend_known" if one["known"] else "returns_spend_not_known"] += 1
    establishment_rows = []
    for row in sorted(establishments.values(), key=lambda r: r["name"]):
        row["spend"] = _spend_or_unknown(row.pop("_sum"), row["returns_spend_known"])
        establishment_rows.append(row)
    rows = []
    for pathway in pathways_asked_of_prisons(params.region):
        figures = by_pathway.get(pathway.pk, {"sum": ZERO, "known": 0, "unknown": 0})
        rows.append(
            {
                "pathway": pathway.name,
                "spend": _spend_or_unknown(figures["sum"], figures["known"]),
                "returns_spend_known": figures["known"],
                "returns_spend_not_known": figures["unknown"],
            }
        )
    known = sum(r["returns_spend_known"] for r in establishment_rows)
    totals: dict[str, Any] = {
        "year": year.name,
        "spend": _spend_or_unknown(sum((p["sum"] for p in by_pathway.values()), ZERO), known),
        "returns_spend_known": known,
        "returns_spend_not_known": sum(r["returns_spend_not_known"] for r in establishment_rows),
        "returns_asked": asked,
        "returns_missing": len(missing),
    }
    spend_columns = [
        Column("spend", f"Spend reported in approved returns, {year.name}", ColumnKind.MONEY, "not known"),
        Column("returns_spend_known", "Returns giving spend", ColumnKind.COUNT),
        Column("returns_spend_not_known", "Returns leaving spend blank (not known)", ColumnKind.COUNT),
    ]
    return ReportResult(
        params=params,
        columns=[Column("pathway", "Pathway"), *spend_columns],
        rows=rows,
        totals=totals,
        total_columns=[
            Column("spend", f"Spend reported, {year.name}", ColumnKind.MONEY, "not known"),
            Column("returns_spend_known", "Returns giving spend", ColumnKind.COUNT),
            Column("returns_spend_not_known", "Returns leaving spend blank (not known)", ColumnKind.COUNT),
            Column("returns_missing", "Returns missing", ColumnKind.COUNT),
        ],
        tables=[
            Table(
                "by_establishment",
                f"Spend reported by establishment, {year.name}",
                [
                    Column("name", "Establishment"),
                    Column("establishment_type", "Type", missing="not recorded"),
                    *spend_columns,
                ],
                establishment_rows,
            )
        ],
        chart=Chart(
            kind="bar",
            title=f"Spend reported in approved prison returns by pathway, {year.name}",
            categories=[r["pathway"] for r in rows],
            series=[("Spend reported", [r["spend"] for r in rows])],
            unit="£",
        ),
        notes=[
            "The year's spend as the establishments reported it in approved returns, summing the quarters in which "
            "it was given. A spend left blank is not known and is not counted as £0; a spend of 0 is nil and is "
            "counted. Where no return gave a spend, it is shown as not known.",
            missing_note(asked, missing),
            *type_note(params),
        ],
    )


@register(
    name="prison-spend",
    title="Prison spend with voluntary, community and private providers by pathway",
    description="The annual value of prison contracts live on the date by pathway, beside the quarter's spend reported in approved prison returns; or, for a financial year, the year's reported spend by pathway and by establishment.",
    takes=("at", "year", "quarter", "establishment_type"),
)
def prison_spend(params: ReportParams) -> ReportResult:
    if params.year is not None and not params.quarter:
        return _prison_spend_year(params, params.year)
    at = params.at if params.at is not None else min(params.year.end, datetime.date.today()) if params.year else None
    assert at is not None
    year = year_containing(at)
    quarter = params.quarter or next(q.number for q in quarters_of(year) if q.start <= at <= q.end)
    live = Contract.objects.filter(
        live_on_q(at),
        commissioner__region=params.region,
        commissioner__kind=CommissionerKind.PRISON,
        **establishments_of(params),
    ).exclude(prime__sector="public")
    by_pathway = {
        row["pathways"]: row
        for row in live.values("pathways").annotate(spend=Sum("annual_value"), n=Count("id")).order_by()
    }
    rounds = prison_rounds(params, year, (quarter,))
    asked, _approved, missing = missing_of_type(rounds, params)
    returned = {
        row["pathway_id"]: row["spend"]
        for row in PrisonReturnLine.objects.filter(
            prison_return__in=approved_prison_returns().filter(round__in=rounds, **establishments_of(params)),
            spend__isnull=False,
        )
        .values("pathway_id")
        .annotate(spend=Sum("spend"))
        .order_by()
    }
    rows = []
    for pathway in Pathway.objects.order_by("order"):
        contracts = by_pathway.get(pathway.pk, {"spend": ZERO, "n": 0})
        rows.append(
            {
                "pathway": pathway.name,
                "spend": (contracts["spend"] or ZERO).quantize(Decimal("0.01")),
                "contracts": contracts["n"],
                "returned_spend": returned[pathway.pk].quantize(Decimal("0.01")) if pathway.pk in returned else None,
            }
        )
    label = quarters_of(year)[quarter - 1].label
    totals = {
        # Each contract once, however many pathways it is on.
        "spend": (live.aggregate(total=Sum("annual_value"))["total"] or ZERO).quantize(Decimal("0.01")),
        "contracts": live.count(),
        # Not known (None) when no approved return gave a spend: never £0.00 for unknown.
        "returned_spend": sum(returned.values(), ZERO).quantize(Decimal("0.01")) if returned else None,
        "quarter": label,
        "returns_asked": asked,
        "returns_missing": len(missing),
    }
    return ReportResult(
        params=params,
        columns=[
            Column("pathway", "Pathway"),
            Column("spend", "Annual value of live contracts", ColumnKind.MONEY),
            Column("contracts", "Contracts", ColumnKind.COUNT),
            Column("returned_spend", f"Spend reported in approved returns, {label}", ColumnKind.MONEY, "not known"),
        ],
        rows=rows,
        totals=totals,
        total_columns=[
            Column("spend", "Annual value of live contracts", ColumnKind.MONEY),
            Column("contracts", "Contracts", ColumnKind.COUNT),
            Column("returned_spend", f"Spend reported, {label}", ColumnKind.MONEY, "not known"),
            Column("returns_missing", "Returns missing", ColumnKind.COUNT),
        ],
        chart=Chart(
            kind="bar",
            title="Annual value of live prison contracts by pathway",
            categories=[r["pathway"] for r in rows],
            series=[("Annual value", [r["spend"] for r in rows])],
            unit="£",
        ),
        notes=[
            "Annual value of contracts commissioned by the region's prisons, live on the date, with voluntary, "
            "community or private primes; a contract on two pathways counts in each. Visitors' centres count as "
            "Children & Families.",
            missing_note(asked, missing),
            *type_note(params),
        ],
    )
