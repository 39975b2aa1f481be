"""XLSX workbooks written as they are sent: for downloads too long to hold in memory or to build
with openpyxl (``workbook_chunks``: one sheet of plain cells; ``sheets_chunks``: several sheets).

openpyxl's write-only mode keeps memory flat, but without lxml it serialises every cell through a
pure-Python XML writer, which made the national contract list's workbook 14 to 25 times slower
than writing the same rows as CSV. A sheet of plain cells needs little of that machinery: this
module writes the package's fixed parts once, then the sheet's rows as SpreadsheetML text,
deflated into the zip as they come and handed on a piece at a time (a zip written to a stream
puts each entry's sizes after its data, so nothing has to be known in advance).

Cells: text as inline strings (characters XML cannot carry are dropped), made safe from running
as a formula by ``core.exports.safe_cell`` here, whatever the caller did; numbers (Decimal, int,
float) as numbers, dates as dates; None and the empty string leave the cell empty. A column may
be styled ``money`` (pounds and pence) or ``date`` (yyyy-mm-dd); the heading row is bold.

``sheets_chunks`` writes what a template to fill in needs and openpyxl took most of a minute to
write for a national prison return (100,000 rows): several sheets, some hidden; a few named cell
styles (a title, a heading, bold, cells left unlocked for people to fill, an amount); sheet
protection without a password; column widths, a frozen heading row; drop-down lists (data
validations); the sheet it opens on. Cells are written as above.
"""

from __future__ import annotations

import datetime
import functools
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from stepchange.core.exports import safe_cell

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MONEY_FORMAT = '"£"#,##0.00'
DATE_FORMAT = "yyyy-mm-dd"
# The cell style (index into cellXfs below) of a heading, a money cell and a date cell.
_BOLD, _MONEY, _DATE = 1, 2, 3
_STYLE_OF = {"money": _MONEY, "date": _DATE}
# The styles a sheet of a many-sheet workbook (``sheets_chunks``) may give a cell, by name: a title
# (bold, larger), a heading (bold on grey), bold, and cells left unlocked on a protected sheet for
# people to fill (``amount``: unlocked, with a thousands separator and pence).
SHEET_STYLES = {"bold": 1, "money": 2, "date": 3, "title": 4, "heading": 5, "unlocked": 6, "amount": 7}
_EPOCH = datetime.date(1899, 12, 30)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE_RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"
_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

_CONTENT_TYPES = (
    _HEAD + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    "</Types>"
)
_ROOT_RELS = (
    _HEAD + f'<Relationships xmlns="{_PACKAGE_RELATIONSHIPS}">'
    f'<Relationship Id="rId1" Type="{_RELATIONSHIPS}/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
_WORKBOOK_RELS = (
    _HEAD + f'<Relationships xmlns="{_PACKAGE_RELATIONSHIPS}">'
    f'<Relationship Id="rId1" Type="{_RELATIONSHIPS}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{_RELATIONSHIPS}/styles" Target="styles.xml"/>'
    "</Relationships>"
)
_STYLES = (
    _HEAD + f'<styleSheet xmlns="{_MAIN}">'
    f'<numFmts count="2"><numFmt numFmtId="164" formatCode={quoteattr(MONEY_FORMAT)}/>'
    f'<numFmt numFmtId="165" formatCode={quoteattr(DATE_FORMAT)}/></numFmts>'
    '<fonts count="3"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="14"/><name val="Calibri"/></font></fonts>'
    '<fills count="3"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill>'
    '<fill><patternFill patternType="solid"><fgColor rgb="FFDDDDDD"/><bgColor indexed="64"/></patternFill></fill>'
    "</fills>"
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="8"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="0" fontId="2" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="0" fontId="1" fillId="2" borderId="0" xfId="0" applyFont="1" applyFill="1"/>'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyProtection="1">'
    '<protection locked="0"/></xf>'
    '<xf numFmtId="4" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" applyProtection="1">'
    '<protection locked="0"/></xf></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)


def _workbook(sheet_name: str) -> str:
    return (
        _HEAD + f'<workbook xmlns="{_MAIN}" xmlns:r="{_RELATIONSHIPS}"><sheets>'
        f'<sheet name={quoteattr(sheet_name)} sheetId="1" r:id="rId1"/></sheets></workbook>'
    )


def _column_letters(count: int) -> list[str]:
    letters = []
    for index in range(count):
        name, number = "", index + 1
        while number:
            number, remainder = divmod(number - 1, 26)
            name = chr(65 + remainder) + name
        letters.append(name)
    return letters


def _text_cell(ref: str, text: str, style: str) -> str:
    text = escape(safe_cell(_NOT_XML.sub("", text)))
    space = ' xml:space="preserve"' if text[:1].isspace() or text[-1:].isspace() else ""
    return f'<c r="{ref}"{style} t="inlineStr"><is><t{space}>{text}</t></is></c>'


def _row(number: int, values: Sequence[Any], letters: list[str], styles: list[str]) -> str:
    cells = []
    for letter, style, value in zip(letters, styles, values, strict=True):
        if value is None or value == "":
            continue
        ref = f"{letter}{number}"
        if isinstance(value, str):
            cells.append(_text_cell(ref, value, style))
        elif isinstance(value, Decimal):
            cells.append(f'<c r="{ref}"{style}><v>{value:f}</v></c>')
        elif isinstance(value, bool):
            cells.append(f'<c r="{ref}"{style} t="b"><v>{int(value)}</v></c>')
        elif isinstance(value, int | float):
            cells.append(f'<c r="{ref}"{style}><v>{value!r}</v></c>')
        elif isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
            cells.append(f'<c r="{ref}"{style}><v>{(value - _EPOCH).days}</v></c>')
        else:
            cells.append(_text_cell(ref, str(value), style))
    return f'<row r="{number}">{"".join(cells)}</row>'


class _Pipe:
    """What the zip writes, kept until the next piece is handed on."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []

    def write(self, data: bytes) -> int:
        self.parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        data = b"".join(self.parts)
        self.parts.clear()
        return data


def workbook_chunks(
    sheet_name: str,
    headings: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    column_styles: Sequence[str | None] = (),
    piece_size: int = 1 << 16,
) -> Iterator[bytes]:
    """The workbook's bytes, a piece each time about ``piece_size`` characters of the sheet have
    been written: one sheet, the headings in bold, then the rows; ``column_styles`` gives each
    column's ``money``, ``date`` or None."""
    letters = _column_letters(len(headings))
    styles = [f' s="{_STYLE_OF[s]}"' if s else "" for s in column_styles] or [""] * len(headings)
    styles += [""] * (len(headings) - len(styles))
    pipe = _Pipe()
    with zipfile.ZipFile(pipe, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as package:  # type: ignore[call-overload]
        package.writestr("[Content_Types].xml", _CONTENT_TYPES)
        package.writestr("_rels/.rels", _ROOT_RELS)
        package.writestr("xl/workbook.xml", _workbook(sheet_name))
        package.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        package.writestr("xl/styles.xml", _STYLES)
        with package.open("xl/worksheets/sheet1.xml", "w") as sheet:
            bold = f' s="{_BOLD}"'
            heading_row = "".join(
                _text_cell(f"{letter}1", h, bold) for letter, h in zip(letters, headings, strict=True)
            )
            sheet.write(f'{_HEAD}<worksheet xmlns="{_MAIN}"><sheetData><row r="1">{heading_row}</row>'.encode())
            lines: list[str] = []
            written = 0
            for number, values in enumerate(rows, start=2):
                line = _row(number, values, letters, styles)
                lines.append(line)
                written += len(line)
                if written >= piece_size:
                    sheet.write("".join(lines).encode())
                    lines.clear()
                    written = 0
                    yield pipe.take()
            sheet.write(("".join(lines) + "</sheetData></worksheet>").encode())
    yield pipe.take()


# A workbook of several sheets ------------------------------------------------------------------------


@dataclass(frozen=True)
class Styled:
    """A cell with a style of its own (a name in ``SHEET_STYLES``, or None for none), whatever its column's."""

    value: Any
    style: str | None


@dataclass(frozen=True)
class DropDown:
    """A list to choose from (a data validation) on ``cells`` (``A2:A300``), offering the cells
    ``source`` names (``=Lists!$A$2:$A$8``). ``strict``: anything else is refused; otherwise
    ``prompt`` is shown and other values are allowed."""

    cells: str
    source: str
    strict: bool = True
    prompt: str = ""
    error: str = "Choose a value from the list."
    error_title: str = "Not in the list"


@dataclass
class Sheet:
    """One sheet of ``sheets_chunks``: its rows from row 1, each a sequence of values (or ``Styled``).

    A cell takes its column's style (``column_styles``, names in ``SHEET_STYLES``) unless it is
    ``Styled``; an empty cell is written only when it has a style (an unlocked cell left to fill).
    ``widths`` are the columns' widths; ``frozen_heading`` keeps row 1 in view; ``protected`` locks
    the sheet without a password (every cell not styled unlocked); ``hidden`` hides the sheet.
    """

    name: str
    rows: Iterable[Sequence[Any]]
    column_styles: Sequence[str | None] = ()
    widths: Sequence[float] = ()
    frozen_heading: bool = False
    protected: bool = False
    hidden: bool = False
    dropdowns: Sequence[DropDown] = field(default_factory=list)


# As openpyxl writes a protected sheet without a password: the sheet locked, objects and scenarios
# not, and every other action (formatting, inserting and deleting rows and columns, sorting...) refused.
_PROTECTION = (
    '<sheetProtection sheet="1" objects="0" scenarios="0" formatCells="1" formatColumns="1" formatRows="1" '
    'insertColumns="1" insertRows="1" insertHyperlinks="1" deleteColumns="1" deleteRows="1" '
    'selectLockedCells="0" selectUnlockedCells="0" sort="1" autoFilter="1" pivotTables="1"/>'
)


def _cell(ref: str, value: Any, style: str) -> str:
    if isinstance(value, str):
        return _text_cell(ref, value, style)
    if isinstance(value, Decimal):
        return f'<c r="{ref}"{style}><v>{value:f}</v></c>'
    if isinstance(value, bool):
        return f'<c r="{ref}"{style} t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int | float):
        return f'<c r="{ref}"{style}><v>{value!r}</v></c>'
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return f'<c r="{ref}"{style}><v>{(value - _EPOCH).days}</v></c>'
    return _text_cell(ref, str(value), style)


# Text that needs more than to be put between tags: a character XML cannot carry or must escape, a
# start a spreadsheet would run as a formula, or space at either end.
_NOT_PLAIN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff&<>]|^[=+\\-@\t\r]|^\\s|\\s$")


@functools.lru_cache(maxsize=4096)
def _repeated_text_tail(text: str, style: str) -> str:
    return _text_cell("", text, style).removeprefix('<c r=""')


def _text_tail(text: str, style: str) -> str:
    """A text cell after its reference, as ``_text_cell`` writes it: most names are plain and are
    written as they are; the rest (a pathway's name with an ampersand, repeated on thousands of
    rows) through ``_text_cell`` and a cache."""
    if _NOT_PLAIN.search(text):
        return _repeated_text_tail(text, style)
    return f'{style} t="inlineStr"><is><t>{text}</t></is></c>'


def _sheet_row(number: int, values: Sequence[Any], letters: list[str], styles: list[str]) -> str:
    cells = []
    for letter, style, value in zip(letters, styles, values, strict=False):
        if isinstance(value, Styled):
            style = f' s="{SHEET_STYLES[value.style]}"' if value.style else ""
            value = value.value
        if value is None or value == "":
            if style:
                cells.append(f'<c r="{letter}{number}"{style}/>')
        elif isinstance(value, str):
            cells.append(f'<c r="{letter}{number}"{_text_tail(value, style)}')
        else:
            cells.append(_cell(f"{letter}{number}", value, style))
    return f'<row r="{number}">{"".join(cells)}</row>'


def _sheet_head(sheet: Sheet, selected: bool) -> str:
    tab = ' tabSelected="1"' if selected else ""
    if sheet.frozen_heading:
        view = (
            f'<sheetView{tab} workbookViewId="0">'
            '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
            '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView>'
        )
    else:
        view = f'<sheetView{tab} workbookViewId="0"/>'
    cols = "".join(
        f'<col min="{n}" max="{n}" width="{width:g}" customWidth="1"/>' for n, width in enumerate(sheet.widths, 1)
    )
    return (
        f'{_HEAD}<worksheet xmlns="{_MAIN}"><sheetViews>{view}</sheetViews>'
        f'<sheetFormatPr defaultRowHeight="15"/>{f"<cols>{cols}</cols>" if cols else ""}<sheetData>'
    )


def _sheet_tail(sheet: Sheet) -> str:
    tail = "</sheetData>"
    if sheet.protected:
        tail += _PROTECTION
    if sheet.dropdowns:
        tail += f'<dataValidations count="{len(sheet.dropdowns)}">'
        for dropdown in sheet.dropdowns:
            prompt = f" prompt={quoteattr(dropdown.prompt)}" if dropdown.prompt else ""
            tail += (
                f'<dataValidation type="list" allowBlank="1" showInputMessage="{int(bool(dropdown.prompt))}" '
                f'showErrorMessage="{int(dropdown.strict)}" errorTitle={quoteattr(dropdown.error_title)} '
                f"error={quoteattr(dropdown.error)}{prompt} sqref={quoteattr(dropdown.cells)}>"
                f"<formula1>{escape(dropdown.source)}</formula1></dataValidation>"
            )
        tail += "</dataValidations>"
    return tail + '<pageMargins left="0.75" right="0.75" top="1" bottom="1" header="0.5" footer="0.5"/></worksheet>'


_HIDDEN = ' state="hidden"'


def sheets_chunks(sheets: Sequence[Sheet], *, active: int = 0, piece_size: int = 1 << 16) -> Iterator[bytes]:
    """A workbook of several sheets, in order, written as it is sent (as ``workbook_chunks``): the
    sheet at index ``active`` is the one it opens on. Cells are written as in ``workbook_chunks``
    (text made safe from running as a formula); a drop-down's source is a reference, not a cell."""
    content_types = _CONTENT_TYPES.replace(
        '<Override PartName="/xl/worksheets/sheet1.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>',
        "".join(
            f'<Override PartName="/xl/worksheets/sheet{n}.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            for n in range(1, len(sheets) + 1)
        ),
    )
    workbook = (
        _HEAD + f'<workbook xmlns="{_MAIN}" xmlns:r="{_RELATIONSHIPS}">'
        f'<bookViews><workbookView activeTab="{active}"/></bookViews><sheets>'
        + "".join(
            f'<sheet name={quoteattr(sheet.name)} sheetId="{n}"{_HIDDEN if sheet.hidden else ""} r:id="rId{n}"/>'
            for n, sheet in enumerate(sheets, 1)
        )
        + "</sheets></workbook>"
    )
    relationships = (
        _HEAD
        + f'<Relationships xmlns="{_PACKAGE_RELATIONSHIPS}">'
        + "".join(
            f'<Relationship Id="rId{n}" Type="{_RELATIONSHIPS}/worksheet" Target="worksheets/sheet{n}.xml"/>'
            for n in range(1, len(sheets) + 1)
        )
        + f'<Relationship Id="rId{len(sheets) + 1}" Type="{_RELATIONSHIPS}/styles" Target="styles.xml"/>'
        + "</Relationships>"
    )
    pipe = _Pipe()
    with zipfile.ZipFile(pipe, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as package:  # type: ignore[call-overload]
        package.writestr("[Content_Types].xml", content_types)
        package.writestr("_rels/.rels", _ROOT_RELS)
        package.writestr("xl/workbook.xml", workbook)
        package.writestr("xl/_rels/workbook.xml.rels", relationships)
        package.writestr("xl/styles.xml", _STYLES)
        for n, sheet in enumerate(sheets, 1):
            with package.open(f"xl/worksheets/sheet{n}.xml", "w") as part:
                part.write(_sheet_head(sheet, n - 1 == active).encode())
                letters: list[str] = []
                styles: list[str] = []
                lines: list[str] = []
                written = 0
                for number, values in enumerate(sheet.rows, start=1):
                    if len(values) > len(letters):
                        letters = _column_letters(len(values))
                        styles = [f' s="{SHEET_STYLES[s]}"' if s else "" for s in sheet.column_styles]
                        styles += [""] * (len(letters) - len(styles))
                    line = _sheet_row(number, values, letters, styles)
                    lines.append(line)
                    written += len(line)
                    if written >= piece_size:
                        part.write("".join(lines).encode())
                        lines.clear()
                        written = 0
                        yield pipe.take()
                part.write(("".join(lines) + _sheet_tail(sheet)).encode())
            yield pipe.take()
    yield pipe.take()
