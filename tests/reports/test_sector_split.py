"""Contracts by sector, worked by hand.

South Yorkshire at 1 October 2006 has counted (main grant, live) contracts with VCS primes of
£10,000, £20,000 and £30,000 and one with a private prime of £40,000; a public prime (£50,000) and
new investment (£5,000) do not count.
  by number: VCS 3 of 4 = 75.0%, private 1 of 4 = 25.0%
  by value:  VCS £60,000 of £100,000 = 60.0%, private £40,000 = 40.0%
The report printed "62" per cent voluntary; we compute 75: a difference of 13, shown, not hidden.
"""

import datetime
from decimal import Decimal

import pytest

from stepchange.contracts.models import FundingSource
from stepchange.organisations.models import Sector
from stepchange.reports.models import Measure, PublishedFigure
from tests.factories import ContractFactory, OrganisationFactory
from tests.reports.formats import as_csv, as_json, as_xlsx, cli_json, cli_xlsx, csv_rows, csv_totals, page, xlsx_rows

OCT = datetime.date(2006, 10, 1)
PARAMS = {"region": "YH", "at": "2006-10-01"}


@pytest.fixture
def region(cast):
    vcs = OrganisationFactory.create(name="Acorn", sector=Sector.VCS)
    private = OrganisationFactory.create(name="Beacon", sector=Sector.PRIVATE)
    public = OrganisationFactory.create(name="Council", sector=Sector.PUBLIC)
    for value in ("10000", "20000", "30000"):
        ContractFactory.create(commissioner=cast.sypa, prime=vcs, annual_value=Decimal(value))
    ContractFactory.create(commissioner=cast.sypa, prime=private, annual_value=Decimal("40000"))
    ContractFactory.create(commissioner=cast.sypa, prime=public, annual_value=Decimal("50000"))
    ContractFactory.create(
        commissioner=cast.sypa, prime=vcs, annual_value=Decimal("5000"), funding_source=FundingSource.NEW_INVESTMENT
    )
    PublishedFigure.objects.create(
        measure=Measure.VCS_COUNT_PCT, as_at=OCT, region=cast.region, value=Decimal("62"), printed="62", source="Report"
    )
    return cast.region


def test_split_by_number_and_by_value(region):
    data = cli_json("sector-split", **PARAMS)
    vcs, private = data["rows"]
    assert (vcs["sector"], vcs["contracts"], Decimal(vcs["contracts_pct"])) == ("vcs", 3, Decimal(75))
    assert (Decimal(vcs["value"]), Decimal(vcs["value_pct"])) == (Decimal(60000), Decimal(60))
    assert (private["contracts"], Decimal(private["contracts_pct"])) == (1, Decimal(25))
    assert (Decimal(private["value"]), Decimal(private["value_pct"])) == (Decimal(40000), Decimal(40))
    assert data["totals"]["contracts"] == 4 and Decimal(data["totals"]["value"]) == Decimal(100000)


def test_the_published_62_per_cent_is_set_beside_the_computed_75(region, client):
    (row,) = as_json(client, "sector-split", **PARAMS)["reconciliation"]
    assert row["published"] == "62" and row["computed_rounded"] == "75" and row["difference"] == "13"
    assert row["matches"] is False
    html = page(client, "sector-split", **PARAMS)
    assert "How these figures compare with the published report" in html and "Does not match" in html


def test_every_format_carries_the_split(region, client, tmp_path):
    html = page(client, "sector-split", **PARAMS)
    assert "75.0%" in html and "25.0%" in html and "60.0%" in html and "£60,000" in html
    # The totals sit in the table's last row: 4 contracts, £100,000.
    assert "app-totals-row" in html and "£100,000" in html
    rows = as_csv(client, "sector-split", **PARAMS)
    vcs = csv_rows(rows)[0]
    assert Decimal(vcs["Share of contracts"]) == 75 and Decimal(vcs["Share of value"]) == 60
    assert csv_totals(rows)["Contracts"] == "4"
    for book in (as_xlsx(client, "sector-split", **PARAMS), cli_xlsx(tmp_path, "sector-split", **PARAMS)):
        first = xlsx_rows(book)[0]
        assert first["Contracts"] == 3 and first["Share of contracts"] == 75
