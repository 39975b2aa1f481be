"""No download lets text run as a spreadsheet formula.

Names people typed (an organisation, a region, a contract's title, a funder) start here with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return. Every CSV and XLSX the service offers (the
contract list's CSV and each registered report in both formats) is opened, and no text cell may
start with one of those un-neutralised: numbers are numbers, text that would run has a leading '.
"""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal, InvalidOperation

import pytest
from openpyxl import load_workbook

from stepchange.contracts.models import FundingSource
from stepchange.core.exports import FORMULA_STARTS
from stepchange.reports.registry import REPORTS
from tests.factories import (
    ContractFactory,
    MainGrantFactory,
    OrganisationFactory,
    ProbationReturnFactory,
    TargetFactory,
)

pytestmark = pytest.mark.django_db

HOSTILE = {
    "region": '=HYPERLINK("http://evil.example","Yorkshire")',
    "area": "+cmd|' /C calc'!A0",
    "prime": "-2+3+cmd|' /C calc'!A0",
    "partner": "@SUM(1+1)*cmd|' /C calc'!A0",
    "title": "\t=1+1",
    "funder": "\r=1+1",
}


@pytest.fixture
def hostile_names(cast):  # type: ignore[no-untyped-def]
    cast.region.name = HOSTILE["region"]
    cast.region.save()
    sypa = cast.sypa.organisation
    sypa.name = HOSTILE["area"]
    sypa.save()
    prime = OrganisationFactory.create(name=HOSTILE["prime"], sector="vcs", region=cast.region)
    MainGrantFactory.create(commissioner=cast.sypa, final=Decimal("19300000"))
    TargetFactory.create()
    ProbationReturnFactory.create(commissioner=cast.sypa, as_at=datetime.date(2006, 4, 1))
    ProbationReturnFactory.create(commissioner=cast.sypa, as_at=datetime.date(2006, 10, 1))
    ContractFactory.create(
        reference="SYPA-0001",
        title=HOSTILE["title"],
        commissioner=cast.sypa,
        prime=prime,
        pathways=["accommodation", "fbd"],
        annual_value=Decimal("24500"),
        published=True,
    )
    ContractFactory.create(
        reference="SYPA-0002",
        title="Drug intervention",
        commissioner=cast.sypa,
        prime=OrganisationFactory.create(name=HOSTILE["partner"], sector="private"),
        funding_source=FundingSource.CO_COMMISSIONED,
        funder=HOSTILE["funder"],
        published=True,
    )


def is_number(text: str) -> bool:
    try:
        Decimal(text)
    except InvalidOperation:
        return False
    return True


def unsafe_csv_cells(body: bytes) -> list[str]:
    cells = [cell for row in csv.reader(io.StringIO(body.decode("utf-8-sig"), newline="")) for cell in row]
    return [cell for cell in cells if cell.startswith(FORMULA_STARTS) and not is_number(cell)]


def unsafe_xlsx_cells(body: bytes) -> list[str]:
    workbook = load_workbook(io.BytesIO(body), data_only=False)
    unsafe = []
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f" or (isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS)):
                    unsafe.append(f"{sheet.title}!{cell.coordinate}: {cell.value!r}")
    return unsafe


def all_text(body: bytes, extension: str) -> str:
    if extension == "csv":
        return body.decode("utf-8-sig")
    workbook = load_workbook(io.BytesIO(body))
    return "\n".join(
        str(cell.value) for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row if cell.value
    )


def downloads() -> list[tuple[str, str]]:
    found = [("/contracts.csv", "csv"), ("/contracts.xlsx", "xlsx")]
    for name in sorted(REPORTS):
        found += [
            (f"/reports/{name}.csv?region=YH&at=2006-10-01", "csv"),
            (f"/reports/{name}.xlsx?region=YH&at=2006-10-01", "xlsx"),
        ]
    return found


def test_every_download_is_found() -> None:
    # Every report, both formats, and the contract list in both: a new report joins this test by registering.
    assert len(downloads()) == 2 + 2 * len(REPORTS)
    assert len(REPORTS) >= 5


@pytest.mark.parametrize(("url", "extension"), downloads())
def test_no_cell_of_any_download_would_run_as_a_formula(cast, client_for, hostile_names, tally, url, extension) -> None:  # type: ignore[no-untyped-def]
    tally.add()
    response = client_for(cast.alice).get(url)

    assert response.status_code == 200
    body = response.getvalue()
    unsafe = unsafe_csv_cells(body) if extension == "csv" else unsafe_xlsx_cells(body)
    assert unsafe == []


def test_the_contract_csv_keeps_every_hostile_name_neutralised_but_readable(cast, client_for, hostile_names) -> None:  # type: ignore[no-untyped-def]
    text = all_text(client_for(cast.alice).get("/contracts.csv").getvalue(), "csv")

    for key in ("area", "prime", "partner", "title", "funder"):
        assert "'" + HOSTILE[key] in text, key


@pytest.mark.parametrize("extension", ["csv", "xlsx"])
def test_a_report_naming_the_hostile_area_shows_it_neutralised(cast, client_for, hostile_names, extension) -> None:  # type: ignore[no-untyped-def]
    body = client_for(None).get(f"/reports/probation-share.{extension}?region=YH&at=2006-10-01").content

    assert "'" + HOSTILE["area"] in all_text(body, extension)
