"""Bob's contract page: its details, its sub-contracts with totals, and the history of every change."""

import datetime
from decimal import Decimal

import pytest

from stepchange.contracts.models import SubContract
from stepchange.contracts.services import contract_create, contract_update
from stepchange.core.models import AuditEvent
from tests.factories import OrganisationFactory


@pytest.fixture
def contract(cast):
    # £20,000 a year for South Yorkshire, held by Acorn Housing Trust.
    return contract_create(
        actor=cast.bob,
        reference="SYPA-9",
        title="Debt advice",
        commissioner=cast.sypa,
        prime=cast.charity,
        annual_value=Decimal("20000"),
        start=datetime.date(2006, 4, 1),
        end=datetime.date(2007, 3, 31),
        pathways=["fbd"],
    )


def test_the_detail_page_shows_the_summary_and_totals(cast, client_for, contract):
    partner = OrganisationFactory.create(name="Small Steps")
    bob = client_for(cast.bob)
    bob.post(f"/contracts/{contract.pk}/sub-contracts/new/", {"partner": partner.pk, "value": "5,000", "version": 1})

    html = bob.get(f"/contracts/{contract.pk}/").content.decode()

    for words in (
        "Debt advice",
        '<dd class="govuk-summary-list__value">South Yorkshire Probation Area</dd>',  # a name, not its code
        "Acorn Housing Trust (Voluntary and community sector)",
        "Finance, Benefit &amp; Debt",
        "£20,000.00",
        "1 April 2006",
        "31 March 2007",
        "Main grant",
        "Small Steps",
        "£5,000.00",
        # Kept by the prime: £20,000 − £5,000 = £15,000.
        "£15,000.00",
    ):
        assert words in html, words


def test_the_history_says_who_changed_what_from_what_to_what(cast, client_for, contract):
    contract_update(
        actor=cast.alice,
        contract=contract,
        expected_version=1,
        reference="SYPA-9",
        title="Debt and benefits advice",
        commissioner=cast.sypa,
        prime=cast.charity,
        annual_value=Decimal("22500"),
        start=datetime.date(2006, 4, 1),
        end=datetime.date(2007, 3, 31),
        pathways=["fbd", "ete"],
    )

    response = client_for(cast.bob).get(f"/contracts/{contract.pk}/")

    history = response.context["history"]
    assert [entry["action"] for entry in history] == ["Changed", "Added"]
    assert history[0]["actor"] == cast.alice
    assert {(c["field"], c["before"], c["after"]) for c in history[0]["changes"]} == {
        ("Title", "Debt advice", "Debt and benefits advice"),
        ("Annual value", "£20,000.00", "£22,500.00"),
        ("Pathways", "Finance, Benefit & Debt", "Education, Training & Employment; Finance, Benefit & Debt"),
    }
    assert "£20,000.00 → £22,500.00" in response.content.decode()


def test_bob_adds_a_sub_contract_and_it_is_audited(cast, client_for, contract):
    partner = OrganisationFactory.create(name="Small Steps")
    bob = client_for(cast.bob)

    form = bob.get(f"/contracts/{contract.pk}/sub-contracts/new/")
    assert form.status_code == 200
    # The prime is not offered as its own partner.
    assert cast.charity not in form.context["form"].fields["partner"].queryset

    response = bob.post(
        f"/contracts/{contract.pk}/sub-contracts/new/", {"partner": partner.pk, "value": "5000", "version": 1}
    )

    assert response.status_code == 302
    assert SubContract.objects.get(contract=contract).value == Decimal("5000")
    contract.refresh_from_db()
    assert contract.version == 2
    assert AuditEvent.objects.filter(action="sub_contract_add", object_id=str(contract.pk)).count() == 1


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("20000.01", "more than the contract&#x27;s annual value of £20,000.00"),
        ("-1", "The sub-contract value cannot be negative"),
        ("five", "Enter the sub-contract value as a number of pounds, like 24500 or 24500.50"),
    ],
)
def test_a_sub_contract_that_breaks_a_rule_is_refused(cast, client_for, contract, value, message):
    partner = OrganisationFactory.create(name="Small Steps")
    events = AuditEvent.objects.count()

    response = client_for(cast.bob).post(
        f"/contracts/{contract.pk}/sub-contracts/new/", {"partner": partner.pk, "value": value, "version": 1}
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not SubContract.objects.exists()
    assert AuditEvent.objects.count() == events


def test_the_prime_cannot_be_posted_as_its_own_partner(cast, client_for, contract):
    response = client_for(cast.bob).post(
        f"/contracts/{contract.pk}/sub-contracts/new/", {"partner": cast.charity.pk, "value": "1", "version": 1}
    )
    assert "Choose a partner from the list" in response.content.decode()
    assert not SubContract.objects.exists()


def test_removing_a_sub_contract_asks_first_then_removes_it(cast, client_for, contract):
    partner = OrganisationFactory.create(name="Small Steps")
    bob = client_for(cast.bob)
    bob.post(f"/contracts/{contract.pk}/sub-contracts/new/", {"partner": partner.pk, "value": "5000", "version": 1})
    sub = SubContract.objects.get(contract=contract)
    url = f"/contracts/{contract.pk}/sub-contracts/{sub.pk}/remove/"

    confirm = bob.get(url)
    assert "Remove the sub-contract with Small Steps?" in confirm.content.decode()
    assert SubContract.objects.filter(pk=sub.pk).exists()

    # Carol cannot remove it, nor learn it exists.
    assert client_for(cast.carol).post(url).status_code == 404
    assert SubContract.objects.filter(pk=sub.pk).exists()

    response = bob.post(url, follow=True)
    assert "Sub-contract with Small Steps removed" in response.content.decode()
    assert not SubContract.objects.filter(pk=sub.pk).exists()
    assert response.context["history"][0]["action"] == "Sub-contract removed"


def test_a_sub_contract_added_meanwhile_makes_an_open_edit_form_stale(cast, client_for, contract):
    bob, alice = client_for(cast.bob), client_for(cast.alice)
    assert 'name="version" value="1"' in bob.get(f"/contracts/{contract.pk}/edit/").content.decode()
    alice.post(
        f"/contracts/{contract.pk}/sub-contracts/new/",
        {"partner": OrganisationFactory.create().pk, "value": "100", "version": 1},
    )

    response = bob.post(
        f"/contracts/{contract.pk}/edit/",
        {
            "reference": "SYPA-9",
            "title": "Bob's late change",
            "commissioner": cast.sypa.pk,
            "prime": cast.charity.pk,
            "annual_value": "20000",
            "start": "1/4/2006",
            "funding_source": "main_grant",
            "kind": "contract",
            "version": "1",
        },
    )

    assert "Someone else changed this record while you were editing it" in response.content.decode()
    contract.refresh_from_db()
    assert contract.title == "Debt advice"
