"""The template of each kind of import: an Excel workbook (its sheet of rows with dropdowns for the
codes, a Notes sheet explaining every column, a Lists sheet the dropdowns read) and the same
columns as a CSV file. Both are made from ``imports.columns``, which the checking reads too."""

from __future__ import annotations

import csv
import io

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from stepchange.core.models import Region
from stepchange.imports.checking import sheet_name
from stepchange.imports.columns import COLUMNS, headings

LISTS = "Lists"
NOTES = "Notes"
# Dropdowns apply to this many rows below the headings.
VALIDATED_ROWS = 10_000


def build_workbook(kind: str, region: Region) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = sheet_name(kind)
    lists = workbook.create_sheet(LISTS)
    notes = workbook.create_sheet(NOTES)
    bold = Font(bold=True)
    notes.append(["Column", "Required", "What it holds", "Codes it takes"])
    for cell in notes[1]:
        cell.font = bold
    list_column = 0
    for index, column in enumerate(COLUMNS[kind], start=1):
        sheet.cell(row=1, column=index, value=column.heading).font = bold
        sheet.column_dimensions[get_column_letter(index)].width = max(14, len(column.heading) + 4)
        codes = column.choices(region) if column.choices is not None else []
        notes.append(
            [
                column.heading,
                "yes" if column.required else "no",
                column.notes + (" Separate several with semicolons." if column.many else ""),
                ", ".join(codes),
            ]
        )
        if not codes:
            continue
        list_column += 1
        letter = get_column_letter(list_column)
        lists.cell(row=1, column=list_column, value=column.heading).font = bold
        for row, code in enumerate(codes, start=2):
            lists.cell(row=row, column=list_column, value=code)
        validation = DataValidation(
            type="list",
            formula1=f"{quote_sheetname(LISTS)}!${letter}$2:${letter}${len(codes) + 1}",
            allow_blank=not column.required,
            # A cell of several codes (pathways) offers the list but takes what is typed: "ete; health".
            showErrorMessage=not column.many,
            errorTitle=f"Not a {column.heading.lower()} code",
            error=f"Choose one of the codes of the list: {', '.join(codes)[:200]}",
            showInputMessage=column.many,
            promptTitle=column.heading[:32],
            prompt="Choose one, or type several codes separated by semicolons",
        )
        target = get_column_letter(index)
        validation.add(f"{target}2:{target}{VALIDATED_ROWS + 1}")
        sheet.add_data_validation(validation)
    notes.column_dimensions["A"].width = 22
    notes.column_dimensions["C"].width = 90
    notes.column_dimensions["D"].width = 50
    lists.sheet_state = "hidden"
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def build_csv(kind: str) -> bytes:
    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerow(headings(kind))
    return buffer.getvalue().encode("utf-8")
