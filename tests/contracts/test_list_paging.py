"""The contract list's cached content follows every change to what it shows, and is each user's
own (stepchange/contracts/views.py, templates/contracts/list.html)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from stepchange.accounts.models import Role
from stepchange.contracts.models import Contract
from tests.factories import CommissionerFactory, ContractFactory, UserFactory

pytestmark = pytest.mark.django_db
# Pages cache their content only outside a transaction, so the tests of it run as pages do.
live = pytest.mark.django_db(transaction=True)


@pytest.fixture
def spread(cast):
    """Seven commissioners of the region holding 0, 1, 2, 3, 5, 8 and 13 contracts (32), with
    codes whose order differs from the order they were made in, so a page straddles several."""
    holders = [cast.sypa, cast.wypa, cast.leeds, cast.regional_team]
    holders += [CommissionerFactory.create(code=code, region=cast.region) for code in ("ZZPA", "AAPA", "MMPA")]
    n = 0
    for holder, count in zip(holders, (0, 1, 2, 3, 5, 8, 13), strict=True):
        for _ in range(count):
            n += 1
            # References in the opposite order to their making, titles in another order again.
            ContractFactory.create(
                commissioner=holder,
                reference=f"C-{100 - n:03d}",
                title=f"Title {(n * 7) % 32:02d}",
                annual_value=Decimal(1000 + (n * 37) % 500),
                start=datetime.date(2006, 4, 1),
            )
    return cast


@live
def test_the_list_shows_a_change_at_once(transactional_db, spread, client_for):
    alice = client_for(spread.alice)
    first = alice.get("/contracts/?sort=title").content.decode()
    assert ">32 contracts, showing 1 to 25<" in first and "Renamed" not in first
    # A queryset update sends no model signal; the list follows it all the same.
    Contract.objects.filter(reference="C-099").update(title="Renamed by an update")
    assert "Renamed by an update" in alice.get("/contracts/?sort=title").content.decode()
    Contract.objects.filter(reference="C-099").delete()
    assert ">31 contracts, showing 1 to 25<" in alice.get("/contracts/?sort=title").content.decode()


@live
def test_two_people_asking_for_the_same_address_see_their_own_lists(transactional_db, spread, client_for):
    """The cached content is keyed by the query of what each may see, not by the address."""
    bob = UserFactory.create(username="bob2", role=Role.PROBATION_MANAGER, organisation=spread.wypa.organisation)
    assert ">32 contracts, showing 1 to 25<" in client_for(spread.alice).get("/contracts/").content.decode()
    theirs = client_for(bob).get("/contracts/").content.decode()
    assert ">1 contract<" in theirs and "C-099" in theirs
