"""A report's result as a download: JSON, CSV and XLSX, each written from the same ``ReportResult``.

Values keep full precision (a Decimal is written as its exact digits), dates are ISO, an empty
value is null in JSON and an empty cell in CSV and XLSX. A CSV or XLSX cell holds what
``columns.download_value`` makes of its value, with the display format ``columns.xlsx_format``
gives its column's kind (the page's text comes from the same module). Every text cell goes through
``safe_cell`` (the CSV's through ``SafeCsvWriter``) so nothing a person typed can run as a
spreadsheet formula.
"""

from __future__ import annotations

import datetime
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from stepchange.core.exports import SafeCsvWriter, safe_cell
from stepchange.reports.columns import Column, ColumnKind, download_value, xlsx_format
from stepchange.reports.registry import ReportResult


def plain(value: Any) -> Any:
    """A value as JSON has it: Decimal as its exact digits in a string, dates ISO, sets sorted."""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, set | frozenset):
        return sorted(plain(v) for v in value)
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def as_document(result: ReportResult) -> dict[str, Any]:
    return {
        "report": result.name,
        "params": result.params.as_dict(),
        "rows": plain(result.rows),
        "totals": plain(result.totals),
        "reconciliation": plain([r.as_dict() for r in result.reconciliation]),
        **({"tables": {t.key: plain(t.rows) for t in result.tables}} if result.tables else {}),
    }


def to_json(result: ReportResult) -> str:
    return json.dumps(as_document(result), indent=2, ensure_ascii=False) + "\n"


def totals_lines(result: ReportResult) -> list[tuple[str, Any, Column | None]]:
    """The totals as (label, value, column): the report's total columns, or else its plain figures."""
    if result.total_columns:
        return [(c.label, result.totals.get(c.key), c) for c in result.total_columns]
    return [
        (key, value, None)
        for key, value in result.totals.items()
        if value is None or isinstance(value, str | int | Decimal | datetime.date)
    ]


def to_csv(result: ReportResult) -> str:
    out = io.StringIO()
    writer = SafeCsvWriter(out, lineterminator="\r\n")
    writer.writerow([c.label for c in result.columns])
    for row in result.rows:
        writer.writerow([download_value(row.get(c.key)) for c in result.columns])
    writer.writerow([])
    writer.writerow(["Totals", ""])
    for label, value, _ in totals_lines(result):
        writer.writerow([download_value(label), download_value(value)])
    for table in result.tables:
        writer.writerow([])
        writer.writerow([download_value(table.title)])
        writer.writerow([download_value(c.label) for c in table.columns])
        for row in table.rows:
            writer.writerow([download_value(row.get(c.key)) for c in table.columns])
    return out.getvalue()


def _xlsx_cell(
    sheet: WriteOnlyWorksheet, value: Any, kind: ColumnKind | None = None, *, bold: bool = False
) -> WriteOnlyCell:
    value = safe_cell(download_value(value))
    cell = WriteOnlyCell(sheet, value=value)
    number_format = xlsx_format(value, kind)
    if number_format:
        cell.number_format = number_format
    if bold:
        cell.font = Font(bold=True)
    return cell


def to_xlsx(result: ReportResult) -> bytes:
    workbook = Workbook(write_only=True)
    rows = workbook.create_sheet("Rows")
    rows.append([_xlsx_cell(rows, c.label, bold=True) for c in result.columns])
    for row in result.rows:
        rows.append([_xlsx_cell(rows, row.get(c.key), c.kind) for c in result.columns])

    totals = workbook.create_sheet("Totals")
    totals.append([_xlsx_cell(totals, "Figure", bold=True), _xlsx_cell(totals, "Value", bold=True)])
    for label, value, column in totals_lines(result):
        totals.append([_xlsx_cell(totals, label), _xlsx_cell(totals, value, column.kind if column else None)])

    for table in result.tables:
        extra = workbook.create_sheet(table.title[:31])
        extra.append([_xlsx_cell(extra, c.label, bold=True) for c in table.columns])
        for row in table.rows:
            extra.append([_xlsx_cell(extra, row.get(c.key), c.kind) for c in table.columns])

    reconciliation = workbook.create_sheet("Reconciliation")
    headings = ["Figure", "Published", "Computed", "Computed, rounded", "Difference", "Matches", "Source", "Note"]
    reconciliation.append([_xlsx_cell(reconciliation, h, bold=True) for h in headings])
    for r in result.reconciliation:
        reconciliation.append(
            [
                _xlsx_cell(reconciliation, value)
                for value in (
                    r.figure,
                    r.published,
                    r.computed,
                    r.computed_rounded,
                    r.difference,
                    r.matches,
                    r.source,
                    r.note,
                )
            ]
        )

    params = workbook.create_sheet("About")
    params.append([_xlsx_cell(params, "Report", bold=True), _xlsx_cell(params, result.title)])
    for key, value in result.params.as_dict().items():
        params.append([_xlsx_cell(params, key, bold=True), _xlsx_cell(params, value)])
    for note in result.notes:
        params.append([_xlsx_cell(params, "Note", bold=True), _xlsx_cell(params, note)])

    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


@dataclass(frozen=True)
class Format:
    content_type: str
    render: Callable[[ReportResult], str | bytes]


FORMATS: dict[str, Format] = {
    "json": Format("application/json", to_json),
    "csv": Format("text/csv; charset=utf-8", to_csv),
    "xlsx": Format("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", to_xlsx),
}


def filename(result: ReportResult, extension: str) -> str:
    """Like probation-share-YH-2006-10-01.csv: the report, the region and its date or year."""
    params = result.params
    when = params.at.isoformat() if params.at else (params.year.name if params.year else "")
    return f"{result.name}-{params.region.code}-{when}.{extension}"
