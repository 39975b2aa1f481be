"""Import files built in the tests: the template's columns with the rows a story names."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from stepchange.core.models import Region
from stepchange.imports.checking import sheet_name
from stepchange.imports.columns import headings
from stepchange.imports.spreadsheet import build_workbook

Row = dict[str, object]


def as_rows(kind: str, rows: Sequence[Row], columns: Sequence[str] | None = None) -> list[list[object]]:
    names = list(columns) if columns is not None else list(headings(kind))
    header: list[object] = list(names)
    return [header] + [[row.get(name, "") for name in names] for row in rows]


def xlsx_file(
    kind: str,
    rows: Sequence[Row],
    *,
    region: Region | None = None,
    columns: Sequence[str] | None = None,
    name: str = "",
) -> SimpleUploadedFile:
    """The rows in the template's own workbook (``region`` given) or a plain one with the kind's sheet."""
    if region is not None and columns is None:
        workbook = load_workbook(io.BytesIO(build_workbook(kind, region)))
        sheet = workbook[sheet_name(kind)]
        for row in as_rows(kind, rows)[1:]:
            sheet.append(row)
    else:
        workbook = Workbook()
        sheet = workbook.active
        assert sheet is not None
        sheet.title = sheet_name(kind)
        for row in as_rows(kind, rows, columns):
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name or f"{kind}.xlsx", buffer.getvalue())


def csv_file(
    kind: str, rows: Sequence[Row], *, columns: Sequence[str] | None = None, name: str = ""
) -> SimpleUploadedFile:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    for row in as_rows(kind, rows, columns):
        writer.writerow(row)
    return SimpleUploadedFile(name or f"{kind}.csv", buffer.getvalue().encode("utf-8"))
