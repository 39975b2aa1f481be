"""The filters a report's figure links with: counted or not, kind of commissioner, funder, region
and financial year; scoped like the list, and a wrong value explained, never a 500."""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal

import pytest

from stepchange.contracts.models import FundingSource
from stepchange.organisations.models import CommissionerKind, Operator, Sector
from tests.factories import CommissionerFactory, ContractFactory, OrganisationFactory


@pytest.fixture
def contracts(cast):
    public = OrganisationFactory.create(name="Council", sector=Sector.PUBLIC)
    prison = CommissionerFactory.create(
        code="HMPX", region=cast.region, kind=CommissionerKind.PRISON, operator=Operator.PUBLIC
    )
    made = {
        "counted": ContractFactory.create(reference="C-1", commissioner=cast.sypa, prime=cast.charity),
        "public": ContractFactory.create(reference="P-1", commissioner=cast.sypa, prime=public),
        "unnamed": ContractFactory.create(
            reference="K-1", commissioner=cast.sypa, prime=cast.charity, funding_source=FundingSource.IN_KIND
        ),
        "named": ContractFactory.create(
            reference="N-1",
            commissioner=cast.regional_team,
            prime=cast.charity,
            funding_source=FundingSource.NEW_INVESTMENT,
            funder="TWP",
        ),
        "prison": ContractFactory.create(reference="X-1", commissioner=prison, prime=cast.charity),
        "last_year": ContractFactory.create(
            reference="L-1",
            commissioner=cast.sypa,
            prime=cast.charity,
            start=datetime.date(2005, 4, 1),
            end=datetime.date(2006, 3, 31),
        ),
        "elsewhere": ContractFactory.create(
            reference="E-1",
            commissioner=CommissionerFactory.create(code="NEPA", region=cast.other_region),
            prime=cast.charity,
        ),
    }
    return made


def _refs(client, **params):
    response = client.get("/contracts.csv", params)
    assert response.status_code == 200, response.content
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    return sorted(r["reference"] for r in rows)


def test_counted_or_not_splits_the_regions_contracts(cast, client_for, contracts):
    alice = client_for(cast.alice)
    live = {"region": "YH", "live_on": "2006-10-01"}
    assert _refs(alice, counts="yes", **live) == ["C-1"]
    assert _refs(alice, counts="no", **live) == ["K-1", "N-1", "P-1", "X-1"]
    assert _refs(alice, **live) == ["C-1", "K-1", "N-1", "P-1", "X-1"]


def test_kind_funder_and_year(cast, client_for, contracts):
    alice = client_for(cast.alice)
    assert _refs(alice, commissioner_kind="regional") == ["N-1"]
    assert _refs(alice, commissioner_kind="prison") == ["X-1"]
    assert _refs(alice, funder="TWP") == ["N-1"]
    # "Not named" is a contract with no funder; the main-grant ones name none either.
    assert _refs(alice, funder="Not named", funding="in_kind") == ["K-1"]
    assert "L-1" in _refs(alice, year="2005-06") and "L-1" not in _refs(alice, year="2006-07")
    assert _refs(alice, year="2006-07", counts="yes", region="YH") == ["C-1"]


def test_the_filters_never_reach_a_contract_the_reader_may_not_see(cast, client_for, contracts):
    # Signed out: published contracts only, whatever the filters say.
    assert _refs(client_for(None), counts="yes", region="YH") == []
    # Another region's contract is not Alice's to see, even asking for that region.
    assert _refs(client_for(cast.alice), region=cast.other_region.code) == []


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"counts": "maybe"}, "Choose whether the contracts count toward the target from the list"),
        ({"commissioner_kind": "bank"}, "Choose a kind of commissioner from the list"),
        ({"region": "XX"}, "Choose a region from the list"),
        ({"year": "1999-00"}, "Choose a financial year from the list"),
        ({"year": "2006-07", "live_on": "2006-10-01"}, "not both"),
        ({"funder": "a\x00b"}, "Null characters are not allowed"),
    ],
)
def test_a_wrong_filter_is_explained_on_the_page_and_refused_in_a_download(
    cast, client_for, contracts, params, message
):
    alice = client_for(cast.alice)
    page = alice.get("/contracts/", params)
    assert page.status_code == 200 and "There is a problem" in page.content.decode()
    assert message in page.content.decode()
    for download in ("/contracts.csv", "/contracts.xlsx"):
        refused = alice.get(download, params)
        assert refused.status_code == 400 and message in refused.content.decode()


def test_the_csv_adds_up_to_a_figure(cast, client_for, contracts):
    response = client_for(cast.alice).get("/contracts.csv", {"region": "YH", "counts": "no", "live_on": "2006-10-01"})
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert sum(Decimal(r["annual_value"]) for r in rows) == Decimal("40000.00")
