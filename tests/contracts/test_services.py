"""The contract services keep the rules themselves, whoever calls them, and leave an audit event.

Bob manages South Yorkshire (SYPA); Carol West Yorkshire (WYPA); Alice the whole region.
"""

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from stepchange.contracts.models import Contract, FundingSource, SubContract
from stepchange.contracts.services import contract_create, contract_update, sub_contract_add, sub_contract_remove
from stepchange.core.concurrency import StaleEdit
from stepchange.core.models import AuditEvent
from tests.factories import ContractFactory, OrganisationFactory, SubContractFactory


def before_of(event: AuditEvent) -> dict[str, Any]:
    return event.before or {}


def after_of(event: AuditEvent) -> dict[str, Any]:
    return event.after or {}


def details(cast, **overrides):
    data = {
        "reference": "SYPA-001",
        "title": "Accommodation advice",
        "commissioner": cast.sypa,
        "prime": cast.charity,
        "annual_value": Decimal("24500.00"),
        "start": datetime.date(2006, 4, 1),
        "end": datetime.date(2007, 3, 31),
        "funding_source": FundingSource.MAIN_GRANT,
        "pathways": ["accommodation", "fbd"],
    }
    data.update(overrides)
    return data


class Counts:
    """Rows and audit events before an attempt, to show that a refusal saved nothing."""

    def __init__(self):
        self.contracts = Contract.objects.count()
        self.sub_contracts = SubContract.objects.count()
        self.events = AuditEvent.objects.count()

    def unchanged(self):
        return (Contract.objects.count(), SubContract.objects.count(), AuditEvent.objects.count()) == (
            self.contracts,
            self.sub_contracts,
            self.events,
        )


def test_bob_creates_a_contract_and_the_audit_event_holds_it(cast):
    contract = contract_create(actor=cast.bob, **details(cast))

    assert contract.version == 1
    assert sorted(contract.pathways.values_list("code", flat=True)) == ["accommodation", "fbd"]
    event = AuditEvent.objects.get(object_type="contracts.contract", object_id=str(contract.pk))
    assert event.actor == cast.bob
    assert event.action == "contract_create"
    assert event.before is None
    assert after_of(event)["annual_value"] == "24500.00"
    assert after_of(event)["commissioner"] == "SYPA"
    assert after_of(event)["pathways"] == ["Accommodation", "Finance, Benefit & Debt"]


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"end": datetime.date(2006, 3, 31)}, "end", "same as or after the start date"),
        ({"annual_value": Decimal("-1")}, "annual_value", "cannot be negative"),
        ({"pathways": ["accommodation", "knitting"]}, "pathways", "“knitting” is not a pathway"),
        ({"start": datetime.date(1980, 3, 31), "end": None}, "start", "too far back or ahead"),
        ({"start": datetime.date(2099, 4, 1), "end": None}, "start", "too far back or ahead"),
        ({"funding_source": FundingSource.CO_COMMISSIONED, "funder": " "}, "funder", "Enter the funder"),
        ({"commissioner_code": "WYPA"}, "commissioner", "choose a commissioner you manage"),
    ],
)
def test_bad_contracts_are_refused_with_a_reason_and_nothing_saved(cast, overrides, field, words):
    if overrides.pop("commissioner_code", None):
        overrides["commissioner"] = cast.wypa
    before = Counts()

    with pytest.raises(ValidationError) as refused:
        contract_create(actor=cast.bob, **details(cast, **overrides))

    assert words in " ".join(refused.value.message_dict[field])
    assert before.unchanged()


def test_a_reference_is_used_once(cast):
    contract_create(actor=cast.bob, **details(cast))
    before = Counts()
    with pytest.raises(ValidationError) as refused:
        contract_create(actor=cast.alice, **details(cast, reference="sypa-001"))
    assert "already in use" in refused.value.message_dict["reference"][0]
    assert before.unchanged()


def test_an_update_records_before_and_after(cast):
    contract = contract_create(actor=cast.bob, **details(cast))

    contract_update(
        actor=cast.alice,
        contract=contract,
        expected_version=1,
        **details(cast, annual_value=Decimal("30000"), pathways=["accommodation"]),
    )

    contract.refresh_from_db()
    assert contract.version == 2
    assert contract.annual_value == Decimal("30000.00")
    event = AuditEvent.objects.filter(action="contract_update").get()
    assert event.actor == cast.alice
    assert before_of(event)["annual_value"] == "24500.00"
    assert after_of(event)["annual_value"] == "30000.00"
    assert before_of(event)["pathways"] == ["Accommodation", "Finance, Benefit & Debt"]
    assert after_of(event)["pathways"] == ["Accommodation"]


def test_a_stale_update_is_refused_and_changes_nothing(cast):
    contract = contract_create(actor=cast.bob, **details(cast))
    contract_update(actor=cast.alice, contract=contract, expected_version=1, **details(cast, title="Alice's title"))
    before = Counts()

    with pytest.raises(StaleEdit):
        contract_update(actor=cast.bob, contract=contract, expected_version=1, **details(cast, title="Bob's title"))

    contract.refresh_from_db()
    assert contract.title == "Alice's title"
    assert contract.version == 2
    assert before.unchanged()


def test_carol_cannot_update_bobs_contract_even_through_the_service(cast):
    contract = contract_create(actor=cast.bob, **details(cast))
    with pytest.raises(PermissionDenied):
        contract_update(actor=cast.carol, contract=contract, expected_version=1, **details(cast))


def test_bob_cannot_move_a_contract_to_west_yorkshire(cast):
    contract = contract_create(actor=cast.bob, **details(cast))
    with pytest.raises(ValidationError) as refused:
        contract_update(actor=cast.bob, contract=contract, expected_version=1, **details(cast, commissioner=cast.wypa))
    assert "commissioner" in refused.value.message_dict
    contract.refresh_from_db()
    assert contract.commissioner == cast.sypa


class TestSubContracts:
    @pytest.fixture
    def contract(self, cast):
        # £10,000 a year, held by Acorn Housing Trust for South Yorkshire.
        return ContractFactory.create(commissioner=cast.sypa, prime=cast.charity, annual_value=Decimal("10000"))

    def test_adding_one_bumps_the_contract_version_and_is_audited(self, cast, contract):
        partner = OrganisationFactory.create(name="Small Steps")

        sub_contract_add(actor=cast.bob, contract=contract, partner=partner, value=Decimal("4000"))

        contract.refresh_from_db()
        assert contract.version == 2
        event = AuditEvent.objects.get(action="sub_contract_add")
        assert event.object_id == str(contract.pk)
        assert before_of(event)["sub_contracts"] == []
        assert after_of(event)["sub_contracts"] == ["Small Steps: £4,000.00"]

    def test_the_prime_cannot_sub_contract_to_itself(self, cast, contract):
        before = Counts()
        with pytest.raises(ValidationError) as refused:
            sub_contract_add(actor=cast.bob, contract=contract, partner=cast.charity, value=Decimal("1"))
        assert "is the prime provider" in refused.value.message_dict["partner"][0]
        assert before.unchanged()

    def test_a_partner_appears_once(self, cast, contract):
        partner = OrganisationFactory.create(name="Small Steps")
        sub_contract_add(actor=cast.bob, contract=contract, partner=partner, value=Decimal("1000"))
        before = Counts()
        with pytest.raises(ValidationError) as refused:
            sub_contract_add(actor=cast.bob, contract=contract, partner=partner, value=Decimal("1000"))
        assert "already has a sub-contract" in refused.value.message_dict["partner"][0]
        assert before.unchanged()

    def test_sub_contracts_cannot_add_up_to_more_than_the_contract(self, cast, contract):
        # £6,000 + £4,000 = £10,000 fits exactly; one more pound does not.
        sub_contract_add(actor=cast.bob, contract=contract, partner=OrganisationFactory.create(), value=Decimal("6000"))
        sub_contract_add(actor=cast.bob, contract=contract, partner=OrganisationFactory.create(), value=Decimal("4000"))
        before = Counts()
        with pytest.raises(ValidationError) as refused:
            sub_contract_add(
                actor=cast.bob, contract=contract, partner=OrganisationFactory.create(), value=Decimal("1")
            )
        assert "At most £0.00 is left" in refused.value.message_dict["value"][0]
        assert before.unchanged()

    def test_a_negative_value_is_refused(self, cast, contract):
        with pytest.raises(ValidationError) as refused:
            sub_contract_add(
                actor=cast.bob, contract=contract, partner=OrganisationFactory.create(), value=Decimal("-5")
            )
        assert "cannot be negative" in refused.value.message_dict["value"][0]

    def test_the_contract_value_cannot_drop_below_its_sub_contracts(self, cast, contract):
        SubContractFactory.create(contract=contract, value=Decimal("6000"))
        with pytest.raises(ValidationError) as refused:
            contract_update(
                actor=cast.bob,
                contract=contract,
                expected_version=1,
                **details(cast, annual_value=Decimal("5000"), reference=contract.reference),
            )
        assert "£6,000.00" in refused.value.message_dict["annual_value"][0]

    def test_removing_one_is_audited(self, cast, contract):
        sub = SubContractFactory.create(contract=contract, partner=OrganisationFactory.create(name="Small Steps"))

        sub_contract_remove(actor=cast.alice, sub_contract=sub)

        assert not SubContract.objects.filter(pk=sub.pk).exists()
        contract.refresh_from_db()
        assert contract.version == 2
        event = AuditEvent.objects.get(action="sub_contract_remove")
        assert before_of(event)["sub_contracts"] == ["Small Steps: £1,000.00"]
        assert after_of(event)["sub_contracts"] == []

    def test_carol_cannot_touch_south_yorkshire_sub_contracts(self, cast, contract):
        sub = SubContractFactory.create(contract=contract)
        with pytest.raises(PermissionDenied):
            sub_contract_remove(actor=cast.carol, sub_contract=sub)
        with pytest.raises(PermissionDenied):
            sub_contract_add(
                actor=cast.carol, contract=contract, partner=OrganisationFactory.create(), value=Decimal("1")
            )
        assert SubContract.objects.filter(pk=sub.pk).exists()
