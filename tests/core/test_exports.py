"""Every cell the service writes passes through one function, at the writer, whoever built the row.

A CSV written through ``SafeCsvWriter``, a workbook saved by ``workbook_bytes`` and a streamed
workbook each neutralise text a spreadsheet would run, even when the caller passed it raw; numbers,
negative ones included, stay numbers.
"""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal

from openpyxl import Workbook, load_workbook

from stepchange.core.exports import SafeCsvWriter, workbook_bytes
from stepchange.core.streamed_workbook import workbook_chunks

RAW = ['=HYPERLINK("http://evil.example","x")', "+1+1", "-2", "@SUM(A1)", "\t=1", "\r=1"]
# As a workbook reads them back: XML turns a carriage return into a line feed.
QUOTED_IN_XLSX = ["'" + text.replace("\r", "\n") for text in RAW]


def test_a_csv_writer_quotes_formula_text_and_keeps_numbers_numbers() -> None:
    out = io.StringIO()
    SafeCsvWriter(out).writerow([*RAW, Decimal("-3.50"), -4, Decimal("1E+1"), datetime.date(2006, 4, 1), None])

    (row,) = csv.reader(io.StringIO(out.getvalue(), newline=""))
    assert row[:6] == ["'" + text for text in RAW]
    assert row[6:] == ["-3.50", "-4", "10", "2006-04-01", ""]


def test_a_saved_workbook_holds_no_formula_even_when_one_was_set() -> None:
    workbook = Workbook()
    for column, text in enumerate(RAW, start=1):
        workbook.active.cell(row=1, column=column, value=text)
    workbook.active.cell(row=2, column=1, value=-2)

    sheet = load_workbook(io.BytesIO(workbook_bytes(workbook))).active
    assert [cell.data_type for cell in sheet[1]] == ["s"] * len(RAW)
    assert [cell.value for cell in sheet[1]] == QUOTED_IN_XLSX
    assert sheet["A2"].value == -2


def test_a_streamed_workbook_quotes_formula_text_its_caller_left_raw() -> None:
    body = b"".join(workbook_chunks("Sheet", ["Name"], [[text] for text in RAW]))

    sheet = load_workbook(io.BytesIO(body)).active
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == QUOTED_IN_XLSX
