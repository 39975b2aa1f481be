"""Open data of contracts: every published contract as a release of one OCDS 1.1.5 package, written
by ``export_ocds --contracts``, valid against the schema and codelists kept in
tests/commissioning/standards, and never a contract that someone signed out may not see."""

from __future__ import annotations

import datetime
import io
import json
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from stepchange.commissioning import ocds_contracts
from tests.commissioning.ocds_schema import assert_valid_package
from tests.factories import ContractFactory, OrganisationFactory, SubContractFactory

BASE = "https://stepchange.example"


@pytest.fixture
def contracts(cast):
    cast.charity.charity_number = "1099999"
    cast.charity.save()
    partner = OrganisationFactory.create(name="Calder Mentoring", company_number="04567890")
    whole_year = ContractFactory.create(
        reference="SY-YEAR",
        title="Housing advice",
        commissioner=cast.sypa,
        prime=cast.charity,
        annual_value=Decimal("30000.00"),
        start=datetime.date(2006, 4, 1),
        end=datetime.date(2007, 3, 31),
        pathways=["accommodation", "ete"],
        published=True,
    )
    SubContractFactory.create(contract=whole_year, partner=partner, value=Decimal("4500.50"))
    ContractFactory.create(
        reference="SY-DAYS",
        commissioner=cast.sypa,
        prime=cast.company,
        annual_value=Decimal("12000.00"),
        start=datetime.date(2006, 6, 1),
        end=datetime.date(2006, 6, 15),
        published=True,
    )
    ContractFactory.create(
        reference="WY-OPEN",
        commissioner=cast.wypa,
        prime=partner,
        annual_value=Decimal("7000.00"),
        start=datetime.date(2006, 10, 1),
        published=True,
    )
    ContractFactory.create(reference="SY-HIDDEN", commissioner=cast.sypa, prime=cast.charity, published=False)


def exported(tmp_path, *extra: str) -> dict:
    out = tmp_path / "contracts.json"
    err = io.StringIO()
    call_command("export_ocds", "--contracts", "--out", str(out), "--base-url", BASE, *extra, stderr=err)
    assert "3 contract releases written" in err.getvalue()
    return json.loads(out.read_text(encoding="utf-8"))


def test_every_published_contract_is_a_valid_release(cast, contracts, tmp_path):
    package = exported(tmp_path)

    assert_valid_package(package)
    assert package["uri"] == f"{BASE}/open-data/contracts.json"
    # The list's order: commissioner code, then reference; the unpublished one is left out.
    assert [r["contracts"][0]["id"] for r in package["releases"]] == ["SY-DAYS", "SY-YEAR", "WY-OPEN"]
    assert "SY-HIDDEN" not in json.dumps(package)
    assert package["publishedDate"] == max(r["date"] for r in package["releases"])


def test_a_release_names_the_buyer_the_prime_and_the_sub_contractors(cast, contracts, tmp_path):
    release = {r["contracts"][0]["id"]: r for r in exported(tmp_path)["releases"]}["SY-YEAR"]

    assert release["ocid"] == "ocds-stepchange-contract-SY-YEAR"
    assert release["tag"] == ["award", "contract"]
    parties = {p["name"]: p for p in release["parties"]}
    assert parties["South Yorkshire Probation Area"]["roles"] == ["buyer"]
    assert parties["Acorn Housing Trust"]["id"] == "GB-CHC-1099999"
    assert parties["Acorn Housing Trust"]["roles"] == ["supplier"]
    assert parties["Calder Mentoring"]["identifier"] == {
        "scheme": "GB-COH",
        "id": "04567890",
        "legalName": "Calder Mentoring",
    }
    (award,) = release["awards"]
    assert award["suppliers"] == [{"id": "GB-CHC-1099999", "name": "Acorn Housing Trust"}]
    (contract,) = release["contracts"]
    # 1 April 2006 to 31 March 2007 is 12 whole months: £30,000 × 12 ÷ 12.
    assert contract["value"] == award["value"] == {"amount": 30000.0, "currency": "GBP"}
    assert contract["period"] == {"startDate": "2006-03-31T23:00:00Z", "endDate": "2007-03-30T23:00:00Z"}
    assert [item["id"] for item in contract["items"]] == ["accommodation", "ete"]
    assert contract["description"] == (
        "Prime: Acorn Housing Trust (charity 1099999), £30,000.00 a year. "
        "Sub-contract from Acorn Housing Trust to Calder Mentoring (company 04567890): £4,500.50 a year."
    )
    assert contract["documents"][0]["id"] == "sub-contract-GB-COH-04567890"
    assert contract["status"] == "terminated"


def test_values_of_part_months_and_open_ended_contracts(cast, contracts, tmp_path):
    by_reference = {r["contracts"][0]["id"]: r["contracts"][0] for r in exported(tmp_path)["releases"]}

    # 1 to 15 June 2006 is 15 days: £12,000 × 15 ÷ 365 = £493.150..., £493.15.
    assert by_reference["SY-DAYS"]["value"]["amount"] == 493.15
    # No end: one year's value, and the description says so.
    assert by_reference["WY-OPEN"]["value"]["amount"] == 7000.0
    assert by_reference["WY-OPEN"]["period"] == {"startDate": "2006-09-30T23:00:00Z"}
    assert by_reference["WY-OPEN"]["description"].endswith("Open-ended: the value given is one year's.")


def test_a_contracts_status_is_that_of_the_day_of_the_export(cast, contracts):
    on = timezone.make_aware(datetime.datetime(2006, 6, 10, 12))
    releases = {
        r["contracts"][0]["id"]: r for r in ocds_contracts.releases(ocds_contracts.published_contracts(), now=on)
    }

    assert releases["SY-DAYS"]["contracts"][0]["status"] == "active"
    assert releases["SY-YEAR"]["contracts"][0]["status"] == "active"
    assert releases["WY-OPEN"]["contracts"][0]["status"] == "pending"


def test_the_package_streams_in_pieces_that_join_to_one_document(cast, contracts, monkeypatch):
    monkeypatch.setattr(ocds_contracts, "PIECE", 1)
    pieces = list(ocds_contracts.package_chunks(ocds_contracts.published_contracts(), uri=f"{BASE}/c.json"))

    assert len(pieces) == 5  # the head, a piece per release, the tail
    package = json.loads("".join(pieces))
    assert_valid_package(package)
    assert len(package["releases"]) == 3


def test_no_published_contract_is_an_error_and_no_file(cast, tmp_path):
    ContractFactory.create(reference="SY-HIDDEN", commissioner=cast.sypa, prime=cast.charity, published=False)
    with pytest.raises(CommandError, match="no contract is published"):
        call_command("export_ocds", "--contracts", "--out", str(tmp_path / "none.json"), stderr=io.StringIO())
    assert list(tmp_path.iterdir()) == []
