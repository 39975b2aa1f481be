"""Planning a file of organisations: numbers of the right shape, one sector for one organisation,
matching by ID, then charity or company number, a close name a question for the uploader."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError

from stepchange.core.models import Pathway, Region
from stepchange.imports.checking._common import NEW, PlannedRow, Planner, _Checker, _planned, _Row, _split, _yes
from stepchange.organisations.identifiers import (
    CHARITY_FORMAT,
    COMPANY_FORMAT,
    clean_charity_number,
    clean_company_number,
)
from stepchange.organisations.matching import normalised_name, similar_organisations
from stepchange.organisations.models import Organisation, Sector, SizeBand

ORGANISATION_NAMES = {
    "name": "Name",
    "charity_number": "Charity number",
    "company_number": "Company number",
    "size_band": "Size band",
    "pathways_served": "Pathways served",
    "bme_led": "BME-led",
    "women_specific": "Women-specific",
    "user_led": "User-led",
    "infrastructure_body": "Infrastructure body",
    "external_ref": "ID",
}


class OrganisationPlanner(Planner):
    def __init__(self) -> None:
        self.pathways = {p.code: p for p in Pathway.objects.all()}
        # Within the file: a charity or company number, or a name, seen first at which row with which sector.
        self.seen: dict[tuple[str, str], tuple[int, str]] = {}

    def plan_row(self, checker: _Checker, row: _Row, region: Region, answers: dict[str, str]) -> PlannedRow | None:
        numbers = {}
        for heading, clean, shape in (
            ("Charity number", clean_charity_number, CHARITY_FORMAT),
            ("Company number", clean_company_number, COMPANY_FORMAT),
        ):
            try:
                numbers[heading] = clean(row[heading])
            except ValidationError:
                checker.problem(row.number, heading, row[heading], shape, "number-shape")
                numbers[heading] = ""
        name = row["Name"]
        if len(name) > 200:
            checker.problem(row.number, "Name", name, "a name of at most 200 characters", "name-too-long")
        sector = row["Sector"]
        for key in (
            ("charity", numbers["Charity number"]),
            ("company", numbers["Company number"]),
            ("name", normalised_name(name)),
        ):
            if not key[1]:
                continue
            if key in self.seen:
                first, first_sector = self.seen[key]
                what = {"charity": "charity number", "company": "company number", "name": "name"}[key[0]]
                heading = {"charity": "Charity number", "company": "Company number", "name": "Name"}[key[0]]
                if first_sector != sector:
                    checker.problem(
                        row.number,
                        "Sector",
                        sector,
                        f"one sector for one organisation: row {first} has the same {what} in sector “{first_sector}”",
                        "two-sectors",
                    )
                else:
                    checker.problem(
                        row.number,
                        heading,
                        row[heading],
                        f"each organisation once: row {first} has the same {what}",
                        "duplicate-organisation",
                    )
            else:
                self.seen[key] = (row.number, sector)
        values: dict[str, Any] = {
            "name": name,
            "charity_number": numbers["Charity number"],
            "company_number": numbers["Company number"],
            "size_band": row["Size band"] if row["Size band"] in SizeBand.values else "",
            "pathways_served": [self.pathways[c] for c in _split(row["Pathways served"]) if c in self.pathways],
            "bme_led": _yes(row["BME-led"]),
            "women_specific": _yes(row["Women-specific"]),
            "user_led": _yes(row["User-led"]),
            "infrastructure_body": _yes(row["Infrastructure body"]),
            "external_ref": row["ID"],
        }
        target = Organisation.objects.filter(external_region=region, external_ref=row["ID"]).first()
        question = None
        if target is None and (numbers["Charity number"] or numbers["Company number"]):
            from stepchange.organisations.matching import same_numbers

            same = same_numbers(
                Organisation.objects.all(),
                charity_number=numbers["Charity number"],
                company_number=numbers["Company number"],
            )
            if same:
                target = same[0].organisation
                checker.warn(
                    row.number,
                    "Charity number" if "charity" in same[0].why else "Company number",
                    numbers["Charity number"] or numbers["Company number"],
                    f"An organisation with {same[0].why} already exists: {target.name}. This row updates it.",
                )
                if target.external_region_id == region.pk and target.external_ref and target.external_ref != row["ID"]:
                    checker.problem(
                        row.number,
                        "ID",
                        row["ID"],
                        f"the ID “{target.external_ref}” that {target.name} was imported with",
                        "imported-under-another-id",
                    )
        if target is None and name:
            suggestions = similar_organisations(name, Organisation.objects.all())
            if suggestions:
                exact = Organisation.objects.filter(name__iexact=name).first()
                answer = answers.get(str(row.number))
                options = [[s.organisation.pk, f"{s.organisation.name} ({s.why})"] for s in suggestions]
                question = {"name": name, "options": options, "allow_new": exact is None}
                if answer == NEW and exact is None:
                    question = {**question, "answer": NEW}
                elif answer and answer.isdigit() and int(answer) in {s.organisation.pk for s in suggestions}:
                    target = next(s.organisation for s in suggestions if s.organisation.pk == int(answer))
                    question = {**question, "answer": answer}
        if target is not None:
            # The directory keeps its own name (a file may write it another way, as a close name the
            # uploader said is this one): an organisation is renamed on its profile, not by an import.
            values.pop("name")
        if target is not None:
            if target.sector != sector and sector in Sector.values:
                checker.problem(
                    row.number,
                    "Sector",
                    sector,
                    f"“{target.sector}”, the sector of {target.name} already in the directory: an organisation "
                    "is in one sector (ask for a change of sector on its profile)",
                    "two-sectors",
                )
            if target.external_region_id not in (None, region.pk) and target.external_ref:
                values.pop("external_ref")  # another region's import named it first; keep that region's ID
        elif name and question is None and Organisation.objects.filter(name__iexact=name).exists():
            checker.problem(row.number, "Name", name, "a name no other organisation in the directory has", "name-taken")
        planned = _planned(row, name, target, values, ORGANISATION_NAMES)
        if planned.action == "unchanged" and target is not None and target.external_region_id is None:
            planned.action, planned.changes = "updated", ["ID"]
        planned.values["sector"] = sector
        planned.question = question
        return planned
