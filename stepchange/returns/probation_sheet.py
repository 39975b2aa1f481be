"""The spreadsheet route into a probation return: its template as an Excel workbook and as a CSV
file, and the checking of a completed one, with the prison return's machinery (``returns.upload``
reads the file and checks its identity; ``returns.upload_content`` names each problem).

The workbook (template version ``spreadsheet.TEMPLATE_VERSION``) has these sheets, in this order:

``Instructions``  how to fill it in, and what the upload checks;
``Contracts``     one row per line of the return (a contract the service holds, or one the area
                  added), with the line's number in column A; a row with no number is a contract to
                  add. Sector, funding source and pathways are drop-downs;
``Notes``         what every column of ``Contracts`` holds and what the upload expects of it;
``Lists``         hidden: the lists the drop-downs offer;
``Identity``      hidden: which return the file is for, signed (``spreadsheet.Identity``).

The CSV form is the identity as ``key,value`` rows under the title ``CSV_IDENTITY_TITLE``, a blank
row, then the Contracts table with the same headings.

A contract the service holds takes its title, sector, funding source and pathways from the contract:
those cells are written for reference and not read back; its annual value and whether it had ended
are. A contract the area added has every column read back (it cannot be marked ended: leave it out of
the return on the web page instead). Each row goes through the web pages' own forms
(``ProbationLineForm``, ``ProbationAddForm``), so that both ways in meet the same rules.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from stepchange.contracts.models import FundingSource
from stepchange.core.exports import SafeCsvWriter, workbook_bytes
from stepchange.core.models import Pathway
from stepchange.core.uploads import CheckedUpload, UploadRefused, check_upload
from stepchange.returns import spreadsheet as layout
from stepchange.returns.forms import ProbationAddForm, ProbationLineForm
from stepchange.returns.models import ProbationLineChange, ProbationReturn, ProbationReturnLine
from stepchange.returns.upload import (
    MAX_RETURN_ROWS,
    NOT_A_TEMPLATE,
    check_headings,
    check_identity,
    identity_from,
    read_csv,
    read_xlsx,
)
from stepchange.returns.upload_content import CellProblem, ContentProblems, Rows, column_letter, expected_from, get_cell

CONTRACTS = "Contracts"
NOTES = "Notes"
CSV_IDENTITY_TITLE = "StepChange probation return"
HEADINGS = (
    "Line",
    "Contract",
    "Sector",
    "Funding source",
    "Pathways",
    "Annual value (£)",
    "Ended",
)
LINE, TITLE, SECTOR, FUNDING, PATHWAYS, VALUE, ENDED = range(1, 8)
SECTORS = {"vcs": "Voluntary and community", "private": "Private", "public": "Public"}
FUNDING_SOURCES = {value: str(label) for value, label in FundingSource.choices}
YES = "Yes"
# Room left below the return's lines for contracts to add (and so for the drop-downs).
NEW_ROWS = 100
PATHWAY_SEPARATOR = ";"

NOTES_ROWS = (
    (
        "Line",
        "The service's number for the line. Leave it as it is. Leave it blank on a row that adds a contract "
        "the service does not hold.",
    ),
    (
        "Contract",
        "The contract's reference and title. For a contract the service holds it is shown for reference and "
        "not read back. For a contract you add: its title and provider, at most 200 characters.",
    ),
    (
        "Sector",
        "The prime provider's sector: Voluntary and community, Private or Public (from the list). Read back "
        "only for a contract you add, where it is required.",
    ),
    (
        "Funding source",
        "Main grant, New investment, Co-commissioned or In-kind secondment (from the list). Read back only "
        "for a contract you add, where it may be left blank.",
    ),
    (
        "Pathways",
        "The contract's pathways: choose one from the list, or type several separated by semicolons. Read "
        "back only for a contract you add; it may be left blank.",
    ),
    (
        "Annual value (£)",
        "The contract's annual value at the return date in pounds, like 1900000 or 1900000.50 (not "
        "negative). Required on every row. A value different from the one the service holds is a correction.",
    ),
    (
        "Ended",
        "Yes if the contract had ended by the return date; blank (or No) if it is still live. Only a "
        "contract the service holds can be marked ended.",
    ),
)

INSTRUCTIONS = (
    "How to fill in this return",
    "",
    "Contracts: one row for each contract the area holds at the return date. Check each annual value "
    "and correct it if it is wrong; put Yes in Ended for a contract that had ended.",
    "To add a contract the service does not hold, fill in a row below the others with the Line column "
    "blank: its title and provider, sector, funding source, pathways and annual value.",
    "The Notes sheet says what every column holds.",
    "",
    "Type values, not formulas. Do not rename the sheets or change the headings.",
    "Upload the file on the return's page. The whole file is checked first: if anything is wrong, nothing "
    "is saved and every problem is listed with its sheet, row and column. If all is well, everything in it "
    "is saved to your draft, and you check and submit the return as you would on the web pages.",
    "This template is for one return only and for the figures as they were when you downloaded it.",
)


def _pathways() -> list[Pathway]:
    """The pathways a contract may be under: those the web page's form offers."""
    return list(ProbationAddForm().fields["pathways"].queryset)  # type: ignore[attr-defined]


def _rows_of(probation_return: ProbationReturn) -> list[list[Any]]:
    """The return's lines as the template's rows (line, contract, sector, funding, pathways, value, ended)."""
    rows = []
    lines = probation_return.lines.select_related("contract__prime").prefetch_related("pathways", "contract__pathways")
    for line in lines:
        contract = line.contract
        if contract is not None and line.change != ProbationLineChange.NEW:
            sector = SECTORS.get(contract.prime.sector, contract.prime.sector)
            funding = FUNDING_SOURCES.get(contract.funding_source, "")
            pathways = contract.pathways.all()
        else:
            sector = SECTORS.get(line.sector, "")
            funding = FUNDING_SOURCES.get(line.funding_source, "")
            pathways = line.pathways.all()
        rows.append(
            [
                line.pk,
                line.title,
                sector,
                funding,
                f"{PATHWAY_SEPARATOR} ".join(p.name for p in sorted(pathways, key=lambda p: p.order)),
                line.annual_value,
                YES if line.change == ProbationLineChange.ENDED else "",
            ]
        )
    return rows


# The workbook --------------------------------------------------------------------------------------


def build_workbook(probation_return: ProbationReturn) -> bytes:
    """The pre-filled template of this return, as the bytes of an .xlsx file."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill, Protection
    from openpyxl.worksheet.datavalidation import DataValidation

    bold = Font(bold=True)
    unlocked = Protection(locked=False)
    workbook = Workbook()
    about = workbook.active
    about.title = "Instructions"
    about.column_dimensions["A"].width = 120
    about["A1"] = f"{probation_return} – probation area contracts return"
    about["A1"].font = Font(bold=True, size=14)
    for row, text in enumerate(INSTRUCTIONS, start=3):
        about.cell(row=row, column=1, value=text)
    about["A3"].font = bold
    about.protection.sheet = True

    pathways = _pathways()
    lists = workbook.create_sheet(layout.LISTS)
    for column, (title, values) in enumerate(
        (
            ("Sectors", list(SECTORS.values())),
            ("Funding sources", list(FUNDING_SOURCES.values())),
            ("Pathways", [p.name for p in pathways]),
            ("Ended", [YES]),
        ),
        start=1,
    ):
        lists.cell(row=1, column=column, value=title)
        for row, value in enumerate(values, start=2):
            lists.cell(row=row, column=column, value=value)
    lists.sheet_state = "hidden"

    sheet = workbook.create_sheet(CONTRACTS, 1)
    for column, (name, width) in enumerate(zip(HEADINGS, (8, 60, 24, 22, 40, 18, 10), strict=True), start=1):
        cell = sheet.cell(row=1, column=column, value=name)
        cell.font = bold
        cell.fill = PatternFill("solid", fgColor="DDDDDD")
        sheet.column_dimensions[cell.column_letter].width = width
    sheet.freeze_panes = "A2"
    sheet.protection.sheet = True
    rows = _rows_of(probation_return)
    for row, values in enumerate(rows, start=2):
        for column, value in enumerate(values, start=1):
            sheet.cell(row=row, column=column, value=float(value) if isinstance(value, Decimal) else value)
    last = len(rows) + NEW_ROWS + 1
    for row in sheet.iter_rows(min_row=2, max_row=last, min_col=TITLE, max_col=ENDED):
        for cell in row:
            cell.protection = unlocked

    def dropdown(column: str, count: int, cells: str, *, strict: bool = True, prompt: str = "") -> None:
        source = f"={layout.LISTS}!${column}$2:${column}${max(count, 1) + 1}"
        validation = DataValidation(type="list", formula1=source, allow_blank=True)
        validation.showErrorMessage = strict
        validation.error = "Choose a value from the list."
        validation.errorTitle = "Not in the list"
        if prompt:
            validation.prompt = prompt
            validation.showInputMessage = True
        sheet.add_data_validation(validation)
        validation.add(cells)

    dropdown("A", len(SECTORS), f"C2:C{last}")
    dropdown("B", len(FUNDING_SOURCES), f"D2:D{last}")
    dropdown(
        "C",
        len(pathways),
        f"E2:E{last}",
        strict=False,
        prompt="Choose a pathway, or type several separated by semicolons.",
    )
    dropdown("D", 1, f"G2:G{last}")

    notes = workbook.create_sheet(NOTES, 2)
    notes.column_dimensions["A"].width = 8
    notes.column_dimensions["B"].width = 20
    notes.column_dimensions["C"].width = 110
    for column, name in enumerate(("Column", "Heading", "What it holds"), start=1):
        notes.cell(row=1, column=column, value=name).font = bold
    for row, (heading, text) in enumerate(NOTES_ROWS, start=2):
        notes.cell(row=row, column=1, value=column_letter(HEADINGS.index(heading) + 1))
        notes.cell(row=row, column=2, value=heading)
        notes.cell(row=row, column=3, value=text)
    notes.protection.sheet = True

    identity = workbook.create_sheet(layout.IDENTITY)
    for row, (key, value) in enumerate(layout.identity_of(probation_return).rows(), start=1):
        identity.cell(row=row, column=1, value=key)
        identity.cell(row=row, column=2, value=value)
    identity.protection.sheet = True
    identity.sheet_state = "hidden"
    workbook.active = 1
    # Contract titles people typed are written here: every cell is made safe on saving.
    return workbook_bytes(workbook)


def build_csv(probation_return: ProbationReturn) -> str:
    """The return's lines as CSV: its identity, a blank row, then the Contracts table."""
    out = io.StringIO()
    writer = SafeCsvWriter(out, lineterminator="\r\n")
    writer.writerow([CSV_IDENTITY_TITLE, ""])
    for key, value in layout.identity_of(probation_return).rows():
        writer.writerow([key, value])
    writer.writerow([])
    writer.writerow(list(HEADINGS))
    writer.writerows(_rows_of(probation_return))
    return out.getvalue()


# Checking a completed template ---------------------------------------------------------------------


@dataclass
class LineValues:
    """What the file says of one line: ``line`` None for a contract to add."""

    line: ProbationReturnLine | None
    annual_value: Decimal
    ended: bool = False
    title: str = ""
    sector: str = ""
    funding_source: str = ""
    pathways: list[Pathway] = field(default_factory=list)


@dataclass
class CheckedProbationFile:
    upload: CheckedUpload
    sha256: str
    identity: layout.Identity
    lines: list[LineValues]


class _Checker:
    def __init__(self, probation_return: ProbationReturn, sheet: str) -> None:
        self.probation_return = probation_return
        self.sheet = sheet
        self.problems: list[CellProblem] = []
        self.lines = {line.pk: line for line in probation_return.lines.all()}
        self.pathways = _pathways()
        self.pathway_by_name: dict[str, Pathway] = {}
        for pathway in self.pathways:
            for key in (pathway.name, pathway.short_name, pathway.code):
                self.pathway_by_name.setdefault(key.casefold(), pathway)

    def problem(self, kind: str, row: int, column: int, value: str, expected: str) -> None:
        self.problems.append(
            CellProblem(kind, self.sheet, row, column_letter(column), HEADINGS[column - 1], value, expected)
        )

    def choice(self, value: str, choices: dict[str, str], row: int, column: int, what: str) -> str | None:
        """The code of a value from a list (its label or its code, in any case); None if it is not in it."""
        for code, label in choices.items():
            if value.casefold() in {code.casefold(), label.casefold()}:
                return code
        self.problem("unknown-choice", row, column, value, f"{what}: {', '.join(choices.values())}")
        return None

    def ended(self, value: str, row: int) -> bool | None:
        if value.casefold() in {"", "no"}:
            return False
        if value.casefold() == "yes":
            return True
        self.problem("unknown-choice", row, ENDED, value, "Yes, or blank (or No) for a contract still live")
        return None

    def value_problem(self, form: Any, row: int, values: list[str]) -> None:
        if form.errors.get("title"):
            if values[TITLE - 1]:
                self.problem("name-too-long", row, TITLE, values[TITLE - 1], "a title of at most 200 characters")
            else:
                self.problem("incomplete-row", row, TITLE, "", "the contract's title and provider")
        for message in form.errors.get("annual_value", []):
            if values[VALUE - 1]:
                self.problem("not-an-amount", row, VALUE, values[VALUE - 1], expected_from(message))
            else:
                self.problem("missing-figure", row, VALUE, "", "the annual value in pounds, like 1900000 or 1900000.50")

    def row(self, values: list[str], row: int, seen: dict[int, int]) -> LineValues | None:
        version = str(self.probation_return.version)
        number = values[LINE - 1]
        if number:
            line = self.lines.get(int(number)) if number.isdigit() else None
            if line is None:
                self.problem(
                    "unknown-line",
                    row,
                    LINE,
                    number,
                    "the number of a line of this return as the template gave it, or blank for a contract to add",
                )
                return None
            if line.pk in seen:
                self.problem("duplicate-line", row, LINE, number, f"each line once (it is also on row {seen[line.pk]})")
                return None
            seen[line.pk] = row
            if line.change != ProbationLineChange.NEW:
                ended = self.ended(values[ENDED - 1], row)
                form = ProbationLineForm(
                    {"version": version, "annual_value": values[VALUE - 1], "ended": "on" if ended else ""}
                )
                if not form.is_valid():
                    self.value_problem(form, row, values)
                    return None
                if ended is None:
                    return None
                return LineValues(line=line, annual_value=form.cleaned_data["annual_value"], ended=ended)
        else:
            line = None
        if values[ENDED - 1].casefold() not in {"", "no"}:
            self.problem(
                "ended-new",
                row,
                ENDED,
                values[ENDED - 1],
                "blank: a contract the area added is not marked ended (remove it on the return's page instead)",
            )
        sector = self.choice(values[SECTOR - 1], SECTORS, row, SECTOR, "one of") if values[SECTOR - 1] else ""
        funding = (
            self.choice(values[FUNDING - 1], FUNDING_SOURCES, row, FUNDING, "one of") if values[FUNDING - 1] else ""
        )
        pathways: list[Pathway] = []
        for name in filter(None, (part.strip() for part in values[PATHWAYS - 1].split(PATHWAY_SEPARATOR))):
            pathway = self.pathway_by_name.get(name.casefold())
            if pathway is None:
                self.problem(
                    "unknown-pathway",
                    row,
                    PATHWAYS,
                    name,
                    "pathways from the list, separated by semicolons: " + ", ".join(p.name for p in self.pathways),
                )
            elif pathway not in pathways:
                pathways.append(pathway)
        add_form = ProbationAddForm(
            {
                "version": version,
                "title": values[TITLE - 1],
                "annual_value": values[VALUE - 1],
                "sector": sector or "",
                "pathways": [p.code for p in pathways],
            }
        )
        if not add_form.is_valid():
            if "sector" in add_form.errors and not values[SECTOR - 1]:
                self.problem(
                    "incomplete-row", row, SECTOR, "", "the prime provider's sector: " + ", ".join(SECTORS.values())
                )
            self.value_problem(add_form, row, values)
            return None
        if sector is None or funding is None:
            return None
        return LineValues(
            line=line,
            annual_value=add_form.cleaned_data["annual_value"],
            title=add_form.cleaned_data["title"],
            sector=add_form.cleaned_data["sector"],
            funding_source=funding,
            pathways=pathways,
        )


def check_file(
    uploaded_file: Any,
    *,
    probation_return: ProbationReturn,
    uploader_area: str | None,
    check_staleness: bool = True,
) -> CheckedProbationFile:
    """Check an uploaded file against this probation return. Raise ``UploadRefused`` (the file is
    not this return's template) or ``ContentProblems`` (every problem in it); return what it says
    when there is none. ``uploader_area`` is the uploader's own area's code (None for a superuser
    or the ``import_return`` command)."""
    checked = check_upload(uploaded_file, max_rows=MAX_RETURN_ROWS, formulas_allowed=False)
    uploaded_file.seek(0)
    content = uploaded_file.read()
    name = checked.display_name
    if checked.kind == "xlsx":
        sheets = read_xlsx(content, name)
        if layout.IDENTITY not in sheets:
            raise UploadRefused(NOT_A_TEMPLATE.format(name=name, kind="probation", why="it has no identity sheet"))
        pairs = {row[0]: row[1] for row in sheets[layout.IDENTITY] if len(row) >= 2 and row[0]}
    else:
        rows = read_csv(content)
        if not rows or get_cell(rows, 1, 1) != CSV_IDENTITY_TITLE:
            raise UploadRefused(
                NOT_A_TEMPLATE.format(name=name, kind="probation", why=f"its first cell is not “{CSV_IDENTITY_TITLE}”")
            )
        pairs = {r[0]: r[1] for r in rows[1 : len(layout.IDENTITY_KEYS) + 1] if len(r) >= 2}
    identity = identity_from(pairs, name)
    check_identity(
        identity,
        name=name,
        the_return=probation_return,
        uploader_establishment=uploader_area,
        check_staleness=check_staleness,
    )
    table: Rows
    if checked.kind == "xlsx":
        if CONTRACTS not in sheets:
            raise UploadRefused(
                f"The workbook {name} has no sheet “{CONTRACTS}”. The sheets of the template cannot be renamed or "
                "removed: download it again and copy your figures into it."
            )
        table, heading_row, sheet = sheets[CONTRACTS], 1, CONTRACTS
    else:
        table, heading_row, sheet = rows, len(layout.IDENTITY_KEYS) + 3, ""
    check_headings(table, HEADINGS, sheet=sheet, name=name, row=heading_row)
    checker = _Checker(probation_return, sheet)
    found: list[LineValues] = []
    seen: dict[int, int] = {}
    for row in range(heading_row + 1, len(table) + 1):
        values = [get_cell(table, row, column) for column in range(1, len(HEADINGS) + 1)]
        if not any(values):
            continue
        line_values = checker.row(values, row, seen)
        if line_values is not None:
            found.append(line_values)
    if checker.problems:
        raise ContentProblems(sorted(checker.problems, key=lambda p: (p.row, len(p.column), p.column)))
    return CheckedProbationFile(
        upload=checked, sha256=hashlib.sha256(content).hexdigest(), identity=identity, lines=found
    )
