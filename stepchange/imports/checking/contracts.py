"""Planning a file of contracts: references once each, the prime an organisation already known, an
end on or after the start, a value at least what the contract's sub-contracts are worth."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Sum

from stepchange.contracts.models import Contract, ContractKind, FundingSource
from stepchange.core.models import Pathway, Region
from stepchange.imports.checking._common import (
    PlannedRow,
    Planner,
    _Checker,
    _organisation_by_id,
    _planned,
    _Row,
    _split,
    parse_date,
    parse_money,
)
from stepchange.organisations.models import Commissioner, Organisation

CONTRACT_NAMES = {
    "reference": "Reference",
    "title": "Title",
    "commissioner": "Commissioner",
    "prime": "Prime",
    "pathways": "Pathways",
    "annual_value": "Annual value",
    "start": "Start",
    "end": "End",
    "funding_source": "Funding source",
    "funder": "Funder",
    "kind": "Kind",
    "external_ref": "ID",
}


class ContractPlanner(Planner):
    def __init__(self, region: Region) -> None:
        self.pathways = {p.code: p for p in Pathway.objects.all()}
        self.commissioners = {c.code: c for c in Commissioner.objects.filter(region=region)}
        self.by_ref = {
            c.external_ref: c for c in Contract.objects.filter(external_region=region).prefetch_related("pathways")
        }
        self.references: dict[str, int] = {}
        self.organisations: dict[str, Organisation | None] = {}

    def prepare(self, data: list[_Row]) -> None:
        references = [row["Reference"] for row in data if row["Reference"]]
        self.by_reference = {
            c.reference: c for c in Contract.objects.filter(reference__in=references).select_related("commissioner")
        }

    def _organisation(self, region: Region, text: str) -> Organisation | None:
        if text not in self.organisations:
            self.organisations[text] = _organisation_by_id(region, text)
        return self.organisations[text]

    def plan_row(self, checker: _Checker, row: _Row, region: Region, answers: dict[str, str]) -> PlannedRow | None:
        reference = row["Reference"]
        if reference in self.references:
            checker.problem(
                row.number,
                "Reference",
                reference,
                f"a reference used once in the file (row {self.references[reference]} has it too)",
                "duplicate-reference",
            )
        elif reference:
            self.references[reference] = row.number
        for heading, limit in (("Reference", 40), ("Title", 200), ("Funder", 200)):
            if len(row[heading]) > limit:
                checker.problem(row.number, heading, row[heading], f"at most {limit} characters", "too-long")
        prime = self._organisation(region, row["Prime"]) if row["Prime"] else None
        if row["Prime"] and prime is None:
            checker.problem(
                row.number,
                "Prime",
                row["Prime"],
                "the ID of an organisation imported into the region, or the exact name of one in the directory",
                "unknown-organisation",
            )
        value = parse_money(checker, row, "Annual value")
        start = parse_date(checker, row, "Start")
        end = parse_date(checker, row, "End")
        if start and end and end < start:
            checker.problem(
                row.number, "End", row["End"], f"an end on or after the start ({row['Start']})", "end-before-start"
            )
        funding = row["Funding source"]
        if funding == FundingSource.CO_COMMISSIONED and not row["Funder"]:
            checker.problem(row.number, "Funder", "", "the funder of co-commissioned money", "missing-funder")
        values: dict[str, Any] = {
            "reference": reference,
            "title": row["Title"],
            "commissioner": self.commissioners.get(row["Commissioner"]),
            "prime": prime,
            "pathways": [self.pathways[c] for c in _split(row["Pathways"]) if c in self.pathways],
            "annual_value": value,
            "start": start,
            "end": end,
            "funding_source": funding,
            "funder": row["Funder"],
            "kind": row["Kind"] or ContractKind.CONTRACT,
            "external_ref": row["ID"],
        }
        target = self.by_ref.get(row["ID"])
        if target is None and reference:
            same = self.by_reference.get(reference)
            if same is not None:
                if same.commissioner.region_id != region.pk or (
                    same.external_ref and same.external_region_id == region.pk
                ):
                    checker.problem(
                        row.number,
                        "Reference",
                        reference,
                        "a reference no other contract of the service has",
                        "reference-taken",
                    )
                else:
                    target = same
                    checker.warn(
                        row.number,
                        "Reference",
                        reference,
                        f"A contract with this reference already exists ({same.title}). This row updates it.",
                    )
        if target is not None and value is not None:
            others = target.sub_contracts.aggregate(total=Sum("value"))["total"] or Decimal("0")
            if others > value:
                checker.problem(
                    row.number,
                    "Annual value",
                    row["Annual value"],
                    f"at least £{others:,}, what its sub-contracts are worth together",
                    "below-sub-contracts",
                )
        return _planned(row, f"{reference} {row['Title']}", target, values, CONTRACT_NAMES)
