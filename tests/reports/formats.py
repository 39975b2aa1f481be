"""Fetch a report in each of its forms (page, JSON, CSV, XLSX, command line) so a test can check
one hand-worked figure everywhere it is published."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.test import Client
from openpyxl import load_workbook


def page(client: Client, name: str, **params: str) -> str:
    response = client.get(f"/reports/{name}/", params)
    assert response.status_code == 200, response.content.decode()[:2000]
    return response.content.decode()


def as_json(client: Client, name: str, **params: str) -> dict[str, Any]:
    response = client.get(f"/reports/{name}.json", params)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/json"
    return json.loads(response.content)


def as_csv(client: Client, name: str, **params: str) -> list[list[str]]:
    response = client.get(f"/reports/{name}.csv", params)
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode())))


def csv_totals(rows: list[list[str]]) -> dict[str, str]:
    """The totals under the blank line of a CSV download, label to value."""
    blank = rows.index([])
    assert rows[blank + 1] == ["Totals", ""]
    return {label: value for label, value in rows[blank + 2 :]}


def csv_rows(rows: list[list[str]]) -> list[dict[str, str]]:
    """The rows above the blank line, each keyed by column label."""
    blank = rows.index([])
    header = rows[0]
    return [dict(zip(header, r, strict=True)) for r in rows[1:blank]]


def read_xlsx(content: bytes) -> dict[str, list[list[Any]]]:
    workbook = load_workbook(io.BytesIO(content))
    return {sheet.title: [list(r) for r in sheet.iter_rows(values_only=True)] for sheet in workbook.worksheets}


def as_xlsx(client: Client, name: str, **params: str) -> dict[str, list[list[Any]]]:
    response = client.get(f"/reports/{name}.xlsx", params)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return read_xlsx(response.content)


def xlsx_rows(book: dict[str, list[list[Any]]]) -> list[dict[str, Any]]:
    header, *rows = book["Rows"]
    return [dict(zip(header, r, strict=True)) for r in rows]


def xlsx_totals(book: dict[str, list[list[Any]]]) -> dict[str, Any]:
    return {label: value for label, value in book["Totals"][1:]}


def _cli_args(name: str, params: dict[str, str], fmt: str) -> list[str]:
    args = [name, "--format", fmt]
    for key, value in params.items():
        args += ["--param", f"{key}={value}"]
    return args


def cli_json(name: str, **params: str) -> dict[str, Any]:
    out = io.StringIO()
    call_command("report", *_cli_args(name, params, "json"), stdout=out)
    return json.loads(out.getvalue())


def cli_csv(name: str, **params: str) -> list[list[str]]:
    out = io.StringIO()
    call_command("report", *_cli_args(name, params, "csv"), stdout=out)
    return list(csv.reader(io.StringIO(out.getvalue())))


def cli_xlsx(tmp_path: Path, name: str, **params: str) -> dict[str, list[list[Any]]]:
    target = tmp_path / f"{name}.xlsx"
    call_command("report", *_cli_args(name, params, "xlsx"), "--output", str(target), stderr=io.StringIO())
    return read_xlsx(target.read_bytes())
