"""Checking a region's import file whole, and planning what saving it would do.

The file itself passes ``core.uploads.check_upload`` (size, type by content, zip bombs, formulas
refused) and is read as the prison return upload reads it (``returns.upload.read_xlsx``,
``read_csv``: python-calamine, each cell as the text a person would type). Then every row is
checked and every problem collected as a ``CellProblem`` (sheet, row, column, value found, what was
expected), none stopping the others being found: wrong or missing headings, a missing value, codes
not in their lists (commissioner, pathway, sector, funding source, ...), IDs given twice, money
that is not an amount or is negative, an end before its start, sub-contracts worth more than their
contract (with the contract's other sub-contracts), an organisation in two sectors, registration
numbers of the wrong shape.

``plan_import`` gives the ``Plan``: the problems, the warnings (shown apart: they do not stop the
import) and, for each row, what saving it would do: a new record, an update of one (and which
fields), or nothing. A row is matched to the record it made before by the file's own ID, kept as
the record's external reference in the region, so the same file uploaded again changes nothing.
An organisation not yet imported is matched by its charity or company number; a close name is a
question for the uploader (``answers``), never a silent merge. ``services.import_save`` checks the
file again against the region as it is by then and saves the plan, so the plan is never stale.
"""

from __future__ import annotations

import datetime
import re
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Model, Sum

from stepchange.contracts.models import Contract, ContractKind, FundingSource, MainGrant, SubContract
from stepchange.core.models import FinancialYear, Pathway, Region
from stepchange.core.uploads import UploadRefused, check_upload
from stepchange.imports.columns import COLUMNS, Column, headings
from stepchange.imports.models import ImportKind
from stepchange.organisations.identifiers import (
    CHARITY_FORMAT,
    COMPANY_FORMAT,
    clean_charity_number,
    clean_company_number,
)
from stepchange.organisations.matching import normalised_name, similar_organisations
from stepchange.organisations.models import (
    Commissioner,
    CommissionerKind,
    EstablishmentType,
    Operator,
    Organisation,
    Sector,
    SizeBand,
)
from stepchange.returns.upload import read_csv, read_xlsx
from stepchange.returns.upload_content import CellProblem, Rows, column_letter

# A region's file of 10,000 contracts fits well within these (bench/imports.py).
MAX_IMPORT_ROWS = 50_000
NEW = "new"
MONEY = re.compile(r"^\d+(\.\d{1,2})?$")
DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d", "%d %B %Y", "%d %b %Y")


def sheet_name(kind: str) -> str:
    """The template's sheet of rows is named after the kind ("Contracts")."""
    return str(ImportKind(kind).label)


@dataclass(frozen=True)
class Warning:
    row: int
    column: str
    heading: str
    value: str
    message: str


@dataclass
class PlannedRow:
    row: int
    ref: str
    action: str  # "new", "updated" or "unchanged"
    label: str
    changes: list[str] = field(default_factory=list)
    # The wanted values, by field name; the record it updates (None: a new one).
    values: dict[str, Any] = field(default_factory=dict)
    target: Model | None = None
    # A close name the uploader must answer: {"name", "options": [[id, label], ...], "allow_new"}.
    question: dict[str, Any] | None = None

    def as_preview(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "ref": self.ref,
            "action": self.action,
            "label": self.label,
            "changes": self.changes,
            "question": self.question,
        }


@dataclass
class Plan:
    kind: str
    region: Region
    rows: list[PlannedRow] = field(default_factory=list)
    problems: list[CellProblem] = field(default_factory=list)
    warnings: list[Warning] = field(default_factory=list)
    unanswered: list[int] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        counted = Counter(row.action for row in self.rows)
        return {action: counted[action] for action in ("new", "updated", "unchanged")}


Progress = Callable[[int, int], None]


def read_file(uploaded_file: Any, *, kind: str) -> tuple[str, Rows, bytes, str]:
    """The checked file's sheet name ("" for a CSV), its rows, its bytes and its format; raises
    ``UploadRefused`` for a file that cannot be taken at all."""
    checked = check_upload(uploaded_file, max_rows=MAX_IMPORT_ROWS, formulas_allowed=False)
    uploaded_file.seek(0)
    content = uploaded_file.read()
    if checked.kind == "csv":
        return "", read_csv(content), content, "csv"
    sheets = read_xlsx(content, checked.display_name)
    wanted = sheet_name(kind)
    if wanted not in sheets:
        raise UploadRefused(
            f"The workbook {checked.display_name} has no sheet “{wanted}”. Download the template of "
            f"{wanted.lower()}, copy your rows into its “{wanted}” sheet and upload it."
        )
    return wanted, sheets[wanted], content, "xlsx"


def rows_of(content: bytes, file_format: str, *, kind: str, name: str) -> tuple[str, Rows]:
    """A stored import's rows, read again (the file was checked when it was uploaded)."""
    if file_format == "csv":
        return "", read_csv(content)
    sheets = read_xlsx(content, name)
    wanted = sheet_name(kind)
    if wanted not in sheets:
        raise UploadRefused(f"The workbook {name} has no sheet “{wanted}”.")
    return wanted, sheets[wanted]


class _Checker:
    def __init__(self, plan: Plan, sheet: str, columns: dict[str, int]) -> None:
        self.plan = plan
        self.sheet = sheet
        self.columns = columns

    def problem(self, row: int, heading: str, value: str, expected: str, kind: str) -> None:
        column = column_letter(self.columns[heading]) if heading in self.columns else ""
        self.plan.problems.append(
            CellProblem(
                kind=kind, sheet=self.sheet, row=row, column=column, heading=heading, value=value, expected=expected
            )
        )

    def warn(self, row: int, heading: str, value: str, message: str) -> None:
        column = column_letter(self.columns[heading]) if heading in self.columns else ""
        self.plan.warnings.append(Warning(row=row, column=column, heading=heading, value=value, message=message))


@dataclass
class _Row:
    number: int
    cells: dict[str, str]

    def __getitem__(self, heading: str) -> str:
        return self.cells.get(heading, "")


def plan_import(
    *,
    kind: str,
    region: Region,
    sheet: str,
    rows: Rows,
    answers: dict[str, str] | None = None,
    progress: Progress | None = None,
) -> Plan:
    """Check every row of the file against the region as it is now and say what saving would do."""
    plan = Plan(kind=kind, region=region)
    columns = _check_headings(plan, sheet, rows, kind)
    if plan.problems:
        return plan
    checker = _Checker(plan, sheet, columns)
    data = [
        _Row(number, {heading: (row[index - 1] if index - 1 < len(row) else "") for heading, index in columns.items()})
        for number, row in enumerate(rows[1:], start=2)
        if any(cell.strip() for cell in row)
    ]
    if not data:
        checker.problem(2, "ID", "", "at least one row below the headings", "empty-file")
        return plan
    _check_common(checker, data, COLUMNS[kind])
    planner = planner_for(kind, region)
    planner.prepare(data)
    total = len(data)
    for done, row in enumerate(data, start=1):
        planned = planner.plan_row(checker, row, region, answers or {})
        if planned is not None:
            plan.rows.append(planned)
        if progress is not None and (done % 500 == 0 or done == total):
            progress(done, total)
    planner.check_whole(checker, plan, region)
    plan.problems.sort(key=lambda p: (p.row, len(p.column), p.column))
    # A question is answered only by an answer it takes (never "new" where the directory has the name).
    plan.unanswered = [r.row for r in plan.rows if r.question is not None and "answer" not in r.question]
    return plan


def _check_headings(plan: Plan, sheet: str, rows: Rows, kind: str) -> dict[str, int]:
    """The column of each expected heading; every missing, repeated or unknown heading a problem."""
    expected = headings(kind)
    found = rows[0] if rows else []
    columns: dict[str, int] = {}
    by_fold = {heading.casefold(): heading for heading in expected}
    for index, text in enumerate(found, start=1):
        if not text:
            continue
        heading = by_fold.get(text.casefold())
        if heading is None:
            plan.problems.append(
                CellProblem(
                    kind="unknown-column",
                    sheet=sheet,
                    row=1,
                    column=column_letter(index),
                    heading="",
                    value=text,
                    expected="one of the template's headings: " + ", ".join(expected),
                )
            )
        elif heading in columns:
            plan.problems.append(
                CellProblem(
                    kind="duplicate-column",
                    sheet=sheet,
                    row=1,
                    column=column_letter(index),
                    heading=heading,
                    value=text,
                    expected=f"each heading once (“{heading}” is already column {column_letter(columns[heading])})",
                )
            )
        else:
            columns[heading] = index
    for position, heading in enumerate(expected, start=1):
        if heading not in columns:
            plan.problems.append(
                CellProblem(
                    kind="missing-column",
                    sheet=sheet,
                    row=1,
                    column=column_letter(position),
                    heading=heading,
                    value="",
                    expected=f"a column headed “{heading}”",
                )
            )
    return columns


def _check_common(checker: _Checker, data: list[_Row], columns: tuple[Column, ...]) -> None:
    """What every kind checks alike: values present, codes from their lists, IDs once each."""
    choices = {c.heading: set(c.choices(checker.plan.region)) for c in columns if c.choices is not None}
    seen: dict[str, int] = {}
    for row in data:
        for column in columns:
            value = row[column.heading]
            if column.required and not value:
                checker.problem(row.number, column.heading, "", f"the {column.heading.lower()}", "missing-value")
                continue
            if value and column.heading in choices:
                allowed = choices[column.heading]
                parts = _split(value) if column.many else [value]
                unknown = [part for part in parts if part not in allowed]
                if unknown:
                    listed = ", ".join(sorted(allowed)) or "none yet"
                    checker.problem(
                        row.number,
                        column.heading,
                        value,
                        f"{'codes' if column.many else 'a code'} from the list ({listed}); "
                        f"not known: {', '.join(unknown)}",
                        "unknown-code",
                    )
        ident = row["ID"]
        if ident:
            if len(ident) > 60:
                checker.problem(row.number, "ID", ident, "an ID of at most 60 characters", "id-too-long")
            elif ident in seen:
                checker.problem(
                    row.number,
                    "ID",
                    ident,
                    f"an ID used once in the file (row {seen[ident]} has it too)",
                    "duplicate-id",
                )
            else:
                seen[ident] = row.number


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(";") if part.strip()]


def parse_money(checker: _Checker, row: _Row, heading: str, *, positive: bool = False) -> Decimal | None:
    text = row[heading].replace("£", "").replace(",", "").strip()
    if not text:
        return None
    if text.startswith("-"):
        checker.problem(
            row.number, heading, row[heading], f"the {heading.lower()} as 0 or more pounds", "negative-money"
        )
        return None
    if not MONEY.match(text):
        checker.problem(
            row.number,
            heading,
            row[heading],
            f"the {heading.lower()} as a number of pounds, like 24500 or 24500.50",
            "not-money",
        )
        return None
    try:
        amount = Decimal(text)
    except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
        return None
    if amount >= Decimal("1e12"):
        checker.problem(
            row.number, heading, row[heading], f"the {heading.lower()} below £1,000,000,000,000", "too-large"
        )
        return None
    if positive and amount <= 0:
        checker.problem(row.number, heading, row[heading], f"the {heading.lower()} as more than £0", "not-positive")
        return None
    return amount


def parse_date(checker: _Checker, row: _Row, heading: str) -> datetime.date | None:
    text = row[heading].removesuffix("T00:00:00")
    if not text:
        return None
    for pattern in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    checker.problem(
        row.number, heading, row[heading], f"the {heading.lower()} as a real date, like 1/4/2006", "not-a-date"
    )
    return None


def _yes(value: str) -> bool:
    return value.casefold() == "yes"


def _changes(target: Model | None, values: dict[str, Any], names: dict[str, str]) -> list[str]:
    """The headings of the values that differ from the target's (all of them for a new record)."""
    if target is None:
        return []
    changed = []
    for name, wanted in values.items():
        current = getattr(target, name)
        if name in ("pathways", "pathways_served"):
            current = {p.pk for p in current.all()}
            wanted = {p.pk for p in wanted}
        elif isinstance(current, Model) or isinstance(wanted, Model):
            current = getattr(current, "pk", current)
            wanted = getattr(wanted, "pk", wanted)
        if current != wanted:
            changed.append(names.get(name, name))
    return changed


def _planned(row: _Row, label: str, target: Model | None, values: dict[str, Any], names: dict[str, str]) -> PlannedRow:
    changes = _changes(target, values, names)
    action = NEW if target is None else ("updated" if changes else "unchanged")
    return PlannedRow(
        row=row.number, ref=row["ID"], action=action, label=label, changes=changes, values=values, target=target
    )


def _organisation_by_id(region: Region, text: str) -> Organisation | None:
    """An organisation named in a file: by its ID in the region's organisations file, else its exact name."""
    found = Organisation.objects.filter(external_region=region, external_ref=text).first()
    return found or Organisation.objects.filter(name__iexact=text).first()


class Planner:
    def prepare(self, data: list[_Row]) -> None:
        """Read at once what many rows will look up (a file of thousands of rows: bench/imports.py)."""

    def plan_row(self, checker: _Checker, row: _Row, region: Region, answers: dict[str, str]) -> PlannedRow | None:
        raise NotImplementedError

    def check_whole(self, checker: _Checker, plan: Plan, region: Region) -> None:
        """Checks across rows, after every row is planned."""


# Organisations ------------------------------------------------------------------------------------


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


# Contracts ----------------------------------------------------------------------------------------

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


# Sub-contracts ------------------------------------------------------------------------------------

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


# Main grants --------------------------------------------------------------------------------------

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


# Prison establishments ----------------------------------------------------------------------------

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


def planner_for(kind: str, region: Region) -> Planner:
    if kind == ImportKind.ORGANISATIONS:
        return OrganisationPlanner()
    if kind == ImportKind.CONTRACTS:
        return ContractPlanner(region)
    if kind == ImportKind.SUB_CONTRACTS:
        return SubContractPlanner()
    if kind == ImportKind.GRANTS:
        return GrantPlanner(region)
    if kind == ImportKind.ESTABLISHMENTS:
        return EstablishmentPlanner()
    raise ValueError(f"unknown kind of import {kind!r}")
