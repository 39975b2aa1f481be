"""The home page is the dashboard: the region's share for everyone, and Bob's own area beside it.

The region is the one of test_probation_share.py. A return recorded on 1 October 2006 makes that
the default date (the latest return). South Yorkshire: £30,000 + £20,000 = £50,000 of £2,000,000
= 2.5%; target 5% = £100,000; gap £50,000. The region: weighted (50,000 + 60,000) / 6,000,000 =
1.83%; mean (2.5 + 1.5) / 2 = 2.00%.
"""

import datetime
from decimal import Decimal

import pytest

from stepchange.organisations.models import Sector
from tests.factories import ContractFactory, OrganisationFactory, ProbationReturnFactory


@pytest.fixture
def returned(region, cast):
    ProbationReturnFactory.create(commissioner=cast.sypa, as_at=datetime.date(2006, 10, 1))
    return region


def test_everyone_sees_both_regional_shares_each_labelled(returned, client):
    html = client.get("/").content.decode().replace("&#x27;", "'")
    assert "Yorkshire and Humberside at 1 October 2006" in html
    assert "Regional share, weighted by grant" in html and ">1.83%<" in html
    assert "Mean of the areas' shares" in html and ">2.00%<" in html
    assert 'href="/reports/probation-share/?region=YH&amp;at=2006-10-01"' in html
    assert 'href="/reports/"' in html
    assert 'id="own-area"' not in html


def test_bob_sees_his_area_share_target_and_gap(returned, client_for, cast):
    html = client_for(cast.bob).get("/").content.decode()
    assert 'id="own-area"' in html and "South Yorkshire Probation Area at 1 October 2006" in html
    assert 'id="own-area-share">2.5%<' in html
    assert 'id="own-area-target-pct">5.0% of main grant<' in html
    assert 'id="own-area-target-amount">£100,000<' in html
    assert 'id="own-area-counted-spend">£50,000<' in html
    assert 'id="own-area-gap">£50,000<' in html


def test_bobs_share_moves_when_a_contract_is_added(returned, client_for, cast):
    ContractFactory.create(
        commissioner=cast.sypa,
        prime=OrganisationFactory.create(name="Cedar Trust", sector=Sector.VCS),
        annual_value=Decimal("10000"),
        start=datetime.date(2006, 9, 1),
    )
    html = client_for(cast.bob).get("/").content.decode()
    # (50,000 + 10,000) / 2,000,000 = 3.0%; gap 100,000 − 60,000 = £40,000
    assert 'id="own-area-share">3.0%<' in html and 'id="own-area-gap">£40,000<' in html


def test_a_provider_sees_no_area_panel(returned, client_for, cast):
    assert 'id="own-area"' not in client_for(cast.dave).get("/").content.decode()


def test_the_home_page_works_before_any_region_is_set_up(client, db):
    response = client.get("/")
    assert response.status_code == 200 and "Published reports" in response.content.decode()
