"""Contract values: mean, median and how many fall below the mean, on a date and over a year.

Counted contracts live on 1 October 2006:
  South Yorkshire £10,000, £20,000, £60,000: mean £30,000, median £20,000, 2 below the mean
  West Yorkshire £5,000, £15,000: mean £10,000, median £10,000, 1 below the mean
  region (5, 10, 15, 20, 60 thousand): total £110,000, mean £22,000, median £15,000, 4 below
A fourth South Yorkshire contract of £40,000 ran April to June 2006: not live on 1 October, but
live during 2006-07. Over the year:
  South Yorkshire (10, 20, 40, 60): mean £32,500, median £30,000, 2 below
  region (5, 10, 15, 20, 40, 60): total £150,000, mean £25,000, median £17,500, 4 below
The report's "about £24,500" average, published for the year, is £500 below our £25,000.
A public-sector prime (£90,000) never counts.
"""

import datetime
from decimal import Decimal

import pytest

from stepchange.organisations.models import Sector
from stepchange.reports.models import Measure, PublishedFigure
from tests.factories import ContractFactory, OrganisationFactory
from tests.reports.formats import (
    as_csv,
    as_json,
    as_xlsx,
    cli_csv,
    cli_json,
    cli_xlsx,
    csv_totals,
    page,
    xlsx_rows,
    xlsx_totals,
)

AT = {"region": "YH", "at": "2006-10-01"}
YEAR = {"region": "YH", "year": "2006-07"}


@pytest.fixture
def region(cast):
    vcs = OrganisationFactory.create(name="Acorn", sector=Sector.VCS)
    public = OrganisationFactory.create(name="Council", sector=Sector.PUBLIC)
    for area, values in ((cast.sypa, ("10000", "20000", "60000")), (cast.wypa, ("5000", "15000"))):
        for value in values:
            ContractFactory.create(commissioner=area, prime=vcs, annual_value=Decimal(value))
    ContractFactory.create(
        commissioner=cast.sypa, prime=vcs, annual_value=Decimal("40000"), end=datetime.date(2006, 6, 30)
    )
    ContractFactory.create(commissioner=cast.sypa, prime=public, annual_value=Decimal("90000"))
    PublishedFigure.objects.create(
        measure=Measure.MEAN_CONTRACT_VALUE,
        as_at=datetime.date(2007, 3, 31),
        region=cast.region,
        value=Decimal("24500"),
        printed="24,500",
        source="Report",
    )
    return cast.region


def _by_area(data):
    return {r["commissioner"]: r for r in data["rows"]}


def test_on_a_date(region):
    data = cli_json("contract-values", **AT)
    sy, wy = _by_area(data)["SYPA"], _by_area(data)["WYPA"]
    assert (sy["contracts"], Decimal(sy["mean_value"]), Decimal(sy["median_value"]), sy["below_mean"]) == (
        3,
        Decimal(30000),
        Decimal(20000),
        2,
    )
    assert (Decimal(wy["mean_value"]), Decimal(wy["median_value"]), wy["below_mean"]) == (
        Decimal(10000),
        Decimal(10000),
        1,
    )
    totals = data["totals"]
    assert Decimal(totals["total_value"]) == 110000 and Decimal(totals["mean_value"]) == 22000
    assert Decimal(totals["median_value"]) == 15000 and totals["below_mean"] == 4
    assert data["reconciliation"] == []  # the average was published for the year, not this date


def test_over_a_year(region, client):
    data = as_json(client, "contract-values", **YEAR)
    assert data["params"] == {"region": "YH", "year": "2006-07"}
    sy = _by_area(data)["SYPA"]
    assert (sy["contracts"], Decimal(sy["mean_value"]), Decimal(sy["median_value"])) == (
        4,
        Decimal(32500),
        Decimal(30000),
    )
    totals = data["totals"]
    assert Decimal(totals["total_value"]) == 150000 and Decimal(totals["mean_value"]) == 25000
    assert Decimal(totals["median_value"]) == 17500 and totals["below_mean"] == 4
    (row,) = data["reconciliation"]
    assert row["published"] == "24,500" and Decimal(row["difference"]) == 500


def test_every_format_carries_the_values(region, client, tmp_path):
    html = page(client, "contract-values", **YEAR)
    assert "£32,500" in html and "£17,500" in html and "£25,000" in html and "24,500" in html
    assert csv_totals(as_csv(client, "contract-values", **AT))["Below the regional mean"] == "4"
    assert Decimal(csv_totals(cli_csv("contract-values", **YEAR))["Mean"]) == 25000
    for book in (as_xlsx(client, "contract-values", **AT), cli_xlsx(tmp_path, "contract-values", **AT)):
        assert xlsx_totals(book)["Mean"] == 22000
        assert {r["Probation area"]: r["Median"] for r in xlsx_rows(book)}["South Yorkshire Probation Area"] == 20000
    response = client.get("/reports/contract-values.csv", YEAR)
    assert response["Content-Disposition"] == 'attachment; filename="contract-values-YH-2006-07.csv"'
