"""The demo's contracts are published: someone signed out reads them on /contracts/ (without
their notes), and ``export_ocds --contracts`` writes each as a valid OCDS release. A contract that
is not published shows nowhere a signed-out visitor can look."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.test import Client

from stepchange.accounts.models import User
from stepchange.contracts.models import Contract
from stepchange.demo.contracts import NOTES
from tests.commissioning.ocds_schema import assert_valid_package
from tests.factories import ContractFactory

pytestmark = pytest.mark.usefixtures("db")


def test_every_demo_contract_is_published(demo: str) -> None:
    demo_contracts = Contract.objects.filter(reference__startswith="DEMO-")
    assert demo_contracts.count() > 100
    assert not demo_contracts.filter(published=False).exists()


def test_someone_signed_out_reads_the_demo_contracts_but_not_their_notes(demo: str) -> None:
    hidden = ContractFactory.create(
        reference="YH-PRIVATE", title="Unpublished mentoring pilot", notes="Internal: price under review"
    )
    visitor = Client()
    listing = visitor.get("/contracts/")
    assert listing.status_code == 200
    shown = Contract.objects.filter(published=True).count()
    assert f"{shown} contract" in listing.content.decode()
    assert "Unpublished mentoring pilot" not in listing.content.decode()
    everything = visitor.get("/contracts.csv").getvalue().decode()
    assert everything.count("\n") == shown + 1  # a header and one line each
    assert "YH-PRIVATE" not in everything

    contract = Contract.objects.filter(reference__startswith="DEMO-").first()
    assert contract is not None
    page = visitor.get(f"/contracts/{contract.pk}/").content.decode()
    assert contract.title in page
    assert NOTES[:40] not in page
    assert "History" not in page
    assert visitor.get(f"/contracts/{hidden.pk}/").status_code == 404


def test_the_regional_commissioner_still_reads_the_notes(demo: str, client_for) -> None:
    client = client_for(User.objects.get(username="rom.commissioner"))
    contract = Contract.objects.filter(reference__startswith="DEMO-").first()
    assert contract is not None
    assert NOTES[:40] in client.get(f"/contracts/{contract.pk}/").content.decode()


def test_export_ocds_contracts_writes_the_demo_contracts(demo: str, tmp_path) -> None:
    ContractFactory.create(reference="YH-PRIVATE", published=False)
    out = tmp_path / "contracts.json"
    err = io.StringIO()
    call_command(
        "export_ocds", "--contracts", "--out", str(out), "--base-url", "https://stepchange.example", stderr=err
    )
    package = json.loads(out.read_text(encoding="utf-8"))

    assert_valid_package(package)
    published = Contract.objects.filter(published=True).count()
    assert len(package["releases"]) == published
    assert f"{published} contract releases written" in err.getvalue()
    assert "YH-PRIVATE" not in out.read_text(encoding="utf-8")
    assert NOTES[:40] not in out.read_text(encoding="utf-8")
