"""A database error in the middle of a multi-step service leaves nothing behind.

Each service writes a row, then its many-to-many rows or other rows, then its audit event, in one
transaction. Here the database fails at one of the later steps (the audit event, or the bulk insert
behind a many-to-many ``set``), and every table is as it was: no half-made contract without its
pathways, no changed profile without its audit event.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.db import DatabaseError
from django.db.models import QuerySet

from stepchange.accounts import services as account_services
from stepchange.contracts import services as contract_services
from stepchange.contracts.models import Contract
from stepchange.core.audit import snapshot
from stepchange.core.models import AuditEvent, Pathway
from stepchange.manage import services as manage_services
from stepchange.organisations import services as organisation_services
from tests.factories import ContractFactory, MainGrantFactory, SubContractFactory, year
from tests.fixture_types import ClientFor
from tests.hostile.checks import row_counts
from tests.personas import Cast

pytestmark = pytest.mark.django_db


def fail_at_the_audit_event(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*args: Any, **kwargs: Any) -> None:
        raise DatabaseError("disk full while writing the audit event")

    monkeypatch.setattr(AuditEvent.objects, "create", fail)


def fail_at_bulk_insert(monkeypatch: pytest.MonkeyPatch) -> None:
    """Many-to-many ``set`` and ``add`` insert their rows with bulk_create."""

    def fail(*args: Any, **kwargs: Any) -> None:
        raise DatabaseError("connection lost during the many-to-many insert")

    monkeypatch.setattr(QuerySet, "bulk_create", fail)


FAILURES = {"audit event": fail_at_the_audit_event, "many-to-many insert": fail_at_bulk_insert}


def assert_nothing_changed(call: Callable[[], Any], *, records: list[Any]) -> None:
    before = row_counts()
    states = [snapshot(type(r)._default_manager.get(pk=r.pk)) for r in records]
    with pytest.raises(DatabaseError):
        call()
    assert row_counts() == before
    assert [snapshot(type(r)._default_manager.get(pk=r.pk)) for r in records] == states


@pytest.mark.parametrize("failure", sorted(FAILURES))
def test_bobs_new_contract_with_pathways_is_not_half_made(cast: Cast, monkeypatch: pytest.MonkeyPatch, failure) -> None:
    FAILURES[failure](monkeypatch)

    assert_nothing_changed(
        lambda: contract_services.contract_create(
            actor=cast.bob,
            reference="SYPA-0100",
            title="Floating support",
            commissioner=cast.sypa,
            prime=cast.charity,
            annual_value=Decimal("24500"),
            start=datetime.date(2006, 4, 1),
            pathways=["accommodation", "ete"],
        ),
        records=[],
    )
    assert not Contract.objects.filter(reference="SYPA-0100").exists()


@pytest.mark.parametrize("failure", sorted(FAILURES))
def test_bobs_contract_change_with_new_pathways_is_all_or_nothing(
    cast: Cast, monkeypatch: pytest.MonkeyPatch, failure
) -> None:
    contract = ContractFactory.create(commissioner=cast.sypa, prime=cast.charity, pathways=["health"])
    FAILURES[failure](monkeypatch)

    assert_nothing_changed(
        lambda: contract_services.contract_update(
            actor=cast.bob,
            contract=contract,
            expected_version=contract.version,
            reference=contract.reference,
            title="Renamed",
            commissioner=cast.sypa,
            prime=cast.charity,
            annual_value=Decimal("99"),
            start=contract.start,
            pathways=["accommodation", "ete"],
        ),
        records=[contract],
    )
    assert list(contract.pathways.values_list("code", flat=True)) == ["health"]


def test_a_sub_contract_added_and_removed_leaves_nothing_when_the_audit_fails(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    contract = ContractFactory.create(commissioner=cast.sypa, prime=cast.charity, annual_value=Decimal("50000"))
    existing = SubContractFactory.create(
        contract=contract,
        partner=cast.company,
        value=Decimal("1000"),
    )
    partner = ContractFactory.create().prime
    fail_at_the_audit_event(monkeypatch)

    assert_nothing_changed(
        lambda: contract_services.sub_contract_add(
            actor=cast.bob, contract=contract, partner=partner, value=Decimal("2000"), expected_version=contract.version
        ),
        records=[contract],
    )
    assert_nothing_changed(
        lambda: contract_services.sub_contract_remove(actor=cast.bob, sub_contract=existing), records=[contract]
    )


@pytest.mark.parametrize("failure", sorted(FAILURES))
def test_daves_profile_with_new_pathways_is_saved_whole_or_not_at_all(
    cast: Cast, monkeypatch: pytest.MonkeyPatch, failure
) -> None:
    charity = cast.charity
    charity.pathways_served.set(Pathway.objects.filter(code="health"))
    FAILURES[failure](monkeypatch)

    assert_nothing_changed(
        lambda: organisation_services.organisation_update(
            actor=cast.dave,
            organisation=charity,
            expected_version=charity.version,
            fields={
                "description": "Housing advice",
                "pathways_served": list(Pathway.objects.filter(code__in=["accommodation", "fbd"])),
                "areas_served": [cast.sypa],
            },
        ),
        records=[charity],
    )
    assert list(charity.pathways_served.values_list("code", flat=True)) == ["health"]


def test_the_management_services_leave_nothing_when_the_audit_fails(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    grant = MainGrantFactory.create(commissioner=cast.sypa, final=Decimal("19000000"))
    fail_at_the_audit_event(monkeypatch)

    assert_nothing_changed(
        lambda: manage_services.main_grant_create(
            actor=cast.alice, commissioner=cast.wypa, year=year(), indicative=Decimal("30000000"), final=None
        ),
        records=[],
    )
    assert_nothing_changed(
        lambda: manage_services.main_grant_update(
            actor=cast.alice, grant=grant, expected_version=1, indicative=None, final=Decimal("1")
        ),
        records=[grant],
    )
    assert_nothing_changed(
        lambda: manage_services.pathway_create(actor=cast.alice, name="Women", short_name="W", order=40), records=[]
    )
    assert_nothing_changed(
        lambda: manage_services.probation_return_record(
            actor=cast.alice, commissioner=cast.sypa, as_at=datetime.date(2006, 10, 1)
        ),
        records=[],
    )
    assert_nothing_changed(
        lambda: account_services.user_update(
            actor=cast.alice,
            account=cast.bob,
            expected_version=cast.bob.version,
            first_name="Robert",
            last_name="",
            role=cast.bob.role,
            organisation=cast.sypa.organisation,
            region=None,
            is_active=False,
        ),
        records=[cast.bob],
    )


def test_bob_sees_the_error_page_and_no_contract_when_the_database_fails_mid_save(
    cast: Cast, client_for: ClientFor, monkeypatch: pytest.MonkeyPatch
) -> None:
    bob = client_for(cast.bob)
    bob.raise_request_exception = False
    fail_at_bulk_insert(monkeypatch)
    before = row_counts()

    response = bob.post(
        "/contracts/new/",
        {
            "reference": "SYPA-0100",
            "title": "Floating support",
            "commissioner": cast.sypa.pk,
            "prime": cast.charity.pk,
            "pathways": ["accommodation"],
            "annual_value": "24500",
            "start": "1/4/2006",
            "funding_source": "main_grant",
            "kind": "contract",
        },
    )

    assert response.status_code in (500, 503)
    assert b"Traceback" not in response.content and b"bulk" not in response.content
    assert row_counts() == before
