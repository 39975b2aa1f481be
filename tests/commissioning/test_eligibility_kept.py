"""A submitted bid keeps the eligibility it was checked with.

Dave's charity (VCS) leads a partnership with Riverside Women's Centre (women-specific) and
submits; the opportunity wants a VCS lead and a women-specific member. Afterwards the regional
team records the charity as private and the centre as no longer women-specific. Dave's bid,
checked on what was true when he submitted, stays eligible when he edits or re-confirms it; a
bid submitted after the change is judged on the profiles as they are now.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from stepchange.commissioning import sealing, services
from stepchange.organisations import services as organisation_services
from stepchange.organisations.models import Organisation, Sector
from tests.commissioning.world import HOUR, build_tender, second_bidder


@pytest.fixture
def tender(cast):
    return build_tender(cast)


def regional_team_records(actor, organisation: Organisation, **fields: object) -> None:
    organisation_services.organisation_update(
        actor=actor, organisation=organisation, expected_version=organisation.version, fields=fields
    )


def test_the_bid_stores_what_its_eligibility_was_checked_with(cast, tender):
    basis = tender.bid.eligibility_basis

    assert basis[str(cast.charity.pk)] == {
        "name": "Acorn Housing Trust",
        "sector": "vcs",
        "women_specific": False,
        "bme_led": False,
        "user_led": False,
    }
    assert basis[str(tender.womens_centre.pk)]["women_specific"] is True


def test_a_profile_changed_after_submission_does_not_change_a_submitted_bids_eligibility(cast, tender):
    regional_team_records(cast.alice, cast.charity, sector=Sector.PRIVATE)
    regional_team_records(cast.alice, tender.womens_centre, women_specific=False)

    assert services.eligibility_failures(tender.bid) == []
    # Dave edits his submitted bid (re-checked on save) and re-confirms it: both still eligible.
    edited = services.bid_save(
        actor=cast.dave,
        partnership=tender.partnership,
        stage=tender.stage1,
        answers={"1": "Through the women's centre and its outreach."},
        price=Decimal("145000"),
        expected_version=tender.bid.version,
        now=tender.start + 4 * HOUR,
    )
    reconfirmed = services.bid_submit(actor=cast.dave, bid=edited, now=tender.start + 5 * HOUR)

    assert reconfirmed.submitted_at is not None and sealing.open_bid(reconfirmed, reader=cast.dave).price == Decimal(
        "145000"
    )
    assert reconfirmed.eligibility_basis[str(cast.charity.pk)]["sector"] == "vcs"
    assert reconfirmed.eligibility_basis[str(tender.womens_centre.pk)]["women_specific"] is True


def test_a_bid_submitted_after_the_change_is_judged_on_the_profiles_now(cast, tender):
    regional_team_records(cast.alice, tender.womens_centre, women_specific=False)

    with pytest.raises(ValidationError, match="must be women-specific: no confirmed member is"):
        second_bidder(cast, tender)
