"""Sealed bids, persona by persona, either side of the stage 1 deadline.

Before the deadline only the partnership's confirmed members (Dave, the lead; Wendy, the women's
centre) know the bid exists, the superuser not excepted. After it, those who manage the regional
team (Alice, and Root, a superuser who manages every commissioner) and Heidi (the stage's
evaluator) see it too; nobody else ever does.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from stepchange.commissioning import access, services
from stepchange.commissioning.models import BidOpening
from tests.commissioning.world import HOUR, build_tender


@pytest.fixture
def tender(cast):
    return build_tender(cast)


def who(cast, tender):
    return cast.everyone() | {"wendy": tender.wendy}


BEFORE = {"dave", "wendy"}
AFTER = {"dave", "wendy", "alice", "root", "heidi"}


@pytest.mark.parametrize("when, expected", [("before", BEFORE), ("after", AFTER)])
def test_who_knows_the_bid_exists(cast, tender, when, expected):
    now = tender.bid.stage.deadline - HOUR if when == "before" else tender.after_stage1
    seeing = {
        name
        for name, user in who(cast, tender).items()
        if access.bids_visible_to(user, now=now).filter(pk=tender.bid.pk).exists()
    }
    assert seeing == expected
    # Not even a count gives it away: everyone else counts no bids at all.
    for name, user in who(cast, tender).items():
        if name not in expected:
            assert access.bids_visible_to(user, now=now).count() == 0, name


@pytest.mark.parametrize("when, expected", [("before", BEFORE), ("after", AFTER)])
def test_who_sees_the_partnership_behind_it(cast, tender, when, expected):
    now = tender.bid.stage.deadline - HOUR if when == "before" else tender.after_stage1
    seeing = {
        name
        for name, user in who(cast, tender).items()
        if access.partnerships_visible_to(user, now=now).filter(pk=tender.partnership.pk).exists()
    }
    assert seeing == expected


def test_a_withdrawn_bid_stays_sealed_for_ever(cast, tender):
    services.bid_withdraw(actor=cast.dave, bid=tender.bid, now=tender.start + 4 * HOUR)
    later = tender.after_stage1 + 100 * HOUR
    assert not access.bids_visible_to(cast.alice, now=later).exists()
    assert not access.bids_visible_to(cast.heidi, now=later).exists()
    assert access.bids_visible_to(cast.dave, now=later).filter(pk=tender.bid.pk).exists()


def test_an_invited_member_sees_nothing_of_the_bid_until_it_confirms(cast, tender):
    from tests.factories import OrganisationFactory, UserFactory

    late = OrganisationFactory.create(name="Late Joiner Trust")
    lucy = UserFactory.create(username="lucy", organisation=late)
    member = services.member_invite(
        actor=cast.dave,
        partnership=tender.partnership,
        organisation=late,
        role="Advice",
        share=Decimal(0),
        now=tender.start + 5 * HOUR,
    )
    assert not access.bids_visible_to(lucy, now=tender.start + 6 * HOUR).exists()
    services.member_confirm(actor=lucy, member=member, now=tender.start + 6 * HOUR)
    assert access.bids_visible_to(lucy, now=tender.start + 6 * HOUR).filter(pk=tender.bid.pk).exists()


def test_opening_a_sealed_bid_is_refused_with_a_message_that_does_not_confirm_it(cast, tender):
    before = tender.bid.stage.deadline - HOUR
    for user in (cast.alice, cast.heidi, cast.erin, cast.root):
        with pytest.raises(PermissionDenied) as refused:
            services.bid_open(actor=user, bid=tender.bid, now=before)
        assert "not a bid of a partnership you belong to, or its stage has closed" in str(refused.value)
    assert not BidOpening.objects.exists()


def test_every_opening_after_the_deadline_is_logged_but_members_reading_their_own_are_not(cast, tender):
    after = tender.after_stage1
    services.bid_open(actor=cast.dave, bid=tender.bid, now=after)
    services.bid_open(actor=cast.alice, bid=tender.bid, now=after)
    # Heidi must declare first: until then she sees that the bid exists, not what it says.
    with pytest.raises(PermissionDenied):
        services.bid_open(actor=cast.heidi, bid=tender.bid, now=after)
    services.conflict_declare(actor=cast.heidi, bid=tender.bid, has_conflict=False, now=after)
    services.bid_open(actor=cast.heidi, bid=tender.bid, now=after + HOUR)
    openings = list(BidOpening.objects.values_list("opened_by__username", "opened_at"))
    assert openings == [("alice", after), ("heidi", after + HOUR)]


def test_a_declared_conflict_removes_the_evaluator_from_that_bid(cast, tender):
    after = tender.after_stage1
    services.conflict_declare(
        actor=cast.heidi, bid=tender.bid, has_conflict=True, details="I am a trustee of Acorn.", now=after
    )
    assert not access.bids_visible_to(cast.heidi, now=after).exists()
    with pytest.raises(PermissionDenied):
        services.score_save(
            actor=cast.heidi,
            bid=tender.bid,
            criterion=tender.stage1.criteria.first(),
            score=5,
            justification="x",
            now=after,
        )


def test_the_bid_is_frozen_at_the_deadline(cast, tender):
    after = tender.after_stage1
    with pytest.raises(ValidationError, match="deadline for stage 1 has passed; the bid is frozen"):
        services.bid_save(
            actor=cast.dave,
            partnership=tender.partnership,
            stage=tender.stage1,
            answers={"1": "late"},
            price=None,
            now=after,
        )
    with pytest.raises(ValidationError, match="frozen"):
        services.bid_withdraw(actor=cast.dave, bid=tender.bid, now=after)


def test_bids_are_not_in_the_admin(cast, client_for):
    from django.contrib import admin

    from stepchange.commissioning.models import Bid, Score

    assert Bid not in admin.site._registry
    assert Score not in admin.site._registry
