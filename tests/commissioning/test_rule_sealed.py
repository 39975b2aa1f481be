"""The sealed-bid rule at its boundary: one second before the stage 1 deadline, at it, and one
second after. A stage is sealed until its deadline arrives (the deadline itself is the first
unsealed moment), and a bid is sealed from everyone but its bid team while its stage is.

The persons: Dave (who formed Acorn's partnership) and Wendy (who confirmed the women's centre's
membership) are on the bid team; Mo works for Acorn too but is not named on it; Erin is another
provider; Alice manages the opportunity; Heidi evaluates the stage; Root is a superuser; and the
signed-out visitor. The rule in time (``sealed``), in queries (``sealed_q``, ``unsealed_q``,
``unsealed_submitted_q``), in the person's predicate (``access.bid_sealed_from``), in templates
(``sealed_bids``) and in what the service does at the boundary all agree.
"""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.template import Context, Template

from stepchange.accounts.models import Role
from stepchange.commissioning import access, sealed, services
from stepchange.commissioning.models import Bid, OpportunityStatus, Stage
from tests.commissioning.world import HOUR, build_tender
from tests.factories import UserFactory

SECOND = datetime.timedelta(seconds=1)
WHEN = {"one second before": -SECOND, "at the deadline": datetime.timedelta(0), "one second after": SECOND}
SEALED_AT = {"one second before": True, "at the deadline": False, "one second after": False}
TEAM = {"dave", "wendy"}
NOT_TEAM = {"mo", "erin", "alice", "heidi", "root", "signed out"}


@pytest.fixture
def tender(cast):
    return build_tender(cast)


def persons(cast, tender) -> dict:
    mo = UserFactory.create(username="mo", role=Role.PROVIDER, organisation=cast.charity)
    return {
        "dave": cast.dave,
        "wendy": tender.wendy,
        "mo": mo,
        "erin": cast.erin,
        "alice": cast.alice,
        "heidi": cast.heidi,
        "root": cast.root,
        "signed out": AnonymousUser(),
    }


def at(tender, when: str) -> datetime.datetime:
    return tender.stage1.deadline + WHEN[when]


@pytest.mark.parametrize("when", WHEN)
def test_a_stage_is_sealed_until_its_deadline_arrives(tender, when):
    now, expected = at(tender, when), SEALED_AT[when]
    assert sealed.sealed(tender.stage1, now) is expected
    assert sealed.deadline_sealed(tender.stage1.deadline, now) is expected
    assert tender.stage1.is_sealed(now) is expected
    stages = Stage.objects.filter(pk=tender.stage1.pk)
    assert stages.filter(sealed.sealed_q(now)).exists() is expected
    assert stages.filter(sealed.unsealed_q(now)).exists() is not expected
    # Through a relation: from a bid, and from an opportunity.
    assert Bid.objects.filter(sealed.sealed_q(now, "stage__"), pk=tender.bid.pk).exists() is expected
    opportunity = tender.opportunity.__class__.objects.filter(pk=tender.opportunity.pk)
    assert opportunity.filter(sealed.unsealed_q(now, "stages__")).exists() is not expected


@pytest.mark.parametrize("when", WHEN)
def test_the_submitted_bid_is_unsealed_from_the_deadline(tender, when):
    now = at(tender, when)
    unsealed = Bid.objects.filter(sealed.unsealed_submitted_q(now), pk=tender.bid.pk).exists()
    assert unsealed is not SEALED_AT[when]


@pytest.mark.parametrize("when", WHEN)
def test_whom_the_bid_is_sealed_from(cast, tender, when):
    now = at(tender, when)
    everyone = persons(cast, tender)
    sealed_from = {name for name, user in everyone.items() if access.bid_sealed_from(user, tender.bid, now)}
    assert sealed_from == (NOT_TEAM if SEALED_AT[when] else set())
    # The list of bids says the same: sealed, only the team knows it exists; unsealed, the manager,
    # the superuser (who manages every commissioner) and the evaluator do too; Mo and Erin never.
    seeing = {
        name
        for name, user in everyone.items()
        if access.bids_visible_to(user, now=now).filter(pk=tender.bid.pk).exists()
    }
    assert seeing == (TEAM if SEALED_AT[when] else TEAM | {"alice", "root", "heidi"})


@pytest.mark.parametrize("when", WHEN)
def test_a_withdrawn_bid_is_sealed_in_time_alike_and_never_unsealed_to_others(cast, tender, when):
    bid = services.bid_withdraw(actor=cast.dave, bid=tender.bid, now=tender.start + 4 * HOUR)
    now = at(tender, when)
    everyone = persons(cast, tender)
    sealed_from = {name for name, user in everyone.items() if access.bid_sealed_from(user, bid, now)}
    assert sealed_from == (NOT_TEAM if SEALED_AT[when] else set())
    assert not Bid.objects.filter(sealed.unsealed_submitted_q(now), pk=bid.pk).exists()
    seeing = {name for name, user in everyone.items() if access.bids_visible_to(user, now=now).filter(pk=bid.pk)}
    assert seeing == TEAM


@pytest.mark.parametrize("when", WHEN)
def test_a_bid_never_submitted_is_sealed_in_time_alike_and_never_unsealed_to_others(cast, when):
    tender = build_tender(cast, submit=False)
    now = at(tender, when)
    everyone = persons(cast, tender)
    sealed_from = {name for name, user in everyone.items() if access.bid_sealed_from(user, tender.bid, now)}
    assert sealed_from == (NOT_TEAM if SEALED_AT[when] else set())
    assert not Bid.objects.filter(sealed.unsealed_submitted_q(now), pk=tender.bid.pk).exists()
    seeing = {name for name, user in everyone.items() if access.bids_visible_to(user, now=now).filter(pk=tender.bid.pk)}
    assert seeing == TEAM


@pytest.mark.parametrize("when", WHEN)
def test_templates_ask_the_rule(cast, tender, when):
    now = at(tender, when)
    stage_says = Template("{% load sealed_bids %}{% if stage|sealed_at:now %}sealed{% else %}unsealed{% endif %}")
    assert stage_says.render(Context({"stage": tender.stage1, "now": now})) == (
        "sealed" if SEALED_AT[when] else "unsealed"
    )
    bid_says = Template("{% load sealed_bids %}{% bid_sealed_from user bid now as hidden %}{{ hidden }}")
    for name, user in persons(cast, tender).items():
        expected = SEALED_AT[when] and name in NOT_TEAM
        assert bid_says.render(Context({"user": user, "bid": tender.bid, "now": now})) == str(expected), name


@pytest.mark.parametrize("when", WHEN)
def test_what_the_service_does_at_the_boundary(cast, tender, when):
    now = at(tender, when)
    opportunity = tender.opportunity
    assert opportunity.status(now) == (OpportunityStatus.OPEN if SEALED_AT[when] else OpportunityStatus.EVALUATING)
    assert opportunity.current_stage(now) == (tender.stage1 if SEALED_AT[when] else tender.stage2)
    assert access.survey_counts_told(opportunity, now=now) is False  # stage 2 is still sealed
    if SEALED_AT[when]:
        services.bid_save(
            actor=cast.dave,
            partnership=tender.partnership,
            stage=tender.stage1,
            answers={"1": "More."},
            price=None,
            now=now,
        )
        with pytest.raises(ValidationError, match="has not closed"):
            services.stage_shortlist(actor=cast.alice, stage=tender.stage1, shortlisted=[tender.bid], now=now)
    else:
        with pytest.raises(ValidationError, match="frozen"):
            services.bid_save(
                actor=cast.dave,
                partnership=tender.partnership,
                stage=tender.stage1,
                answers={"1": "More."},
                price=None,
                now=now,
            )
        # The shortlist may now be made (it is refused for another reason: nobody has scored yet).
        with pytest.raises(ValidationError) as refused:
            services.stage_shortlist(actor=cast.alice, stage=tender.stage1, shortlisted=[tender.bid], now=now)
        assert "has not closed" not in str(refused.value)
