"""The second tier of checking an uploaded prison return: its content, row by row and across sheets.

Each pathway row goes through ``PrisonLineForm``, the co-ordinator post through
``CoordinatorPostForm`` and the area-wide contracts through ``AreaContractsForm``: the same forms
as the web pages, so that both ways in meet the same rules. Then what spans sheets: every
organisation named on Delivery is on the Organisations sheet, a new organisation has its sector, a
given total equals its parts. Every problem is collected (none stops the others being found) as a
``CellProblem``: the sheet, row and column, the value found and what was expected.

The first tier (the file itself) and the reading are in ``returns.upload``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError

from stepchange.contracts.models import Contract
from stepchange.core.forms import MoneyField
from stepchange.core.models import Pathway
from stepchange.core.uploads import UploadRefused
from stepchange.organisations.models import Organisation
from stepchange.returns import spreadsheet as layout
from stepchange.returns.forms import (
    AreaContractsForm,
    CoordinatorPostForm,
    PrisonLineForm,
    ProposedAddForm,
    count_field,
)
from stepchange.returns.models import CoordinatorPost, PrisonReturn
from stepchange.returns.selectors import prison_pathways, running_last_quarter

# What each kind of problem is called when they are counted: (one, many).
KINDS: dict[str, tuple[str, str]] = {
    "unknown-pathway": ("unknown pathway", "unknown pathways"),
    "duplicate-pathway": ("pathway given twice", "pathways given more than once"),
    "missing-figure": ("missing figure", "missing figures"),
    "not-a-whole-number": ("figure that is not a whole number", "figures that are not whole numbers"),
    "not-an-amount": ("spend that is not an amount in pounds", "spends that are not amounts in pounds"),
    "started-above-running": (
        "pathway with more services started than running",
        "pathways with more services started than running",
    ),
    "ended-above-running-and-started": (
        "pathway with more services ended than last quarter's running and this quarter's started",
        "pathways with more services ended than last quarter's running and this quarter's started",
    ),
    "total-mismatch": ("total that does not match its parts", "totals that do not match their parts"),
    "organisation-not-listed": (
        "organisation on Delivery missing from the Organisations sheet",
        "organisations on Delivery missing from the Organisations sheet",
    ),
    "not-in-directory": (
        "organisation neither in the directory nor proposed",
        "organisations neither in the directory nor proposed",
    ),
    "pathway-not-on-lines": (
        "delivery on a pathway with no figures",
        "deliveries on pathways with no figures",
    ),
    "incomplete-row": ("row with a value missing", "rows with a value missing"),
    "missing-sector": ("new organisation without its sector", "new organisations without their sector"),
    "name-too-long": ("organisation name that is too long", "organisation names that are too long"),
    "unknown-choice": ("value that is not in its list", "values that are not in their lists"),
    "unknown-contract": ("unknown area-wide contract", "unknown area-wide contracts"),
    "not-an-fte": ("FTE that is not between 0 and 1", "FTEs that are not between 0 and 1"),
    "unknown-line": ("line that is not on the return", "lines that are not on the return"),
    "duplicate-line": ("line given twice", "lines given more than once"),
    "ended-new": ("added contract marked ended", "added contracts marked ended"),
}
SHEET_ORDER = ("", layout.LINES, layout.DELIVERY, layout.ORGANISATIONS, layout.ESTABLISHMENT, layout.CONTRACTS)
HEADING_OF = dict(zip(layout.LINE_FIELDS, layout.LINES_HEADINGS[1:5], strict=True))


@dataclass(frozen=True)
class CellProblem:
    kind: str
    sheet: str  # "" for a CSV file, which has none
    row: int
    column: str  # a spreadsheet column letter
    heading: str
    value: str
    expected: str

    @property
    def where(self) -> str:
        place = f"row {self.row}, column {self.column}" + (f" ({self.heading})" if self.heading else "")
        return f"Sheet “{self.sheet}”, {place}" if self.sheet else place[0].upper() + place[1:]

    @property
    def found(self) -> str:
        return f"“{self.value}”" if self.value else "nothing"

    def __str__(self) -> str:
        return f"{self.where}: found {self.found}; expected {self.expected}"


class ContentProblems(Exception):
    """The file is a template of this return, but what is in it cannot be saved."""

    def __init__(self, problems: list[CellProblem]) -> None:
        super().__init__(f"The file has {len(problems)} problem{'s' if len(problems) != 1 else ''}.")
        self.problems = problems

    def counts(self) -> list[tuple[str, int, str]]:
        """(kind, how many, what they are called), in the order of ``KINDS``."""
        counted = Counter(p.kind for p in self.problems)
        return [
            (kind, counted[kind], names[0] if counted[kind] == 1 else names[1])
            for kind, names in KINDS.items()
            if counted[kind]
        ]


@dataclass
class LineFigures:
    pathway: Pathway
    services_running: int
    services_started: int
    services_ended: int
    spend: Decimal | None
    organisations: list[Organisation] = field(default_factory=list)
    proposed: list[tuple[str, str]] = field(default_factory=list)


Rows = list[list[str]]


def get_cell(rows: Rows, row: int, column: int) -> str:
    """The text at a 1-based row and column, "" beyond the data."""
    if row - 1 < len(rows) and column - 1 < len(rows[row - 1]):
        return rows[row - 1][column - 1]
    return ""


def column_letter(column: int) -> str:
    from openpyxl.utils import get_column_letter

    return str(get_column_letter(column))


def expected_from(message: str) -> str:
    """A form's request ("Enter a whole number, like 0 or 3") as what was expected ("a whole number, like 0 or 3")."""
    return message.removeprefix("Enter ").rstrip(".")


# Tier 2: the content -------------------------------------------------------------------------------


class ContentChecker:
    """Collects the problems of one file's content, and what it says where there are none."""

    def __init__(self, prison_return: PrisonReturn) -> None:
        self.prison_return = prison_return
        self.problems: list[CellProblem] = []
        self.pathways = list(prison_pathways(prison_return))
        self.pathway_by_name: dict[str, Pathway] = {}
        for pathway in self.pathways:
            for key in (pathway.name, pathway.short_name, pathway.code):
                self.pathway_by_name.setdefault(key.casefold(), pathway)
        self.directory = list(layout.directory_organisations(prison_return))
        self.directory_by_name = {o.name.casefold(): o for o in self.directory}
        self.proposed_on_lines = {
            (line.pathway_id, p.name.casefold()): (p.name, p.sector)
            for line in prison_return.lines.prefetch_related("proposed")
            for p in line.proposed.all()
        }
        self.pathway_list = ", ".join(p.name for p in self.pathways)
        self.last_running = running_last_quarter(prison_return)

    def problem(self, kind: str, sheet: str, row: int, column: int, heading: str, value: str, expected: str) -> None:
        self.problems.append(CellProblem(kind, sheet, row, column_letter(column), heading, value, expected))

    def pathway(self, value: str, sheet: str, row: int) -> Pathway | None:
        pathway = self.pathway_by_name.get(value.casefold())
        if pathway is None:
            self.problem(
                "unknown-pathway",
                sheet,
                row,
                1,
                "Pathway",
                value,
                f"one of the pathways in the list: {self.pathway_list}",
            )
        return pathway

    # Lines --------------------------------------------------------------------------------------------

    def lines(self, rows: Rows, *, sheet: str, first_row: int) -> tuple[dict[int, dict[str, Any]], dict[int, int]]:
        """The figures of each pathway row that has any, by pathway id, and the row each came from."""
        figures: dict[int, dict[str, Any]] = {}
        row_of: dict[int, int] = {}
        total_row: int | None = None
        for row in range(first_row, len(rows) + 1):
            values = [get_cell(rows, row, column) for column in range(1, 6)]
            if not any(values):
                continue
            if values[0].casefold() == layout.TOTAL.casefold():
                total_row = row
                continue
            if not any(values[1:]):
                continue  # a pathway left blank stays as it is on the return
            pathway = self.pathway(values[0], sheet, row)
            if pathway is None:
                continue
            if pathway.pk in row_of:
                self.problem(
                    "duplicate-pathway",
                    sheet,
                    row,
                    1,
                    "Pathway",
                    values[0],
                    f"each pathway once: {pathway.name} is already on row {row_of[pathway.pk]}",
                )
                continue
            row_of[pathway.pk] = row
            data = {
                "version": str(self.prison_return.version),
                **dict(zip(layout.LINE_FIELDS, values[1:], strict=True)),
            }
            last = None if self.last_running is None else self.last_running.get(pathway.pk, 0)
            form = PrisonLineForm(data, last_running=last)
            if form.is_valid():
                figures[pathway.pk] = form.cleaned_data
                continue
            for name, errors in form.errors.as_data().items():
                column = "ABCDE".index(layout.LINE_FIELDS[name]) + 1
                for error in errors:
                    self.line_problem(name, error, sheet, row, column, data, form)
        if total_row is not None:
            self.totals(rows, sheet=sheet, row=total_row, figures=figures, first_row=first_row)
        return figures, row_of

    def line_problem(
        self, name: str, error: ValidationError, sheet: str, row: int, column: int, data: dict[str, Any], form: Any
    ) -> None:
        message = " ".join(error.messages)
        running = form.cleaned_data.get("services_running")
        if error.code == "started_above_running":
            kind, expected = "started-above-running", f"at most the services running ({running})"
        elif error.code == "ended_above_running_and_started":
            kind = "ended-above-running-and-started"
            limit = error.params or {}
            expected = (
                f"at most last quarter's services running and this quarter's started together "
                f"({limit.get('last_running')} + {limit.get('started')} = {limit.get('limit')})"
            )
        elif name == "spend":
            kind, expected = "not-an-amount", "an amount in pounds of 0 or more, like 1500 or 1500.50, or nothing"
        elif error.code == "required":
            kind, expected = "missing-figure", "a whole number (0 if there are none)"
        elif error.code == "max_value":
            kind, expected = "not-a-whole-number", "a whole number no more than 9999"
        else:
            kind, expected = "not-a-whole-number", expected_from(message)
        self.problem(kind, sheet, row, column, HEADING_OF[name], str(data.get(name, "")), expected)

    def totals(self, rows: Rows, *, sheet: str, row: int, figures: dict[int, dict[str, Any]], first_row: int) -> None:
        # A total is compared only when every part of it could be read: otherwise the parts' own
        # problems say what is wrong, and a sum of some of them would mislead.
        parts_ok = not any(p.sheet == sheet and first_row <= p.row < row for p in self.problems)
        for offset, name in enumerate(layout.LINE_FIELDS):
            column = offset + 2
            value = get_cell(rows, row, column)
            if not value:
                continue
            try:
                given = (MoneyField(required=False, min_value=0) if name == "spend" else count_field("")).clean(value)
            except ValidationError as error:
                kind = "not-an-amount" if name == "spend" else "not-a-whole-number"
                self.problem(
                    kind,
                    sheet,
                    row,
                    column,
                    f"Total {HEADING_OF[name].lower()}",
                    value,
                    expected_from(" ".join(error.messages)),
                )
                continue
            if not parts_ok:
                continue
            parts = [f[name] or 0 for f in figures.values()]
            added: Any = sum(parts, Decimal(0) if name == "spend" else 0)
            if given != added:
                self.problem(
                    "total-mismatch",
                    sheet,
                    row,
                    column,
                    f"Total {HEADING_OF[name].lower()}",
                    value,
                    f"the sum of the pathways above ({added:.2f}), or nothing"
                    if name == "spend"
                    else f"the sum of the pathways above ({added}), or nothing",
                )

    # Organisations --------------------------------------------------------------------------------------

    def organisations(self, rows: Rows) -> dict[str, tuple[Organisation | None, str]]:
        """The Organisations sheet: by name (folded), a directory organisation or (None, sector)."""
        listed: dict[str, tuple[Organisation | None, str]] = {}
        sector_of = {label.casefold(): value for value, label in layout.SECTORS.items()}
        sector_of.update({value: value for value in layout.SECTORS})
        name_field = ProposedAddForm.base_fields["proposed_name"]
        sector_field = ProposedAddForm.base_fields["proposed_sector"]
        sheet = layout.ORGANISATIONS
        for row in range(2, len(rows) + 1):
            name, sector = get_cell(rows, row, 1), get_cell(rows, row, 2)
            if not name and not sector:
                continue
            if not name:
                self.problem("incomplete-row", sheet, row, 1, "Organisation", "", "the name of the organisation")
                continue
            organisation = self.directory_by_name.get(name.casefold())
            if organisation is not None:
                listed[name.casefold()] = (organisation, organisation.sector)
                continue
            try:
                name_field.clean(name)
            except ValidationError as error:
                self.problem("name-too-long", sheet, row, 1, "Organisation", name[:60] + "…", " ".join(error.messages))
                continue
            if not sector:
                self.problem(
                    "missing-sector",
                    sheet,
                    row,
                    2,
                    "Sector",
                    "",
                    f"the sector of {name}, which is not in the directory: Voluntary and community or Private",
                )
                continue
            try:
                value = sector_field.clean(sector_of.get(sector.casefold(), sector))
            except ValidationError:
                self.problem("unknown-choice", sheet, row, 2, "Sector", sector, "Voluntary and community or Private")
                continue
            listed[name.casefold()] = (None, value)
        return listed

    def delivery(
        self, rows: Rows, listed: dict[str, tuple[Organisation | None, str]], on_lines: dict[int, int]
    ) -> dict[int, tuple[list[Organisation], list[tuple[str, str]]]]:
        """The Delivery sheet: by pathway id, its directory organisations and proposed ones."""
        delivered: dict[int, tuple[list[Organisation], list[tuple[str, str]]]] = {}
        # What each pathway has so far, as sets beside the ordered lists: a look-up per row, not a scan.
        seen_organisations: dict[int, set[int]] = {}
        seen_proposed: dict[int, set[str]] = {}
        sheet = layout.DELIVERY
        for row in range(2, len(rows) + 1):
            pathway_name, name = get_cell(rows, row, 1), get_cell(rows, row, 2)
            if not pathway_name and not name:
                continue
            if not pathway_name or not name:
                column, heading = (1, "Pathway") if not pathway_name else (2, "Organisation")
                self.problem("incomplete-row", sheet, row, column, heading, "", "both a pathway and an organisation")
                continue
            pathway = self.pathway(pathway_name, sheet, row)
            if pathway is None:
                continue
            entry = listed.get(name.casefold())
            if entry is None:
                self.problem(
                    "organisation-not-listed",
                    sheet,
                    row,
                    2,
                    "Organisation",
                    name,
                    f"an organisation listed on the {layout.ORGANISATIONS} sheet (add {name} there, with its sector "
                    "if it is not in the directory)",
                )
                continue
            if pathway.pk not in on_lines:
                self.problem(
                    "pathway-not-on-lines",
                    sheet,
                    row,
                    1,
                    "Pathway",
                    pathway_name,
                    f"a pathway with its figures on the {layout.LINES} sheet ({pathway.name} has none there)",
                )
                continue
            organisations, proposed = delivered.setdefault(pathway.pk, ([], []))
            organisation, sector = entry
            if organisation is not None:
                if organisation.pk not in seen_organisations.setdefault(pathway.pk, set()):
                    seen_organisations[pathway.pk].add(organisation.pk)
                    organisations.append(organisation)
            elif name.casefold() not in seen_proposed.setdefault(pathway.pk, set()):
                seen_proposed[pathway.pk].add(name.casefold())
                proposed.append((name, sector))
        return delivered

    def csv_organisations(
        self,
        rows: Rows,
        *,
        column: int,
        row_of: dict[int, int],
        listed: dict[str, tuple[Organisation | None, str]] | None = None,
    ) -> dict[int, tuple[list[Organisation], list[tuple[str, str]]]]:
        """The CSV's Organisations column: directory organisations, ones proposed on that line already,
        or new ones listed with their sector in the file's Organisations section."""
        listed = listed or {}
        delivered: dict[int, tuple[list[Organisation], list[tuple[str, str]]]] = {}
        for pathway_id, row in row_of.items():
            organisations: list[Organisation] = []
            proposed: list[tuple[str, str]] = []
            # Sets beside the ordered lists: a cell may name thousands, each looked up once.
            seen_organisations: set[int] = set()
            seen_proposed: set[tuple[str, str]] = set()
            for name in filter(None, (part.strip() for part in get_cell(rows, row, column).split(";"))):
                organisation = self.directory_by_name.get(name.casefold())
                known = self.proposed_on_lines.get((pathway_id, name.casefold()))
                entry = listed.get(name.casefold())
                if organisation is None and known is None and entry is not None and entry[0] is None:
                    known = (name, entry[1])
                if organisation is not None:
                    if organisation.pk not in seen_organisations:
                        seen_organisations.add(organisation.pk)
                        organisations.append(organisation)
                elif known is not None:
                    if known not in seen_proposed:
                        seen_proposed.add(known)
                        proposed.append(known)
                else:
                    self.problem(
                        "not-in-directory",
                        "",
                        row,
                        column,
                        layout.CSV_ORGANISATIONS_HEADING,
                        name,
                        "an organisation in the directory, one already proposed on this pathway, or a new one "
                        "listed with its sector under the “Organisation,Sector (of one not in the directory)” "
                        "heading below the lines",
                    )
            delivered[pathway_id] = (organisations, proposed)
        return delivered

    # The establishment ------------------------------------------------------------------------------

    def post(self, rows: Rows) -> tuple[str, Decimal | None] | None:
        sheet = layout.ESTABLISHMENT
        post_text, fte_text = get_cell(rows, 2, 2), get_cell(rows, 3, 2)
        if not post_text and not fte_text:
            return None
        choices = {str(label).casefold(): value for value, label in CoordinatorPost.choices}
        choices.update({value: value for value in CoordinatorPost.values})
        post = choices.get(post_text.casefold(), post_text)
        form = CoordinatorPostForm({"version": str(self.prison_return.version), "post": post, "fte": fte_text})
        if form.is_valid():
            return form.cleaned_data["post"], form.cleaned_data["fte"]
        labels = ", ".join(str(label) for label in CoordinatorPost.labels)
        for name, errors in form.errors.as_data().items():
            for error in errors:
                if name == "post":
                    self.problem("unknown-choice", sheet, 2, 2, layout.POST_QUESTION, post_text, f"one of: {labels}")
                else:
                    expected = expected_from(" ".join(error.messages))
                    self.problem("not-an-fte", sheet, 3, 2, layout.FTE_QUESTION, fte_text, expected)
        return None

    def contracts(self, rows: Rows) -> list[Contract] | None:
        """The contracts named, or None when the sheet is empty and the return has none: an
        untouched template does not answer the optional question for the person."""
        offered = list(layout.area_wide_contracts(self.prison_return))
        by_label = {layout.contract_label(c).casefold(): c for c in offered}
        by_label.update({c.reference.casefold(): c for c in offered})
        chosen: list[Contract] = []
        for row in range(2, len(rows) + 1):
            value = get_cell(rows, row, 1)
            if not value:
                continue
            contract = by_label.get(value.casefold()) or by_label.get(value.split(" ")[0].casefold())
            if contract is None:
                self.problem(
                    "unknown-contract",
                    layout.CONTRACTS,
                    row,
                    1,
                    layout.CONTRACTS_HEADINGS[0],
                    value,
                    "an area-wide contract of the region from the drop-down list",
                )
            elif contract not in chosen:
                chosen.append(contract)
        form = AreaContractsForm(
            {"version": str(self.prison_return.version), "contracts": [c.pk for c in chosen]},
            contracts=layout.area_wide_contracts(self.prison_return),
        )
        if not form.is_valid():  # the contracts were chosen from the same list; this is a safeguard
            raise UploadRefused("The area-wide contracts of the file could not be read. Choose them from the list.")
        if not chosen and not self.prison_return.area_contracts.exists():
            return None
        return chosen

    def figures(
        self,
        figures: dict[int, dict[str, Any]],
        delivered: dict[int, tuple[list[Organisation], list[tuple[str, str]]]],
    ) -> list[LineFigures]:
        by_id = {p.pk: p for p in self.pathways}
        return [
            LineFigures(
                pathway=by_id[pathway_id],
                services_running=data["services_running"],
                services_started=data["services_started"],
                services_ended=data["services_ended"],
                spend=data["spend"],
                organisations=delivered.get(pathway_id, ([], []))[0],
                proposed=delivered.get(pathway_id, ([], []))[1],
            )
            for pathway_id, data in sorted(figures.items(), key=lambda item: by_id[item[0]].order)
        ]
