"""Planning a file of sub-contracts: the contract and partner known, the partner not the prime, and
a contract's sub-contracts together worth no more than the contract."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db.models import Sum

from stepchange.contracts.models import Contract, SubContract
from stepchange.core.models import Region
from stepchange.imports.checking._common import (
    Plan,
    PlannedRow,
    Planner,
    _Checker,
    _organisation_by_id,
    _planned,
    _Row,
    parse_money,
)

SUB_CONTRACT_NAMES = {"contract": "Contract", "partner": "Partner", "value": "Value", "external_ref": "ID"}


class SubContractPlanner(Planner):
    def __init__(self) -> None:
        self.pairs: dict[tuple[int, int], int] = {}
        self.contracts: dict[str, Contract | None] = {}

    def _contract(self, region: Region, text: str) -> Contract | None:
        if text not in self.contracts:
            in_region = Contract.objects.filter(commissioner__region=region)
            self.contracts[text] = (
                in_region.filter(external_region=region, external_ref=text).first()
                or in_region.filter(reference=text).first()
            )
        return self.contracts[text]

    def plan_row(self, checker: _Checker, row: _Row, region: Region, answers: dict[str, str]) -> PlannedRow | None:
        contract = self._contract(region, row["Contract"]) if row["Contract"] else None
        if row["Contract"] and contract is None:
            checker.problem(
                row.number,
                "Contract",
                row["Contract"],
                "the ID or reference of a contract of the region",
                "unknown-contract",
            )
        partner = _organisation_by_id(region, row["Partner"]) if row["Partner"] else None
        if row["Partner"] and partner is None:
            checker.problem(
                row.number,
                "Partner",
                row["Partner"],
                "the ID of an organisation imported into the region, or the exact name of one in the directory",
                "unknown-organisation",
            )
        if contract is not None and partner is not None:
            if partner.pk == contract.prime_id:
                checker.problem(
                    row.number,
                    "Partner",
                    row["Partner"],
                    "a partner other than the contract's prime",
                    "partner-is-prime",
                )
            pair = (contract.pk, partner.pk)
            if pair in self.pairs:
                checker.problem(
                    row.number,
                    "Partner",
                    row["Partner"],
                    f"one sub-contract per partner on a contract (row {self.pairs[pair]} has this one)",
                    "duplicate-sub-contract",
                )
            else:
                self.pairs[pair] = row.number
        value = parse_money(checker, row, "Value")
        target = SubContract.objects.filter(external_region=region, external_ref=row["ID"]).first()
        if target is None and contract is not None and partner is not None:
            target = SubContract.objects.filter(contract=contract, partner=partner).first()
            if target is not None:
                checker.warn(
                    row.number,
                    "Partner",
                    row["Partner"],
                    f"{partner.name} already sub-contracts on {contract.reference}. This row updates it.",
                )
        values = {"contract": contract, "partner": partner, "value": value, "external_ref": row["ID"]}
        label = f"{contract.reference if contract else row['Contract']} → {partner.name if partner else row['Partner']}"
        return _planned(row, label, target, values, SUB_CONTRACT_NAMES)

    def check_whole(self, checker: _Checker, plan: Plan, region: Region) -> None:
        """A contract's sub-contracts together, those already saved and not in the file with the
        file's, cannot be worth more than the contract itself."""
        by_contract: dict[int, list[PlannedRow]] = defaultdict(list)
        for planned in plan.rows:
            if planned.values["contract"] is not None and planned.values["value"] is not None:
                by_contract[planned.values["contract"].pk].append(planned)
        for rows in by_contract.values():
            contract = rows[0].values["contract"]
            replaced = [r.target.pk for r in rows if r.target is not None]
            others = contract.sub_contracts.exclude(pk__in=replaced).aggregate(total=Sum("value"))["total"] or Decimal(
                "0"
            )
            total = others + sum((r.values["value"] for r in rows), Decimal("0"))
            if total > contract.annual_value:
                already = f" with £{others:,} of sub-contracts already on it" if others else ""
                for planned in rows:
                    checker.problem(
                        planned.row,
                        "Value",
                        str(planned.values["value"]),
                        f"sub-contracts of {contract.reference} worth together at most its annual value "
                        f"£{contract.annual_value:,}; the file's rows {', '.join(str(r.row) for r in rows)}"
                        f"{already} come to £{total:,}",
                        "more-than-prime",
                    )
