"""What every download (CSV, XLSX) does to a cell before writing it.

A spreadsheet treats a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a formula, and some
also act on a leading tab or carriage return; text people typed (an organisation's name, a pathway,
a funder) must never run as one. So every cell the service writes passes through ``safe_cell``, at
the point where it is written, whoever built the row:

* a CSV through ``SafeCsvWriter`` (which also writes numbers as their exact digits, so a negative
  number stays a number rather than text);
* a workbook built with openpyxl through ``workbook_bytes``, which neutralises every cell before
  saving (openpyxl otherwise stores text starting with ``=`` as a formula);
* a streamed workbook (``core.streamed_workbook``) and a report's write-only workbook cell by cell.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable
from decimal import Decimal
from typing import IO, Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """Text that a spreadsheet would read as a formula gets a leading single quote; numbers,
    dates and everything that is not text pass unchanged. Safe to apply twice."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_field(value: Any) -> Any:
    """A value as one CSV field: text made safe, a Decimal as its exact digits (never ``1E+1``),
    a date as ISO, None as empty, other numbers as Python writes them; anything else as its text."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, int | float):
        return value
    if isinstance(value, datetime.date):
        return value.isoformat()
    return safe_cell(str(value))


class SafeCsvWriter:
    """``csv.writer`` whose every field passes through ``csv_field``: the only way the service
    writes CSV, so no exporter can forget to make a cell safe."""

    def __init__(self, out: IO[str], **options: Any) -> None:
        self._writer = csv.writer(out, **options)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow([csv_field(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def workbook_bytes(workbook: Any) -> bytes:
    """An openpyxl workbook (not write-only) saved as the bytes of an .xlsx file, every cell first
    made safe: text that openpyxl took for a formula is stored as the quoted text instead.

    The service writes no formulas of its own; a drop-down's list is a data validation, not a cell."""
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS):
                    cell.value = safe_cell(cell.value)
                    cell.data_type = "s"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
