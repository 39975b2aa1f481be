"""Bob, South Yorkshire's contracts manager, types the worst things into every contract form.

Whatever he sends, he gets his form back with a GOV.UK error summary and nothing saved, or a clean
save with one audit event; never a server error, never his markup echoed back unescaped. Anyone,
signed out included, can do the same to the contract list's filters and its CSV.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stepchange.contracts.models import Contract
from stepchange.core.audit import snapshot
from tests.factories import ContractFactory, SubContractFactory
from tests.fixture_types import ClientFor
from tests.hostile.checks import (
    assert_escaped,
    assert_not_a_server_error,
    assert_refused_or_saved,
    rolled_back,
    row_counts,
)
from tests.hostile.strategies import NASTY_TEXT, form_data, hostile_text
from tests.hostile.tally import Tally
from tests.personas import Cast

pytestmark = pytest.mark.django_db


@pytest.fixture
def bob(cast: Cast, client_for: ClientFor):
    return client_for(cast.bob)


@pytest.fixture
def contract(cast: Cast):
    return ContractFactory.create(
        reference="SYPA-0001",
        commissioner=cast.sypa,
        prime=cast.charity,
        annual_value=Decimal("50000.00"),
        pathways=["accommodation"],
    )


def contract_fields(cast: Any, *, version: int | None = None) -> dict[str, tuple[str, Any]]:
    fields: dict[str, tuple[str, Any]] = {
        "reference": ("text", "SYPA-0999"),
        "title": ("text", "Floating support for women leaving custody"),
        "commissioner": ("choice", str(cast.sypa.pk)),
        "prime": ("choice", str(cast.charity.pk)),
        "pathways": ("choice", ["accommodation", "ete"]),
        "annual_value": ("number", "24500.50"),
        "start": ("date", "1/4/2006"),
        "end": ("date", "31/3/2007"),
        "funding_source": ("choice", "main_grant"),
        "funder": ("text", ""),
        "kind": ("choice", "contract"),
        "published": ("text", ""),
        "notes": ("text", "Started after the bail scheme"),
    }
    if version is not None:
        fields["version"] = ("number", str(version))
    return fields


@given(data=st.data())
def test_bob_adds_a_contract_with_hostile_values(cast: Cast, bob, tally: Tally, data) -> None:
    sent = data.draw(form_data(contract_fields(cast)))
    tally.add()
    with rolled_back():
        before = row_counts()
        response = bob.post("/contracts/new/", sent)
        adds = {"contracts.Contract": 1, "contracts.Contract_pathways": len(set(sent["pathways"]))}
        assert_refused_or_saved(response, sent, before=before, saved_adds=adds)
        if response.status_code == 302:
            saved = Contract.objects.get(reference=sent["reference"].strip())
            assert saved.title == sent["title"].strip()
            assert_escaped(bob.get(f"/contracts/{saved.pk}/"), sent)


@given(data=st.data())
def test_bob_changes_a_contract_with_hostile_values(cast: Cast, bob, contract, tally: Tally, data) -> None:
    sent = data.draw(form_data(contract_fields(cast, version=contract.version)))
    sent["reference"] = sent["reference"] if sent["reference"] != "SYPA-0999" else contract.reference
    tally.add()
    with rolled_back():
        before, record_before = row_counts(), snapshot(Contract.objects.get(pk=contract.pk))
        response = bob.post(f"/contracts/{contract.pk}/edit/", sent)
        adds = {"contracts.Contract_pathways": len(set(sent["pathways"])) - 1}
        assert_refused_or_saved(
            response, sent, before=before, saved_adds=adds, record=contract, record_before=record_before
        )


@given(data=st.data())
def test_bob_adds_a_sub_contract_with_hostile_values(cast: Cast, bob, contract, tally: Tally, data) -> None:
    sent = data.draw(
        form_data(
            {
                "partner": ("choice", str(cast.company.pk)),
                "value": ("number", "1200"),
                "version": ("number", str(contract.version)),
            }
        )
    )
    tally.add()
    with rolled_back():
        before = row_counts()
        response = bob.post(f"/contracts/{contract.pk}/sub-contracts/new/", sent)
        assert_refused_or_saved(response, sent, before=before, saved_adds={"contracts.SubContract": 1})


@given(junk=st.dictionaries(st.sampled_from(["partner", "value", "version", "confirm"]), hostile_text(), max_size=3))
def test_a_sub_contract_removal_ignores_whatever_else_is_posted_with_it(
    cast: Cast, bob, contract, tally: Tally, junk
) -> None:
    tally.add()
    with rolled_back():
        sub = SubContractFactory.create(contract=contract, partner=cast.company)
        response = bob.post(f"/contracts/{contract.pk}/sub-contracts/{sub.pk}/remove/", junk)
        assert response.status_code == 302
        assert not contract.sub_contracts.exists()


def list_filters() -> st.SearchStrategy[dict[str, Any]]:
    return form_data(
        {
            "commissioner": ("choice", "SYPA"),
            "pathway": ("choice", "accommodation"),
            "sector": ("choice", "vcs"),
            "funding": ("choice", "main_grant"),
            "live_on": ("date", "1/10/2006"),
            "region": ("choice", "YH"),
            "commissioner_kind": ("choice", "probation"),
            "counts": ("choice", "yes"),
            "funder": ("text", "Not named"),
            "sort": ("choice", "-value"),
            "page": ("choice", "1"),
        }
    )


@pytest.mark.parametrize("who", ["signed out", "bob"])
@given(sent=list_filters())
def test_the_contract_list_and_its_downloads_take_any_filters(
    cast: Cast, client_for: ClientFor, contract, tally: Tally, who, sent
) -> None:
    visitor = client_for(None if who == "signed out" else cast.bob)
    tally.add(3)
    page = visitor.get("/contracts/", sent)
    download = visitor.get("/contracts.csv", sent)
    workbook = visitor.get("/contracts.xlsx", sent)

    assert_not_a_server_error(page)
    assert page.status_code == 200
    assert_escaped(page, sent)
    assert_not_a_server_error(download)
    assert_not_a_server_error(workbook)
    if page.context["form"].errors:
        # A filter the page explains is refused by a download, with the reason, never widened.
        for refused in (download, workbook):
            assert refused.status_code == 400 and refused["Content-Type"].startswith("text/plain")
        return
    assert download.status_code == 200
    # The download is streamed: it is read to the end, so a fault while writing it fails here too.
    assert download.getvalue().startswith(b"reference,title,")
    assert workbook.status_code == 200
    assert workbook.getvalue().startswith(b"PK")


@given(
    raw=st.sampled_from(["commissioner=%FF%FE", "pathway=%C0%AF", "live_on=%00", "sort=%E2%80%AE-value", "page=%ff"])
)
def test_the_contract_list_takes_a_query_string_that_is_not_even_utf8(
    cast: Cast, client_for: ClientFor, contract, tally: Tally, raw
) -> None:
    tally.add()
    assert client_for(cast.bob).get("/contracts/?" + raw).status_code == 200


def test_the_nasty_text_is_all_tried_on_the_title(cast: Cast, bob, tally: Tally) -> None:
    """Every fixed troublemaker, whatever hypothesis draws, reaches the title of a new contract."""
    good = {name: value for name, (_kind, value) in contract_fields(cast).items()}
    outcomes = []
    for n, title in enumerate(NASTY_TEXT):
        sent = {**good, "reference": f"SYPA-H{n}", "title": title}
        tally.add()
        with rolled_back():
            before = row_counts()
            response = bob.post("/contracts/new/", sent)
            adds = {"contracts.Contract": 1, "contracts.Contract_pathways": 2}
            outcomes.append(assert_refused_or_saved(response, sent, before=before, saved_adds=adds))
            if response.status_code == 302:
                assert_escaped(bob.get(response["Location"]), sent)
    # Markup, SQL and other scripts are saved as the text they are; NUL bytes, blanks (empty or a space) and
    # 10,000 characters are refused.
    assert outcomes.count("refused") == 6
    assert outcomes.count("saved") == len(NASTY_TEXT) - 6
