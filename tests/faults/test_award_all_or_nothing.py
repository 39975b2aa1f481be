"""An award is many writes (the contract, its pathways, a sub-contract per partner, the award, the
notices and their audit events); a database error half-way leaves none of them."""

from __future__ import annotations

import pytest
from django.db import DatabaseError

from stepchange.commissioning.models import Award
from stepchange.contracts import services as contract_services
from stepchange.contracts.models import Contract, SubContract
from stepchange.core.models import AuditEvent
from tests.commissioning.world import award_tender, build_tender


@pytest.mark.django_db
def test_alices_award_fails_at_the_first_sub_contract_and_leaves_no_contract(cast, monkeypatch) -> None:
    tender = build_tender(cast)
    contracts_before = Contract.objects.count()
    subs_before = SubContract.objects.count()

    def database_gone(**kwargs: object) -> None:
        raise DatabaseError("server closed the connection unexpectedly")

    # The award creates the contract first, then a sub-contract per confirmed member: fail there,
    # after the contract row and its audit event were written inside the award's transaction.
    monkeypatch.setattr(contract_services, "sub_contract_add", database_gone)
    audit_before = AuditEvent.objects.count()
    with pytest.raises(DatabaseError):
        award_tender(cast, tender)

    assert Award.objects.count() == 0
    assert Contract.objects.count() == contracts_before
    assert SubContract.objects.count() == subs_before
    assert not AuditEvent.objects.filter(action__icontains="award").exists()
    assert not AuditEvent.objects.filter(action="contract_create").exists()
    # What award_tender did before the award (scores, shortlist, the stage 2 bid) stands; only the
    # award's own writes are gone.
    assert AuditEvent.objects.count() > audit_before
