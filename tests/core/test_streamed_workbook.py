"""A workbook written as it is sent reads back, with openpyxl, as the cells it was given."""

from __future__ import annotations

import datetime
import io
import zipfile
from decimal import Decimal

from openpyxl import load_workbook

from stepchange.core.streamed_workbook import workbook_chunks


def test_cells_read_back_as_text_numbers_and_dates() -> None:
    rows = [
        ["Fish & <chips>", Decimal("1234.50"), datetime.date(2006, 4, 1), 3, True],
        ["  spaced  ", Decimal("0.00"), None, 2.5, False],
        ["bell\x07 rung", None, datetime.date(2010, 3, 31), "", None],
    ]
    pieces = list(
        workbook_chunks(
            "Sheet & co",
            ["Name", "Value", "Day", "Count", "Yes"],
            rows,
            column_styles=["", "money", "date"],
            piece_size=1,
        )
    )

    assert len(pieces) == 4  # a piece per row, then the end of the zip
    body = b"".join(pieces)
    assert zipfile.ZipFile(io.BytesIO(body)).testzip() is None
    workbook = load_workbook(io.BytesIO(body))
    assert workbook.sheetnames == ["Sheet & co"]
    sheet = workbook["Sheet & co"]
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values == [
        ["Name", "Value", "Day", "Count", "Yes"],
        ["Fish & <chips>", 1234.5, datetime.datetime(2006, 4, 1), 3, True],
        ["  spaced  ", 0, None, 2.5, False],
        # A character XML cannot carry is dropped; an empty string is an empty cell.
        ["bell rung", None, datetime.datetime(2010, 3, 31), None, None],
    ]
    assert sheet["A1"].font.b
    assert sheet["B2"].number_format == '"£"#,##0.00'
    assert sheet["C2"].number_format == "yyyy-mm-dd"
    assert sheet["D2"].number_format == "General"
