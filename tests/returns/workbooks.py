"""Filling a downloaded template the way a person would in Excel, with openpyxl, for the upload stories."""

from __future__ import annotations

import io
from typing import Any

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from stepchange.returns.models import PrisonReturn

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def template_bytes(client: Client, prison_return: PrisonReturn, kind: str = "xlsx") -> bytes:
    name = "template.xlsx" if kind == "xlsx" else "lines.csv"
    response = client.get(f"/returns/prison/{prison_return.pk}/{name}")
    assert response.status_code == 200, response.status_code
    return response.content


def download_template(client: Client, prison_return: PrisonReturn) -> Any:
    return openpyxl.load_workbook(io.BytesIO(template_bytes(client, prison_return)))


def row_of(workbook: Any, pathway: str) -> int:
    sheet = workbook["Lines"]
    for row in range(2, sheet.max_row + 1):
        if sheet.cell(row=row, column=1).value == pathway:
            return row
    raise AssertionError(f"no row for {pathway} on the Lines sheet")


def set_figures(workbook: Any, pathway: str, running: Any, started: Any, ended: Any, spend: Any = None) -> int:
    row = row_of(workbook, pathway)
    sheet = workbook["Lines"]
    for column, value in enumerate((running, started, ended, spend), start=2):
        sheet.cell(row=row, column=column, value=value)
    return row


def fill_every_pathway(workbook: Any, running: int = 0) -> None:
    sheet = workbook["Lines"]
    for row in range(2, sheet.max_row + 1):
        name = sheet.cell(row=row, column=1).value
        if name and name != "Total":
            for column in (2, 3, 4):
                if sheet.cell(row=row, column=column).value is None:
                    sheet.cell(row=row, column=column, value=running if column == 2 else 0)


def add_rows(workbook: Any, sheet_name: str, *rows: tuple[Any, ...]) -> None:
    sheet = workbook[sheet_name]
    row = 2
    while any(sheet.cell(row=row, column=c).value not in (None, "") for c in (1, 2)):
        row += 1
    for values in rows:
        for column, value in enumerate(values, start=1):
            sheet.cell(row=row, column=column, value=value)
        row += 1


def as_upload(workbook: Any, name: str = "leeds-return.xlsx") -> SimpleUploadedFile:
    out = io.BytesIO()
    workbook.save(out)
    return SimpleUploadedFile(name, out.getvalue(), content_type=XLSX_TYPE)


def upload(client: Client, prison_return: PrisonReturn, file: SimpleUploadedFile) -> Any:
    file.seek(0)
    return client.post(f"/returns/prison/{prison_return.pk}/upload/", {"file": file})
