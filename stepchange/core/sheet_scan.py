"""Counting a worksheet's rows straight from its XML, when the sheet is of the plain kind that Excel
and openpyxl write, with exactly the result openpyxl's read-only reading would give.

``core.uploads`` streams every cell of an uploaded workbook through openpyxl to count its rows and
find formulas; openpyxl builds an object per cell, which at a national return's 100,000 rows is
most of the time an upload takes. Most sheets need none of that: their rows are numbered in order
and their cells are numbers, shared strings and inline strings without formulas. For such a sheet
``plain_sheet_rows`` gives the count openpyxl would (the last row's number: read-only openpyxl
fills the gaps between numbered rows) after proving, on the bytes themselves, that openpyxl could
neither refuse the sheet nor find a formula in it:

1. the whole part is well-formed XML with its namespaces bound, and has no document type
   declaration (which openpyxl, through defusedxml, refuses);
2. everything between ``<sheetData>`` and ``</sheetData>`` is matched by a strict pattern of rows
   and cells: numbered rows in increasing order, none past the sheet's stated dimension; each
   cell a number, a shared string whose index exists, a boolean, an error or formula-result text,
   or an inline string, with nothing else in it (no ``<f>``: a formula is never plain);
3. that ``<sheetData>`` is the worksheet's, in the spreadsheet namespace; and the rest of the part
   (the sheet's properties, protection, validation) is read by openpyxl's own parser, which
   raises on it exactly as before and must find no other rows.

Anything else (a formula, a row without its number, an attribute in another order, a cell of a
kind not listed, a sheet over ``PLAIN_SHEET_BYTES``) returns None, and the caller reads the sheet
through openpyxl as it always did. So a sheet is either proved plain or read the old way; the
tests in ``tests/core/test_sheet_scan.py`` compare the two on plain and hostile sheets alike.
"""

from __future__ import annotations

import io
import re
from typing import Any
from xml.parsers import expat

# Larger sheets are streamed by openpyxl instead of being read whole into memory here.
PLAIN_SHEET_BYTES = 64 * 1024 * 1024
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"

_NUMBER = rb"-?[0-9]+(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?"
_CELL_START = rb'<c(?: r="[A-Z]{1,3}[1-9][0-9]*")?(?: s="[0-9]+")?'
_EMPTY = rb"\s?/>|></c>"
_CELL = (
    rb"(?:"
    + _CELL_START
    + rb'(?: t="n")?(?:'
    + _EMPTY
    + rb"|><v>(?:"
    + _NUMBER
    + rb")?</v></c>)"
    + rb"|"
    + _CELL_START
    + rb' t="[sb]"(?:'
    + _EMPTY
    + rb"|><v>[0-9]+</v></c>)"
    + rb"|"
    + _CELL_START
    + rb' t="(?:e|str)"(?:'
    + _EMPTY
    + rb"|><v>[^<]*</v></c>)"
    + rb"|"
    + _CELL_START
    + rb' t="inlineStr"(?:'
    + _EMPTY
    + rb'|><is><t(?: xml:space="preserve")?>[^<]*</t></is></c>)'
    + rb")"
)
# A row's own attributes after its number (spans, height, Excel's x14ac:dyDescent), never a namespace.
_ROW_ATTRIBUTE = rb' (?!xmlns)(?!r=)[A-Za-z_][\w.\-]*(?::[A-Za-z_][\w.\-]*)?="[^"<]*"'
PLAIN_ROW = re.compile(rb'<row r="([0-9]+)"(?:' + _ROW_ATTRIBUTE + rb")*(?:\s?/>|>(?:" + _CELL + rb")*</row>)")
SHARED_STRING_INDEX = re.compile(rb' t="s"><v>([0-9]+)</v>')
SHEET_DATA_START = b"<sheetData>"
SHEET_DATA_END = b"</sheetData>"


class _NotPlain(Exception):
    pass


def _refuse_doctype(*_args: Any) -> None:
    raise _NotPlain


def _well_formed(data: bytes) -> bool:
    """Well-formed, namespaces bound, no DOCTYPE: checked by expat in C, no handler per element."""
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartDoctypeDeclHandler = _refuse_doctype
    try:
        parser.Parse(data, True)
    except (expat.ExpatError, _NotPlain, ValueError):
        return False
    return True


def _sheet_data_is_the_worksheets(stripped: bytes, at: int) -> bool:
    """The element at byte ``at`` of the part without its rows is the worksheet's sheetData."""
    found: list[tuple[str, int]] = []
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartDoctypeDeclHandler = _refuse_doctype

    def start(tag: str, _attributes: Any) -> None:
        found.append((tag, parser.CurrentByteIndex))

    parser.StartElementHandler = start
    try:
        parser.Parse(stripped, True)
    except (expat.ExpatError, _NotPlain, ValueError):
        return False
    return (
        len(found) >= 2
        and found[0][0] == f"{MAIN_NS} worksheet"
        and (f"{MAIN_NS} sheetData", at) in found
        and sum(1 for tag, _ in found if tag == f"{MAIN_NS} sheetData") == 1
    )


def plain_sheet_rows(sheet: Any) -> int | None:
    """The rows openpyxl's ``iter_rows()`` would give for this read-only sheet, or None when the
    sheet is not proved plain (the caller then reads it through openpyxl).

    Any error openpyxl raises on the sheet's properties is raised here too (step 3).
    """
    from openpyxl.worksheet._reader import WorkSheetParser

    path = getattr(sheet, "_worksheet_path", None)
    archive = getattr(getattr(sheet, "parent", None), "_archive", None)
    shared_strings = getattr(sheet, "_shared_strings", None)
    if not path or archive is None or shared_strings is None:
        return None
    try:
        info = archive.getinfo(path)
    except KeyError:
        return None
    if info.file_size > PLAIN_SHEET_BYTES:
        return None
    data = archive.read(path)
    if not _well_formed(data):
        return None
    start = data.find(SHEET_DATA_START)
    if start < 0:
        return None
    body = start + len(SHEET_DATA_START)
    end = data.find(SHEET_DATA_END, body)
    if end < 0:
        return None

    last = 0
    limit = sheet.max_row
    if limit is not None and limit < 1:
        return None
    position = body
    match = PLAIN_ROW.match
    while position < end:
        row = match(data, position, end)
        if row is None:
            return None
        number = int(row[1])
        if number <= last or (limit is not None and number > limit):
            return None
        last = number
        position = row.end()
    indexes = SHARED_STRING_INDEX.findall(data, body, end)
    if indexes and max(map(int, indexes)) >= len(shared_strings):
        return None

    stripped = data[:start] + b"<sheetData/>" + data[end + len(SHEET_DATA_END) :]
    if not _sheet_data_is_the_worksheets(stripped, start):
        return None
    # openpyxl reads the rest of the part as it would have (and raises as it would have).
    for _row in WorkSheetParser(io.BytesIO(stripped), []).parse():
        return None
    return last
