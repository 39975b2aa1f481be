"""Nothing a person typed runs as a spreadsheet formula in a download.

A funder recorded as "=HYPERLINK(...)" and an area named "@SUM(A1)" reach the CSV and the XLSX
of the not-counted and probation-share reports as text with a leading quote.
"""

import io

import pytest
from openpyxl import load_workbook

from stepchange.contracts.models import FundingSource
from stepchange.core.exports import safe_cell
from stepchange.organisations.models import Sector
from tests.factories import ContractFactory, OrganisationFactory
from tests.reports.formats import as_csv, csv_rows

HOSTILE = '=HYPERLINK("http://example.com","click")'


@pytest.mark.parametrize(
    ("typed", "written"),
    [
        ("=1+2", "'=1+2"),
        ("+44 113", "'+44 113"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("Acorn = good", "Acorn = good"),
        ("", ""),
    ],
)
def test_text_that_would_run_as_a_formula_gets_a_leading_quote(typed, written):
    assert safe_cell(typed) == written


def test_numbers_and_other_values_pass_unchanged():
    from decimal import Decimal

    assert safe_cell(Decimal("-0.35")) == Decimal("-0.35")
    assert safe_cell(-3) == -3 and safe_cell(None) is None


@pytest.fixture
def hostile(cast):
    cast.sypa.organisation.name = "@SUM(A1)"
    cast.sypa.organisation.save()
    vcs = OrganisationFactory.create(name="Acorn", sector=Sector.VCS)
    ContractFactory.create(
        commissioner=cast.sypa, prime=vcs, funding_source=FundingSource.CO_COMMISSIONED, funder=HOSTILE
    )
    return cast.region


def test_the_csv_neutralises_typed_text(hostile, client):
    rows = csv_rows(as_csv(client, "not-counted", region="YH", at="2006-10-01"))
    assert rows[0]["Funder or programme"] == "'" + HOSTILE
    share = csv_rows(as_csv(client, "probation-share", region="YH", at="2006-10-01"))
    assert {r["Probation area"] for r in share} == {"'@SUM(A1)", "West Yorkshire Probation Area"}


def test_the_xlsx_holds_the_text_not_a_formula(hostile, client):
    content = client.get("/reports/not-counted.xlsx", {"region": "YH", "at": "2006-10-01"}).content
    sheet = load_workbook(io.BytesIO(content))["Rows"]
    cell = sheet["D2"]  # the funder, after who commissioned it, the commissioner and the reason
    assert cell.value == "'" + HOSTILE and cell.data_type == "s"
