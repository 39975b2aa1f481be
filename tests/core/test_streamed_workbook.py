"""A workbook written as it is sent reads back, with openpyxl, as the cells it was given."""

from __future__ import annotations

import datetime
import io
import zipfile
from decimal import Decimal

from openpyxl import load_workbook

from stepchange.core.streamed_workbook import workbook_chunks


def test_cells_read_back_as_text_numbers_and_dates() -> None:
    rows: list[list[object]] = [
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


def test_a_workbook_of_several_sheets_keeps_styles_protection_hidden_sheets_and_drop_downs() -> None:
    from stepchange.core.streamed_workbook import DropDown, Sheet, Styled, sheets_chunks

    sheets = [
        Sheet("About", [[Styled("A title", "title")], [], [Styled("Bold", "bold")]], widths=(80,), protected=True),
        Sheet(
            "Rows",
            [
                [Styled("Name", "heading"), Styled("Amount", "heading")],
                ["=1+1", 12.5],
                ["Fish & <chips>", None],
                [Styled("Total", "bold"), Styled(None, None)],
            ],
            column_styles=("unlocked", "amount"),
            widths=(30, 12),
            frozen_heading=True,
            protected=True,
            dropdowns=[
                DropDown("A2:A3", "=Lists!$A$2:$A$3"),
                DropDown("B2:B3", "=Lists!$B$2:$B$2", strict=False, prompt="Type a number."),
            ],
        ),
        Sheet("Lists", [["Names"], ["One"], ["Two"]], hidden=True),
    ]
    body = b"".join(sheets_chunks(sheets, active=1, piece_size=1))

    assert zipfile.ZipFile(io.BytesIO(body)).testzip() is None
    workbook = load_workbook(io.BytesIO(body))
    assert workbook.sheetnames == ["About", "Rows", "Lists"]
    assert workbook.active.title == "Rows"
    assert [s.sheet_state for s in workbook.worksheets] == ["visible", "visible", "hidden"]
    about, rows = workbook["About"], workbook["Rows"]
    assert about["A1"].font.b and about["A1"].font.sz == 14
    assert about["A3"].font.b and about.column_dimensions["A"].width == 80
    assert about.protection.sheet and not about.protection.password
    # A heading bold on grey and locked; the cells below unlocked, the amounts with pence.
    assert rows["A1"].font.b and rows["A1"].fill.fgColor.rgb.endswith("DDDDDD") and rows["A1"].protection.locked
    assert [[c.value for c in row] for row in rows.iter_rows()] == [
        ["Name", "Amount"],
        ["'=1+1", 12.5],  # text that would run as a formula is made safe
        ["Fish & <chips>", None],
        ["Total", None],
    ]
    assert not rows["A2"].protection.locked and not rows["B3"].protection.locked
    assert rows["B2"].number_format == "#,##0.00"
    # The total's name is bold and locked; its empty cell in a styled column is left as it is.
    assert rows["A4"].font.b and rows["A4"].protection.locked and rows["B4"].protection.locked
    assert rows.freeze_panes == "A2"
    validations = rows.data_validations.dataValidation
    assert [(str(v.sqref), v.formula1, v.showErrorMessage, v.prompt) for v in validations] == [
        ("A2:A3", "=Lists!$A$2:$A$3", True, None),
        ("B2:B3", "=Lists!$B$2:$B$2", False, "Type a number."),
    ]
