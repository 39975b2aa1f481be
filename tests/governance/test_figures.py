"""The live figures an action is linked to, against hand-worked numbers, and the same as the
probation-share report's own figures."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from stepchange.core.money import percent
from stepchange.core.periods import year_containing
from stepchange.governance import figures
from stepchange.organisations.models import Organisation, Sector
from stepchange.reports.spend.shares import probation_share_figures
from tests.factories import ContractFactory, MainGrantFactory, OrganisationFactory
from tests.personas import Cast


@pytest.fixture
def shares(cast: Cast) -> Cast:
    """SYPA: grant £19,300,000; a VCS contract of £500,000 and a private one of £100,000.
    WYPA: grant £30,800,000; a VCS contract of £1,000,000. Live from 1 April 2006, open-ended."""
    year = year_containing(datetime.date.today())
    MainGrantFactory.create(commissioner=cast.sypa, year=year, final=Decimal("19300000.00"))
    MainGrantFactory.create(commissioner=cast.wypa, year=year, final=Decimal("30800000.00"))
    private: Organisation = OrganisationFactory.create(name="Private Co", sector=Sector.PRIVATE, region=cast.region)
    ContractFactory.create(commissioner=cast.sypa, prime=cast.charity, annual_value=Decimal("500000.00"))
    ContractFactory.create(commissioner=cast.sypa, prime=private, annual_value=Decimal("100000.00"))
    ContractFactory.create(commissioner=cast.wypa, prime=cast.charity, annual_value=Decimal("1000000.00"))
    return cast


def _read(key: str, cast: Cast, target: str, area=None) -> figures.Reading:
    return figures.read(key, region=cast.region, area=area, target=Decimal(target), cache={})


@pytest.mark.django_db
def test_the_regions_weighted_share(shares: Cast) -> None:
    # (500,000 + 100,000 + 1,000,000) × 100 ÷ (19,300,000 + 30,800,000) = 160,000,000 ÷ 50,100,000
    # = 3.19361...%, shown 3.2%; short of 5%, over 3%.
    reading = _read("region-weighted-share", shares, "5")
    assert percent(reading.value, 3) == "3.194%"
    assert percent(reading.value) == "3.2%"
    assert reading.met is False
    assert _read("region-weighted-share", shares, "3").met is True
    assert reading.at is not None
    _, totals = probation_share_figures(shares.region, reading.at)
    assert reading.value == totals["weighted_share_pct"]


@pytest.mark.django_db
def test_the_mean_of_the_areas_shares(shares: Cast) -> None:
    # SYPA 600,000 × 100 ÷ 19,300,000 = 3.10881%; WYPA 1,000,000 × 100 ÷ 30,800,000 = 3.24675%;
    # their mean (3.10881 + 3.24675) ÷ 2 = 3.17778%, shown 3.2%.
    assert percent(_read("region-mean-share", shares, "5").value, 3) == "3.178%"


@pytest.mark.django_db
def test_an_areas_share(shares: Cast) -> None:
    # SYPA: 600,000 × 100 ÷ 19,300,000 = 3.10881%, shown 3.1%; the target 3.1% is met, 3.11% is not.
    reading = _read("area-share", shares, "3.1", area=shares.sypa)
    assert percent(reading.value, 3) == "3.109%"
    assert reading.met is True
    assert _read("area-share", shares, "3.11", area=shares.sypa).met is False


@pytest.mark.django_db
def test_the_number_of_vcs_contracts(shares: Cast) -> None:
    # Acorn (VCS) holds one contract of SYPA and one of WYPA: 2; the private one does not count.
    reading = _read("region-vcs-contracts", shares, "2")
    assert (reading.value, reading.met) == (Decimal(2), True)
    assert _read("region-vcs-contracts", shares, "3").met is False


@pytest.mark.django_db
def test_a_share_without_a_grant_cannot_be_worked_out(cast: Cast) -> None:
    reading = _read("region-weighted-share", cast, "5")
    assert (reading.value, reading.met) == (None, None)
