"""Planning a file of prison establishments: codes and names no other commissioner or organisation
of the service has."""

from __future__ import annotations

import re

from stepchange.core.models import Region
from stepchange.imports.checking._common import PlannedRow, Planner, _Checker, _planned, _Row
from stepchange.organisations.models import Commissioner, CommissionerKind, EstablishmentType, Operator, Organisation

ESTABLISHMENT_NAMES = {
    "code": "Code",
    "operator": "Operator",
    "establishment_type": "Establishment type",
    "external_ref": "ID",
}
CODE = re.compile(r"^[-a-zA-Z0-9_]+$")


class EstablishmentPlanner(Planner):
    def plan_row(self, checker: _Checker, row: _Row, region: Region, answers: dict[str, str]) -> PlannedRow | None:
        code = row["Code"]
        if code and (len(code) > 12 or not CODE.match(code)):
            checker.problem(row.number, "Code", code, "at most 12 letters, digits, hyphens or underscores", "bad-code")
        if len(row["Name"]) > 200:
            checker.problem(row.number, "Name", row["Name"], "a name of at most 200 characters", "name-too-long")
        target = (
            Commissioner.objects.filter(external_region=region, external_ref=row["ID"])
            .select_related("organisation")
            .first()
        )
        if target is None and code:
            same = Commissioner.objects.filter(code=code).select_related("organisation").first()
            if same is not None:
                if same.region_id != region.pk or same.kind != CommissionerKind.PRISON or same.external_ref:
                    checker.problem(
                        row.number, "Code", code, "a code no other commissioner of the service has", "code-taken"
                    )
                else:
                    target = same
                    checker.warn(row.number, "Code", code, f"{same.name} already has this code. This row updates it.")
        name_taken = Organisation.objects.filter(name__iexact=row["Name"])
        if target is not None:
            name_taken = name_taken.exclude(pk=target.organisation_id)
        if row["Name"] and name_taken.exists():
            checker.problem(
                row.number, "Name", row["Name"], "a name no other organisation in the directory has", "name-taken"
            )
        values = {
            "code": code,
            "operator": row["Operator"] if row["Operator"] in Operator.values else "",
            "establishment_type": row["Establishment type"]
            if row["Establishment type"] in EstablishmentType.values
            else "",
            "external_ref": row["ID"],
        }
        planned = _planned(row, row["Name"], target, values, ESTABLISHMENT_NAMES)
        if target is not None and target.organisation.name != row["Name"]:
            planned.changes.append("Name")
            planned.action = "updated"
        planned.values["name"] = row["Name"]
        return planned
