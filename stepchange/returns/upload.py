"""Reading an uploaded prison return (the XLSX template or its CSV form) and checking it, in two
tiers, before anything is saved.

Tier 1, the file itself: ``core.uploads.check_upload`` (size before reading, type by content, zip
bombs, sheet and row counts, formulas refused); then is it a template of this service at all, is
its identity intact (the checksum), is it for the uploader's establishment, for this return, in the
template version this service takes, and made from the return as it stands (not from figures
someone has changed since). Each refusal is one ``UploadRefused`` naming what was found.

Tier 2, the content (``returns.upload_content``): each row through the same Django forms as the
web pages, then the checks across sheets; every problem is collected as a ``CellProblem`` (sheet,
row, column, value found, what was expected) and all are raised together in ``ContentProblems``.
Only a file with none comes back as a ``CheckedFile``, ready for the service
``prison_return_upload`` to save in one transaction.

Reading uses python-calamine (numbers come back as floats: 3.0 is the whole number 3, 2.5 is not).

**How long a return may be.** What grows in a return is its Delivery sheet: one row per
organisation delivering on a pathway, each saved as one row (a link to a directory organisation or
a proposed one). A national-scale return is taken with up to 100,000 of them, and its Organisations
sheet may list as many again (an organisation delivering on one pathway only), beside the template's
own rows (instructions, lines, blank rows to fill, the hidden lists of the region's directory). So
a return's file may hold ``MAX_RETURN_ROWS`` rows in all, more than ``core.uploads.MAX_ROWS``; the
other limits stay as they are: the size on disk (5 MB holds 100,000 delivery rows of an XLSX many
times over), the sheets, the parts, and the zip-bomb checks of the expanded size and the
compression ratio, all from the zip's directory before anything is inflated.
"""

from __future__ import annotations

import codecs
import csv
import dataclasses
import datetime
import hashlib
import io
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.crypto import constant_time_compare

from stepchange.contracts.models import Contract
from stepchange.core.audit import history_of
from stepchange.core.exports import FORMULA_STARTS
from stepchange.core.uploads import CheckedUpload, UploadRefused, check_upload
from stepchange.returns import spreadsheet as layout
from stepchange.returns.checks import Problem, reconciliation_problem
from stepchange.returns.models import PrisonReturn, ProbationReturn
from stepchange.returns.selectors import running_last_quarter
from stepchange.returns.upload_content import (
    SHEET_ORDER,
    CellProblem,
    ContentChecker,
    ContentProblems,
    LineFigures,
    Rows,
    column_letter,
    get_cell,
)

__all__ = ["CellProblem", "CheckedFile", "ContentProblems", "UploadRefused", "check_file"]

# 100,000 Delivery rows, as many on the Organisations sheet, and the template's own rows.
MAX_RETURN_ROWS = 250_000


@dataclass
class CheckedFile:
    """A file that passed both tiers: what it says, ready to be saved."""

    upload: CheckedUpload
    content: bytes
    sha256: str
    identity: layout.Identity
    lines: list[LineFigures]
    # None where the file does not say (a CSV file without its Establishment or Area contracts section).
    post: tuple[str, Decimal | None] | None
    contracts: list[Contract] | None


def upload_reconciliation(prison_return: PrisonReturn, checked: CheckedFile) -> list[Problem]:
    """The file's pathways whose services running do not reconcile with last quarter's: warnings only."""
    last = running_last_quarter(prison_return)
    found = []
    for figures in checked.lines:
        problem = reconciliation_problem(
            establishment=prison_return.commissioner.name,
            quarter=prison_return.round.label if prison_return.round is not None else "",
            pathway=figures.pathway,
            running=figures.services_running,
            started=figures.services_started,
            ended=figures.services_ended,
            last_running=None if last is None else last.get(figures.pathway.pk, 0),
        )
        if problem is not None:
            found.append(problem)
    return found


# Reading -------------------------------------------------------------------------------------------


def cell_text(value: Any) -> str:
    """A cell as the text a person would type: 3.0 reads "3", an empty cell "".

    A leading quote that the template's ``safe_cell`` put before a formula-like name is taken off.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, datetime.timedelta):
        return str(value)
    # Runs of whitespace as one space, none at either end (str.split's whitespace is re's \s).
    text = " ".join(str(value).split())
    if len(text) > 1 and text[0] == "'" and text[1] in FORMULA_STARTS:
        text = text[1:]
    return text


def read_xlsx(content: bytes, name: str) -> dict[str, Rows]:
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(content))
        try:
            return {
                sheet: [
                    [cell_text(v) for v in row]
                    for row in workbook.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
                ]
                for sheet in workbook.sheet_names
            }
        finally:
            workbook.close()
    except Exception:  # calamine's errors are many kinds; all mean the same to the sender
        raise UploadRefused(
            f"The file {name} could not be read as an Excel workbook (.xlsx). Save it again as .xlsx."
        ) from None


def read_csv(content: bytes) -> Rows:
    # check_upload has already refused what is not UTF-8 text.
    text = codecs.decode(content, "utf-8-sig")
    return [[cell_text(v) for v in row] for row in csv.reader(io.StringIO(text, newline=""))]


# Tier 1: is it this return's template? ------------------------------------------------------------

NOT_A_TEMPLATE = (
    "The file {name} is not a {kind} return template from this service: {why}. "
    "Download the template from the return's page, fill that in and upload it."
)
TAMPERED = (
    "The identity of the file {name} (which return it is for) has been changed, so it cannot be trusted. "
    "Download the template from the return's page again and copy your figures into it."
)


def identity_from(pairs: dict[str, str], name: str) -> layout.Identity:
    """The identity a file gives (its ``key,value`` pairs), refused if its checksum does not hold."""
    try:
        identity = layout.Identity(
            return_id=int(pairs["Return"]),
            establishment=pairs["Establishment"],
            round_label=pairs["Round"],
            revision=int(pairs["Revision"]),
            template_version=int(pairs["Template version"]),
            based_on_version=int(pairs["Based on version"]),
            download=pairs["Download"],
        )
    except (KeyError, ValueError):
        raise UploadRefused(TAMPERED.format(name=name)) from None
    if not constant_time_compare(identity.checksum(), pairs.get("Checksum", "")):
        raise UploadRefused(TAMPERED.format(name=name))
    return identity


def check_identity(
    identity: layout.Identity,
    *,
    name: str,
    the_return: PrisonReturn | ProbationReturn,
    uploader_establishment: str | None,
    check_staleness: bool,
) -> None:
    """Refuse a file made for another return, by another commissioner, from another template version,
    or (with ``check_staleness``) from a version of the return that has since changed."""
    this = layout.identity_of(the_return)
    if uploader_establishment is not None and identity.establishment != uploader_establishment:
        raise UploadRefused(
            f"The file {name} is the template of {identity.describe()}, which is not your establishment's "
            f"({uploader_establishment}). Upload only your own establishment's return."
        )
    if identity.return_id != this.return_id or identity.establishment != this.establishment:
        raise UploadRefused(
            f"The file {name} is the template of {identity.describe()}, not of this return "
            f"({this.describe()}). Upload it on that return's page, or download this return's template."
        )
    if identity.template_version != layout.TEMPLATE_VERSION:
        age = "an older" if identity.template_version < layout.TEMPLATE_VERSION else "a newer"
        raise UploadRefused(
            f"The file {name} is version {identity.template_version} of the template, {age} version than "
            f"this service takes (version {layout.TEMPLATE_VERSION}). Download the template from the return's "
            "page again and copy your figures into it."
        )
    if check_staleness and not _made_from_current(the_return, identity):
        last = history_of(the_return).first()
        when = timezone.localtime(last.at) if last else None
        since = f" (last on {when:%-d %B %Y at %H:%M} by {last.actor or 'the service'})" if last else ""
        raise UploadRefused(
            f"The return has been changed since the template {name} was downloaded{since}. Download the "
            "template again, so that those changes are not overwritten, and copy your figures into it."
        )


def _made_from_current(the_return: PrisonReturn | ProbationReturn, identity: layout.Identity) -> bool:
    """Made from the return as it stands, or (a prison return, whose uploads are kept) from the very
    download whose upload last changed it (so that a file can be corrected and uploaded again
    without downloading it again)."""
    if identity.based_on_version == the_return.version:
        return True
    if not isinstance(the_return, PrisonReturn):
        return False
    return the_return.uploads.filter(download=identity.download, result_version=the_return.version).exists()


def check_headings(rows: Rows, expected: tuple[str, ...], *, sheet: str, name: str, row: int = 1) -> None:
    for column, heading in enumerate(expected, start=1):
        found = get_cell(rows, row, column)
        if found.casefold() != heading.casefold():
            where = (
                f"Sheet “{sheet}”, cell {column_letter(column)}{row}"
                if sheet
                else f"Row {row}, column {column_letter(column)}"
            )
            raise UploadRefused(
                f"{where} of {name} holds “{found}” where the template has the heading “{heading}”. "
                "The sheets and headings of the template cannot be changed: download it again and copy your "
                "figures into it."
            )


# The CSV's sections --------------------------------------------------------------------------------


def _csv_sections(rows: Rows, *, after: int) -> dict[str, int]:
    """Where each optional section of a CSV file starts (its heading row, 1-based), by sheet name.

    A section is the table of the workbook sheet of the same name, headings included, below the
    lines: ``Organisation,Sector (of one not in the directory)``, ``Question,Answer`` and
    ``Area-wide contract``. Each runs to the next section or the end of the file.
    """
    starts: dict[str, int] = {}
    for row in range(after + 1, len(rows) + 1):
        first = get_cell(rows, row, 1)
        for sheet, headings in layout.CSV_SECTIONS.items():
            if sheet not in starts and first == headings[0] and get_cell(rows, row, 2) == (headings[1:] or ("",))[0]:
                starts[sheet] = row
    return starts


def _csv_section(checker: ContentChecker, rows: Rows, sections: dict[str, int], sheet: str, read: Any) -> Any:
    """Read one section with the workbook sheet's own check, its problems placed at the CSV's rows."""
    start = sections[sheet]
    ends = [row for row in sections.values() if row > start]
    part = rows[start - 1 : (min(ends) - 1 if ends else len(rows))]
    already = len(checker.problems)
    result = read(part)
    checker.problems[already:] = [
        dataclasses.replace(p, sheet="", row=p.row + start - 1) for p in checker.problems[already:]
    ]
    return result


# Both tiers -----------------------------------------------------------------------------------------


def check_file(
    uploaded_file: Any,
    *,
    prison_return: PrisonReturn,
    uploader_establishment: str | None,
    check_staleness: bool = True,
) -> CheckedFile:
    """Check an uploaded file against this return. Raise ``UploadRefused`` (tier 1) or
    ``ContentProblems`` (tier 2); return what it says when there is no problem.

    ``uploader_establishment`` is the code of the uploader's own establishment (None for someone
    who may fill any return: a superuser, or the ``import_return`` command).
    """
    checked = check_upload(uploaded_file, max_rows=MAX_RETURN_ROWS, formulas_allowed=False)
    uploaded_file.seek(0)
    content = uploaded_file.read()
    name = checked.display_name
    if checked.kind == "xlsx":
        sheets = read_xlsx(content, name)
        if layout.IDENTITY not in sheets:
            raise UploadRefused(NOT_A_TEMPLATE.format(name=name, kind="prison", why="it has no identity sheet"))
        pairs = {row[0]: row[1] for row in sheets[layout.IDENTITY] if len(row) >= 2 and row[0]}
        identity = identity_from(pairs, name)
    else:
        rows = read_csv(content)
        if not rows or get_cell(rows, 1, 1) != layout.CSV_IDENTITY_TITLE:
            raise UploadRefused(
                NOT_A_TEMPLATE.format(
                    name=name, kind="prison", why=f"its first cell is not “{layout.CSV_IDENTITY_TITLE}”"
                )
            )
        pairs = {r[0]: r[1] for r in rows[1 : len(layout.IDENTITY_KEYS) + 1] if len(r) >= 2}
        identity = identity_from(pairs, name)
    check_identity(
        identity,
        name=name,
        the_return=prison_return,
        uploader_establishment=uploader_establishment,
        check_staleness=check_staleness,
    )

    checker = ContentChecker(prison_return)
    post: tuple[str, Decimal | None] | None = None
    contracts: list[Contract] | None = None
    if checked.kind == "xlsx":
        expected_sheets = {
            layout.LINES: layout.LINES_HEADINGS,
            layout.DELIVERY: layout.DELIVERY_HEADINGS,
            layout.ORGANISATIONS: layout.ORGANISATIONS_HEADINGS,
            layout.ESTABLISHMENT: layout.ESTABLISHMENT_HEADINGS,
            layout.CONTRACTS: layout.CONTRACTS_HEADINGS,
        }
        for sheet, headings in expected_sheets.items():
            if sheet not in sheets:
                raise UploadRefused(
                    f"The workbook {name} has no sheet “{sheet}”. The sheets of the template cannot be renamed or "
                    "removed: download it again and copy your figures into it."
                )
            check_headings(sheets[sheet], headings, sheet=sheet, name=name)
        establishment = sheets[layout.ESTABLISHMENT]
        for row, question in ((2, layout.POST_QUESTION), (3, layout.FTE_QUESTION)):
            check_headings(establishment, (question,), sheet=layout.ESTABLISHMENT, name=name, row=row)
        figures, row_of = checker.lines(sheets[layout.LINES], sheet=layout.LINES, first_row=2)
        listed = checker.organisations(sheets[layout.ORGANISATIONS])
        delivered = checker.delivery(sheets[layout.DELIVERY], listed, row_of)
        post = checker.post(establishment)
        contracts = checker.contracts(sheets[layout.CONTRACTS])
    else:
        heading_row = len(layout.IDENTITY_KEYS) + 3
        check_headings(
            rows, (*layout.LINES_HEADINGS, layout.CSV_ORGANISATIONS_HEADING), sheet="", name=name, row=heading_row
        )
        sections = _csv_sections(rows, after=heading_row)
        end_of_lines = min(sections.values(), default=len(rows) + 1) - 1
        figures, row_of = checker.lines(rows[:end_of_lines], sheet="", first_row=heading_row + 1)
        new_organisations: dict[str, Any] = {}
        if layout.ORGANISATIONS in sections:
            new_organisations = _csv_section(checker, rows, sections, layout.ORGANISATIONS, checker.organisations)
        delivered = checker.csv_organisations(
            rows, column=len(layout.LINES_HEADINGS) + 1, row_of=row_of, listed=new_organisations
        )
        if layout.ESTABLISHMENT in sections:
            start = sections[layout.ESTABLISHMENT]
            for offset, question in ((1, layout.POST_QUESTION), (2, layout.FTE_QUESTION)):
                check_headings(rows, (question,), sheet="", name=name, row=start + offset)
            post = _csv_section(checker, rows, sections, layout.ESTABLISHMENT, checker.post)
        if layout.CONTRACTS in sections:
            contracts = _csv_section(checker, rows, sections, layout.CONTRACTS, checker.contracts)
    if checker.problems:
        order = {sheet: n for n, sheet in enumerate(SHEET_ORDER)}
        raise ContentProblems(
            sorted(checker.problems, key=lambda p: (order.get(p.sheet, 0), p.row, len(p.column), p.column))
        )
    return CheckedFile(
        upload=checked,
        content=content,
        sha256=hashlib.sha256(content).hexdigest(),
        identity=identity,
        lines=checker.figures(figures, delivered),
        post=post,
        contracts=contracts,
    )
