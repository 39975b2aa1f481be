"""Who sees which contracts, on the list, the detail page, the CSV and the XLSX alike.

Four contracts of Yorkshire and Humberside:
  SY-HELD   South Yorkshire, held by Acorn Housing Trust (Dave's charity), unpublished;
  SY-SUB    South Yorkshire, held by Beacon Services (Erin's company), Acorn sub-contracts on it, unpublished;
  WY-OWN    West Yorkshire, held by another charity, unpublished;
  WY-PUB    West Yorkshire, held by another charity, published.
"""

import csv
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from tests.factories import ContractFactory, OrganisationFactory, SubContractFactory

ALL = {"SY-HELD", "SY-SUB", "WY-OWN", "WY-PUB"}
EXPECTED = {
    "signed out": {"WY-PUB"},
    "alice": ALL,
    "bob": {"SY-HELD", "SY-SUB", "WY-PUB"},
    "carol": {"WY-OWN", "WY-PUB"},
    "dave": {"SY-HELD", "SY-SUB", "WY-PUB"},
    "erin": {"SY-SUB", "WY-PUB"},
    "frank": {"WY-PUB"},
    "grace": {"WY-PUB"},
    "heidi": {"WY-PUB"},
    "root": ALL,
}


@pytest.fixture
def contracts(cast):
    other = OrganisationFactory.create(name="Calder Mentoring")
    held = ContractFactory.create(reference="SY-HELD", commissioner=cast.sypa, prime=cast.charity)
    sub = ContractFactory.create(
        reference="SY-SUB", commissioner=cast.sypa, prime=cast.company, annual_value=Decimal("50000")
    )
    SubContractFactory.create(contract=sub, partner=cast.charity, value=Decimal("5000"))
    own = ContractFactory.create(reference="WY-OWN", commissioner=cast.wypa, prime=other)
    published = ContractFactory.create(reference="WY-PUB", commissioner=cast.wypa, prime=other, published=True)
    return {c.reference: c for c in (held, sub, own, published)}


def listed(client):
    page = client.get("/contracts/")
    assert page.status_code == 200
    return {c.reference for c in page.context["page"]}


def downloaded(client):
    response = client.get("/contracts.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return {row["reference"] for row in csv.DictReader(io.StringIO(response.getvalue().decode()))}


def in_workbook(client):
    response = client.get("/contracts.xlsx")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="contracts.xlsx"'
    rows = load_workbook(io.BytesIO(response.getvalue()), read_only=True)["Contracts"].iter_rows(values_only=True)
    next(rows)
    return {row[0] for row in rows}


@pytest.mark.parametrize("persona", list(EXPECTED))
def test_each_persona_sees_exactly_their_contracts_everywhere(cast, client_for, contracts, persona):
    client = client_for(cast.everyone()[persona])
    expected = EXPECTED[persona]

    assert listed(client) == expected
    assert downloaded(client) == expected
    assert in_workbook(client) == expected
    count = len(expected)
    assert f"{count} contract{'s' if count != 1 else ''}" in client.get("/contracts/").content.decode()
    for reference, contract in contracts.items():
        status = client.get(f"/contracts/{contract.pk}/").status_code
        assert status == (200 if reference in expected else 404), (persona, reference)


def test_a_filter_cannot_reach_what_the_user_may_not_see(cast, client_for, contracts):
    # Bob asks for West Yorkshire's contracts: he gets only the published one.
    bob = client_for(cast.bob)
    page = bob.get("/contracts/", {"commissioner": "WYPA"})
    assert {c.reference for c in page.context["page"]} == {"WY-PUB"}


def test_only_people_who_may_edit_see_the_buttons(cast, client_for, contracts):
    url = f"/contracts/{contracts['SY-SUB'].pk}/"
    bob_page = client_for(cast.bob).get(url).content.decode()
    dave_page = client_for(cast.dave).get(url).content.decode()
    for words in ("Change this contract", "Add a sub-contract", "Remove<span"):
        assert words in bob_page
        assert words not in dave_page
    assert "Add a contract" in client_for(cast.bob).get("/contracts/").content.decode()
    assert "Add a contract" not in client_for(cast.dave).get("/contracts/").content.decode()


def test_signed_out_people_see_a_published_contract_but_not_its_history(cast, client_for, contracts):
    page = client_for(None).get(f"/contracts/{contracts['WY-PUB'].pk}/").content.decode()
    assert "WY-PUB" in page
    assert "History" not in page


def test_a_published_contracts_history_tells_its_notes_only_to_those_who_read_them(cast, client_for):
    """The notes are internal: someone signed in who sees the contract only because it is published
    (Frank, at a prison) reads its history, but not what its notes were changed from or to."""
    from stepchange.contracts import services

    contract = ContractFactory.create(
        reference="WY-NOTES", commissioner=cast.wypa, published=True, notes="First internal note"
    )
    services.contract_update(
        actor=cast.alice,
        contract=contract,
        expected_version=contract.version,
        reference=contract.reference,
        title="A new title",
        commissioner=contract.commissioner,
        prime=contract.prime,
        annual_value=contract.annual_value,
        start=contract.start,
        published=True,
        notes="Second internal note: price under review",
    )
    outsider = client_for(cast.frank).get(f"/contracts/{contract.pk}/").content.decode()
    assert "A new title" in outsider  # the history is shown, with the title's change
    assert "internal note" not in outsider
    insider = client_for(cast.alice).get(f"/contracts/{contract.pk}/").content.decode()
    assert "First internal note" in insider and "Second internal note" in insider
