"""Adding and changing contracts through the pages, as Bob, Carol and Alice do it.

Every refusal is checked twice: the person sees why, and nothing was saved (no row, no audit event).
"""

import datetime
from decimal import Decimal

import pytest

from stepchange.contracts.models import Contract, FundingSource
from stepchange.core.concurrency import StaleEdit
from stepchange.core.models import AuditEvent
from tests.factories import ContractFactory

NEW = "/contracts/new/"


def form_data(cast, **overrides):
    data = {
        "reference": "SYPA-100",
        "title": "Tenancy support",
        "commissioner": str(cast.sypa.pk),
        "prime": str(cast.charity.pk),
        "pathways": ["accommodation", "fbd"],
        "annual_value": "£24,500.50",
        "start": "1/4/2006",
        "end": "31/3/2007",
        "funding_source": FundingSource.MAIN_GRANT,
        "funder": "",
        "kind": "contract",
        "notes": "",
    }
    data.update(overrides)
    return data


def counts():
    return Contract.objects.count(), AuditEvent.objects.count()


def test_bob_adds_a_contract_for_south_yorkshire_and_sees_it(cast, client_for):
    bob = client_for(cast.bob)

    page = bob.get(NEW)
    assert page.status_code == 200
    # Bob manages one commissioner only, so it is chosen for him.
    assert f'<option value="{cast.sypa.pk}" selected>' in page.content.decode()
    assert list(page.context["form"].fields["commissioner"].queryset) == [cast.sypa]

    response = bob.post(NEW, form_data(cast), follow=True)

    contract = Contract.objects.get(reference="SYPA-100")
    assert response.redirect_chain == [(f"/contracts/{contract.pk}/", 302)]
    assert "Contract SYPA-100 added" in response.content.decode()
    assert contract.annual_value == Decimal("24500.50")
    assert contract.commissioner == cast.sypa
    assert contract.end == datetime.date(2007, 3, 31)
    assert "SYPA-100" in bob.get("/contracts/").content.decode()


def test_bob_cannot_pick_west_yorkshire_even_by_tampering_with_the_form(cast, client_for):
    before = counts()

    response = client_for(cast.bob).post(NEW, form_data(cast, commissioner=str(cast.wypa.pk)))

    assert response.status_code == 200
    assert "Choose a commissioner whose contracts you manage" in response.content.decode()
    assert counts() == before


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"start": "1/4/2006", "end": "31/3/2006"}, "The end date must be the same as or after the start date"),
        ({"annual_value": "-100"}, "The annual value cannot be negative"),
        ({"annual_value": "lots"}, "Enter the annual value as a number of pounds, like 24500 or 24500.50"),
        ({"annual_value": "12.345"}, "with at most 2 digits after the point"),
        ({"pathways": ["accommodation", "knitting"]}, "“knitting” is not a pathway"),
        ({"start": "31/3/1980", "end": ""}, "31 March 1980 is too far back or ahead: enter a date from 1 April 1980"),
        ({"start": "1/4/2099", "end": ""}, "1 April 2099 is too far back or ahead: enter a date from 1 April 1980"),
        ({"start": "31/2/2006"}, "Enter the start date as a real date"),
        ({"funding_source": FundingSource.CO_COMMISSIONED}, "Enter the funder of co-commissioned money"),
        ({"reference": ""}, "Enter the contract reference"),
    ],
)
def test_bad_input_is_explained_and_nothing_saved(cast, client_for, overrides, message):
    before = counts()

    response = client_for(cast.bob).post(NEW, form_data(cast, **overrides))

    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert message in html
    assert "<title>Error: " in html
    # What Bob typed is still there.
    assert 'value="Tenancy support"' in html
    assert counts() == before


def test_a_rule_only_the_service_knows_still_reaches_the_error_summary(cast, client_for):
    ContractFactory.create(reference="SYPA-100", commissioner=cast.sypa)
    before = counts()

    response = client_for(cast.bob).post(NEW, form_data(cast))

    assert "The reference SYPA-100 is already in use" in response.content.decode()
    assert counts() == before


class TestWhoMayWrite:
    @pytest.fixture
    def wypa_contract(self, cast):
        return ContractFactory.create(commissioner=cast.wypa, reference="WYPA-1", title="Carol's contract")

    def test_bob_gets_a_404_for_carols_contract(self, cast, client_for, wypa_contract):
        bob = client_for(cast.bob)
        assert bob.get(f"/contracts/{wypa_contract.pk}/").status_code == 404
        assert bob.get(f"/contracts/{wypa_contract.pk}/edit/").status_code == 404
        assert bob.post(f"/contracts/{wypa_contract.pk}/edit/", form_data(cast)).status_code == 404
        assert bob.get(f"/contracts/{wypa_contract.pk}/sub-contracts/new/").status_code == 404

    def test_a_provider_who_sees_a_contract_still_cannot_change_it(self, cast, client_for, wypa_contract):
        wypa_contract.prime = cast.charity
        wypa_contract.save()
        dave = client_for(cast.dave)
        assert dave.get(f"/contracts/{wypa_contract.pk}/").status_code == 200
        assert "Change this contract" not in dave.get(f"/contracts/{wypa_contract.pk}/").content.decode()
        assert dave.get(f"/contracts/{wypa_contract.pk}/edit/").status_code == 404
        assert dave.get(NEW).status_code == 404

    def test_signed_out_people_are_sent_to_sign_in(self, cast, client_for, wypa_contract):
        anon = client_for(None)
        for url in (NEW, f"/contracts/{wypa_contract.pk}/edit/", f"/contracts/{wypa_contract.pk}/sub-contracts/new/"):
            response = anon.get(url)
            assert response.status_code == 302
            assert response["Location"].startswith("/account/sign-in/")

    def test_alice_edits_any_contract_of_her_region(self, cast, client_for, wypa_contract):
        alice = client_for(cast.alice)
        page = alice.get(f"/contracts/{wypa_contract.pk}/edit/")
        assert page.status_code == 200
        assert 'value="Carol&#x27;s contract"' in page.content.decode()

        response = alice.post(
            f"/contracts/{wypa_contract.pk}/edit/",
            form_data(cast, reference="WYPA-1", commissioner=str(cast.wypa.pk), title="Renamed", version="1"),
        )

        assert response.status_code == 302
        wypa_contract.refresh_from_db()
        assert wypa_contract.title == "Renamed"
        assert wypa_contract.version == 2


def test_two_people_edit_one_contract_and_the_second_save_is_refused(cast, client_for):
    contract = ContractFactory.create(commissioner=cast.sypa, reference="SYPA-7", title="Original")
    url = f"/contracts/{contract.pk}/edit/"
    bob, alice = client_for(cast.bob), client_for(cast.alice)
    # Both open the form at version 1.
    assert 'name="version" value="1"' in bob.get(url).content.decode()
    assert 'name="version" value="1"' in alice.get(url).content.decode()

    first = alice.post(url, form_data(cast, reference="SYPA-7", title="Alice's change", version="1"))
    assert first.status_code == 302
    events_after_first = AuditEvent.objects.count()

    second = bob.post(url, form_data(cast, reference="SYPA-7", title="Bob's change", version="1"))

    html = second.content.decode()
    assert second.status_code == 200
    assert StaleEdit.message.replace("'", "&#x27;") in html
    assert 'value="Bob&#x27;s change"' in html  # what Bob typed is kept for him
    contract.refresh_from_db()
    assert contract.title == "Alice's change"
    assert contract.version == 2
    assert AuditEvent.objects.count() == events_after_first
