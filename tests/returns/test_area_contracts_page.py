"""A prison return's area-wide contracts page at any size: a region at national scale has
thousands of area-wide contracts, so the page lists those on the return (paginated, searchable,
a Remove button each) and adds from a search (an Add button each); no form has a field per row.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from stepchange.contracts.models import Contract
from stepchange.core.concurrency import StaleEdit
from stepchange.core.models import AuditEvent
from stepchange.returns import services
from stepchange.returns.models import PrisonReturn, Status
from tests.factories import ContractFactory, fill_prison_return, open_prison_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def leeds(cast: Any, clock: Any) -> PrisonReturn:
    return PrisonReturn.objects.get(round=open_prison_round(cast))


def fresh(the_return: PrisonReturn) -> PrisonReturn:
    the_return.refresh_from_db()
    return the_return


def area_wide(cast: Any, count: int) -> list[Contract]:
    Contract.objects.bulk_create(
        ContractFactory.build(
            reference=f"YH-AREA-{n:05d}",
            title=f"Area service {n:05d}",
            commissioner=cast.regional_team,
            prime=cast.charity,
        )
        for n in range(count)
    )
    return list(Contract.objects.filter(reference__startswith="YH-AREA-").order_by("reference"))


def url(the_return: PrisonReturn, tail: str = "") -> str:
    return f"/returns/prison/{the_return.pk}/contracts/{tail}"


def test_adding_removing_and_confirming_are_one_audit_event_each(cast, leeds):
    (contract,) = area_wide(cast, 1)
    events = AuditEvent.objects.count()
    services.area_contract_add(actor=cast.frank, prison_return=leeds, expected_version=leeds.version, contract=contract)
    assert list(fresh(leeds).area_contracts.all()) == [contract]
    assert leeds.area_contracts_answered
    with pytest.raises(ValidationError, match="already on the return"):
        services.area_contract_add(
            actor=cast.frank, prison_return=leeds, expected_version=leeds.version, contract=contract
        )
    # A probation area's contract is not area-wide.
    probation = ContractFactory.create(commissioner=cast.sypa, prime=cast.charity)
    with pytest.raises(ValidationError, match="not an area-wide contract"):
        services.area_contract_add(
            actor=cast.frank, prison_return=leeds, expected_version=leeds.version, contract=probation
        )
    with pytest.raises(StaleEdit):
        services.area_contract_remove(
            actor=cast.frank, prison_return=leeds, expected_version=leeds.version - 1, contract=contract
        )
    services.area_contract_remove(
        actor=cast.frank, prison_return=fresh(leeds), expected_version=leeds.version, contract=contract
    )
    assert not fresh(leeds).area_contracts.exists()
    services.area_contracts_confirm(actor=cast.frank, prison_return=leeds, expected_version=leeds.version)
    assert [e.action for e in AuditEvent.objects.filter(pk__gt=0).order_by("pk")][-3:] == [
        "return_contract_add",
        "return_contract_remove",
        "return_contracts_confirm",
    ]
    assert AuditEvent.objects.count() == events + 3


def test_a_submitted_return_is_not_changed(cast, leeds):
    (contract,) = area_wide(cast, 1)
    submitted = fill_prison_return(leeds, cast.frank)
    services.return_submit(actor=cast.frank, the_return=submitted, expected_version=submitted.version)
    assert fresh(submitted).status == Status.SUBMITTED
    with pytest.raises(ValidationError, match="cannot be changed"):
        services.area_contract_add(
            actor=cast.frank, prison_return=submitted, expected_version=submitted.version, contract=contract
        )


def test_thousands_of_area_wide_contracts_and_the_page_still_saves(cast, leeds, client_for):
    contracts = area_wide(cast, 2100)
    leeds.area_contracts.add(*contracts[:1050])
    frank = client_for(cast.frank)
    page = frank.get(url(leeds)).content.decode()
    assert "1050 contracts on the return" in page and "(page 1 of 53)" in page
    forms = re.findall(r"<form\b.*?</form>", page, flags=re.S)
    assert max(len(re.findall(r'<input[^>]*\bname="', form)) for form in forms) <= 4
    found = frank.get(url(leeds), {"find": "area service", "fpage": "2"}).content.decode()
    assert "1050 contracts not yet on the return match" in found
    assert "YH-AREA-01070" in found and "YH-AREA-01069" not in found

    saved = frank.post(url(leeds), {"version": fresh(leeds).version})
    assert saved["Location"] == f"/returns/prison/{leeds.pk}/"
    assert fresh(leeds).area_contracts_answered and leeds.area_contracts.count() == 1050


def test_frank_adds_and_removes_a_contract_with_its_button(cast, leeds, client_for):
    area_wide(cast, 30)
    frank = client_for(cast.frank)
    target = Contract.objects.get(reference="YH-AREA-00025")
    added = frank.post(url(leeds, "add/") + "?find=00025", {"version": leeds.version, "contract": target.pk})
    assert added["Location"] == url(leeds) + "?find=00025#add-contract"
    assert list(fresh(leeds).area_contracts.all()) == [target]
    page = frank.get(added["Location"]).content.decode()
    assert "YH-AREA-00025 Area service 00025 is added to the return." in page
    assert "1 contract on the return" in page

    stale = frank.post(url(leeds, "remove/"), {"version": leeds.version - 1, "contract": target.pk})
    assert stale.status_code == 200 and "Someone else changed" in stale.content.decode()
    removed = frank.post(url(leeds, "remove/") + "?q=25", {"version": fresh(leeds).version, "contract": target.pk})
    assert removed["Location"] == url(leeds) + "?q=25#chosen"
    assert not fresh(leeds).area_contracts.exists()
