"""What every kind of import shares: reading the file, the plan and its rows, the checker that
collects problems and warnings, the headings and the cells every kind checks alike (values present,
codes from their lists, IDs once each, money, dates), and the ``Planner`` each kind's module extends."""

from __future__ import annotations

import datetime
import re
from abc import ABC, abstractmethod
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db.models import Model

from stepchange.core.models import Region
from stepchange.core.uploads import UploadRefused, check_upload
from stepchange.imports.columns import Column, headings
from stepchange.imports.models import ImportKind
from stepchange.organisations.models import Organisation
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


class Planner(ABC):
    """What each kind of import (organisations, establishments, contracts, sub-contracts, grants)
    says about its rows; the checker does the rest."""

    def prepare(self, data: list[_Row]) -> None:
        """Read at once what many rows will look up (a file of thousands of rows: bench/imports.py).
        Most kinds look up little and need nothing here."""
        return None

    @abstractmethod
    def plan_row(self, checker: _Checker, row: _Row, region: Region, answers: dict[str, str]) -> PlannedRow | None:
        """What saving the row would do (new, updated or unchanged), or None when it is refused
        (the checker has been told why)."""

    def check_whole(self, checker: _Checker, plan: Plan, region: Region) -> None:
        """Checks across rows, after every row is planned. Most kinds have none."""
        return None
