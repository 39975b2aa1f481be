"""A plain sheet's rows are counted from its XML with the very result openpyxl gives, and every
other sheet is still read through openpyxl (core/sheet_scan.py).

Each workbook here is checked twice by ``check_upload``'s scan: as it runs, and with the plain
count turned off (openpyxl cell by cell, as before). The two must agree on the count or on the
refusal, word for word; for the plain sheets the fast count must be the one used, and for the
others it must step aside.
"""

from __future__ import annotations

import io
import re
import zipfile
from unittest import mock

import pytest
from openpyxl import Workbook, load_workbook

from stepchange.core import uploads
from stepchange.core.sheet_scan import plain_sheet_rows
from stepchange.core.uploads import UploadRefused

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
HEAD = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{MAIN}" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:x14ac="http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac" mc:Ignorable="x14ac">'
)
VIEWS = (
    '<sheetViews><sheetView tabSelected="1" workbookViewId="0"/></sheetViews>'
    '<sheetFormatPr defaultRowHeight="15" x14ac:dyDescent="0.25"/>'
)
TAIL = '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>'
SHARED = ["Pathway", "Accommodation", "Acorn Housing Trust", "Health"]


def workbook_with_sheet(sheet_xml: str, shared: list[str] | None = None) -> bytes:
    """An openpyxl workbook whose one sheet's XML is replaced by ``sheet_xml`` (and, as Excel
    writes them, with a shared strings part)."""
    workbook = Workbook()
    assert workbook.active is not None
    workbook.active.title = "Data"
    plain = io.BytesIO()
    workbook.save(plain)
    out = io.BytesIO()
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = sheet_xml.encode()
            elif shared is not None and item.filename == "[Content_Types].xml":
                data = data.replace(
                    b"</Types>",
                    b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                    b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
                )
            elif shared is not None and item.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(
                    b"</Relationships>",
                    b'<Relationship Id="rIdShared" Type="http://schemas.openxmlformats.org/officeDocument/'
                    b'2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
                )
            target.writestr(item, data)
        if shared is not None:
            strings = "".join(f"<si><t>{text}</t></si>" for text in shared)
            target.writestr(
                "xl/sharedStrings.xml",
                f'<?xml version="1.0"?><sst xmlns="{MAIN}" count="{len(shared)}" uniqueCount="{len(shared)}">'
                f"{strings}</sst>",
            )
    return out.getvalue()


def sheet(rows: str, *, dimension: str | None = "A1:C9", head: str = HEAD, tail: str = TAIL) -> str:
    stated = f'<dimension ref="{dimension}"/>' if dimension else ""
    return f"{head}{stated}{VIEWS}<sheetData>{rows}</sheetData>{tail}"


def scanned(data: bytes, *, fast: bool, max_rows: int = 1_000, formulas_allowed: bool = False) -> int | str:
    """The scan's count, or its refusal's words."""

    def scan() -> int:
        return uploads._scan_workbook(
            io.BytesIO(data), name="r.xlsx", max_rows=max_rows, formulas_allowed=formulas_allowed
        )

    try:
        if fast:
            return scan()
        with mock.patch.object(uploads, "plain_sheet_rows", return_value=None):
            return scan()
    except UploadRefused as refused:
        return str(refused)


def fast_counts(data: bytes) -> list[int | None]:
    workbook = load_workbook(io.BytesIO(data), read_only=True)
    try:
        return [plain_sheet_rows(worksheet) for worksheet in workbook.worksheets]
    finally:
        workbook.close()


EXCEL_ROWS = (
    '<row r="1" spans="1:3" x14ac:dyDescent="0.25"><c r="A1" t="s"><v>0</v></c><c r="B1" s="1" t="s"><v>2</v></c>'
    '<c r="C1" t="b"><v>1</v></c></row>'
    '<row r="2" spans="1:3" x14ac:dyDescent="0.25"><c r="A2" t="s"><v>1</v></c><c r="B2"><v>3</v></c>'
    '<c r="C2" s="2"><v>1.5E-3</v></c></row>'
    '<row r="3" spans="1:3" ht="20" customHeight="1"><c r="A3" t="s"><v>3</v></c><c r="B3" t="e"><v>#N/A</v></c>'
    '<c r="C3" t="str"><v>text</v></c></row>'
    '<row r="7"><c r="A7" t="inlineStr"><is><t xml:space="preserve"> Health &amp; care</t></is></c>'
    '<c r="B7" s="1" t="n" /><c r="C7"><v>-12.25</v></c></row>'
)


PLAIN = {
    "as Excel writes it, with shared strings and a gap before row 7": (sheet(EXCEL_ROWS), 7),
    "without its dimension": (sheet(EXCEL_ROWS, dimension=None), 7),
    "with no rows": (sheet(""), 0),
    "with empty rows": (sheet('<row r="1"/><row r="4" spans="1:1" />'), 4),
}


@pytest.mark.parametrize("sheet_xml, rows", PLAIN.values(), ids=PLAIN.keys())
def test_a_plain_sheet_is_counted_from_its_xml_as_openpyxl_counts_it(sheet_xml, rows):
    data = workbook_with_sheet(sheet_xml, SHARED)

    assert fast_counts(data) == [rows]
    assert scanned(data, fast=True) == scanned(data, fast=False) == rows


def test_a_workbook_made_by_openpyxl_is_plain_on_every_sheet():
    workbook = Workbook()
    lines = workbook.active
    assert lines is not None
    lines.title = "Lines"
    lines.append(["Pathway", "Services running", "Spend (£)"])
    lines.append(["Accommodation", 3, 1500.5])
    lines.append(["Health", None, 0])
    lines.cell(row=9, column=2, value="after a gap")
    lines.freeze_panes = "A2"
    lines.protection.sheet = True
    other = workbook.create_sheet("Delivery")
    for n in range(500):
        other.append(["Health", f"Community project {n:05d}", n, n / 7])
    out = io.BytesIO()
    workbook.save(out)

    assert fast_counts(out.getvalue()) == [9, 500]
    assert scanned(out.getvalue(), fast=True) == scanned(out.getvalue(), fast=False) == 509


NOT_PLAIN = {
    "a formula": sheet('<row r="1"><c r="A1"><v>1</v></c></row><row r="2"><c r="B2"><f>1+2</f><v>3</v></c></row>'),
    "a row past its dimension": sheet('<row r="1"><c r="A1"><v>1</v></c></row><row r="12"/>', dimension="A1:A2"),
    "rows without their numbers": sheet('<row><c r="A1"><v>1</v></c></row><row><c><v>2</v></c></row>'),
    "rows out of order": sheet('<row r="3"><c r="A3"><v>1</v></c></row><row r="2"><c r="A2"><v>1</v></c></row>'),
    "a shared string that is not there": sheet('<row r="1"><c r="A1" t="s"><v>4</v></c></row>'),
    "a number that is not one": sheet('<row r="1"><c r="A1"><v>ten</v></c></row>'),
    "a cell with its attributes in another order": sheet('<row r="1"><c t="n" r="A1"><v>1</v></c></row>'),
    "a damaged page margin after plain rows": sheet(
        '<row r="1"><c r="A1"><v>1</v></c></row>', tail='<pageMargins left="wide"/></worksheet>'
    ),
    "a commented-out sheetData before the real one": sheet(
        '<row r="1"><c r="A1"><v>1</v></c></row><row r="2"/>',
        head=HEAD + "<!-- <sheetData></sheetData> -->",
    ),
    "rows in another namespace": sheet(
        '<row r="1"><c r="A1"><v>1</v></c></row>',
        head='<worksheet xmlns="urn:x" xmlns:x14ac="http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac">',
    ),
    "a document type declaration": sheet(
        '<row r="1"><c r="A1"><v>1</v></c></row>',
        head='<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY a "x">]>' + HEAD.split("\n", 1)[1],
    ),
    "not well-formed": sheet('<row r="1"><c r="A1"><v>1</v></c></row><row r="2">'),
}


@pytest.mark.parametrize("sheet_xml", NOT_PLAIN.values(), ids=NOT_PLAIN.keys())
@pytest.mark.parametrize("formulas_allowed", [False, True], ids=["formulas refused", "formulas taken"])
def test_any_other_sheet_is_read_through_openpyxl_with_the_same_result(sheet_xml, formulas_allowed):
    data = workbook_with_sheet(sheet_xml, SHARED)

    fast = scanned(data, fast=True, formulas_allowed=formulas_allowed)

    assert fast == scanned(data, fast=False, formulas_allowed=formulas_allowed)


UNREADABLE = "The file r.xlsx could not be read as an Excel workbook (.xlsx). Save it again as .xlsx."
# What openpyxl makes of each (formulas refused): the results the fast count must not change.
OPENPYXL_SAYS = {
    "a formula": "Sheet “Data”, cell B2 holds a formula. Enter the value itself (copy the cells and paste them "
    "as values), then upload again.",
    "a row past its dimension": 2,  # it stops at the dimension's last row
    "rows without their numbers": 2,
    "rows out of order": 3,
    "a shared string that is not there": UNREADABLE,
    "a number that is not one": UNREADABLE,
    "a cell with its attributes in another order": 1,
    "a damaged page margin after plain rows": UNREADABLE,
    "a commented-out sheetData before the real one": 2,
    "rows in another namespace": 0,
    "a document type declaration": UNREADABLE,
    "not well-formed": UNREADABLE,
}


@pytest.mark.parametrize("name", NOT_PLAIN.keys())
def test_none_of_the_other_sheets_is_counted_from_its_xml(name):
    data = workbook_with_sheet(NOT_PLAIN[name], SHARED)

    assert scanned(data, fast=False) == OPENPYXL_SAYS[name]
    if name == "a damaged page margin after plain rows":
        # The plain count reads the rest of the sheet through openpyxl, which raises as it did.
        with pytest.raises(TypeError):
            fast_counts(data)
    elif name != "a document type declaration":  # that one openpyxl refuses before any sheet is read
        assert fast_counts(data) == [None]


def test_a_sheet_past_the_row_limit_is_refused_at_the_same_words():
    data = workbook_with_sheet(sheet(EXCEL_ROWS), SHARED)

    assert scanned(data, fast=True, max_rows=6) == scanned(data, fast=False, max_rows=6)
    assert scanned(data, fast=True, max_rows=6) == (
        "The workbook r.xlsx has more than 6 rows. Split it, or remove empty rows."
    )


def test_the_row_pattern_takes_no_formula_whatever_its_spelling():
    from stepchange.core.sheet_scan import PLAIN_ROW

    for cell in ('<c r="A1"><f>1</f></c>', '<c r="A1" t="s"><f>1</f><v>0</v></c>', '<c r="A1"><v>1</v><f/></c>'):
        assert PLAIN_ROW.fullmatch(f'<row r="1">{cell}</row>'.encode()) is None
    assert re.search(rb"<f", PLAIN_ROW.pattern) is None
