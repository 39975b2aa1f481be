"""Planning a file of main grants: at most one grant per commissioner and financial year."""

from __future__ import annotations

from stepchange.contracts.models import MainGrant
from stepchange.core.models import FinancialYear, Region
from stepchange.imports.checking._common import PlannedRow, Planner, _Checker, _planned, _Row, parse_money
from stepchange.organisations.models import Commissioner

GRANT_NAMES = {
    "commissioner": "Commissioner",
    "year": "Financial year",
    "indicative": "Indicative",
    "final": "Final",
    "external_ref": "ID",
}


class GrantPlanner(Planner):
    def __init__(self, region: Region) -> None:
        self.commissioners = {c.code: c for c in Commissioner.objects.filter(region=region)}
        self.years = {y.name: y for y in FinancialYear.objects.all()}
        self.pairs: dict[tuple[str, str], int] = {}

    def plan_row(self, checker: _Checker, row: _Row, region: Region, answers: dict[str, str]) -> PlannedRow | None:
        indicative = parse_money(checker, row, "Indicative", positive=True)
        final = parse_money(checker, row, "Final", positive=True)
        if not row["Indicative"] and not row["Final"]:
            checker.problem(
                row.number, "Indicative", "", "the indicative grant, the final grant or both", "missing-value"
            )
        commissioner = self.commissioners.get(row["Commissioner"])
        year = self.years.get(row["Financial year"])
        pair = (row["Commissioner"], row["Financial year"])
        if commissioner and year:
            if pair in self.pairs:
                checker.problem(
                    row.number,
                    "Financial year",
                    row["Financial year"],
                    f"one grant per commissioner and year (row {self.pairs[pair]} has this one)",
                    "duplicate-grant",
                )
            else:
                self.pairs[pair] = row.number
        values = {
            "commissioner": commissioner,
            "year": year,
            "indicative": indicative,
            "final": final,
            "external_ref": row["ID"],
        }
        target = MainGrant.objects.filter(external_region=region, external_ref=row["ID"]).first()
        if target is None and commissioner and year:
            target = MainGrant.objects.filter(commissioner=commissioner, year=year).first()
            if target is not None:
                checker.warn(
                    row.number,
                    "Financial year",
                    row["Financial year"],
                    f"{commissioner.code} already has a grant for {year}. This row updates it.",
                )
        return _planned(row, f"{row['Commissioner']} {row['Financial year']}", target, values, GRANT_NAMES)
