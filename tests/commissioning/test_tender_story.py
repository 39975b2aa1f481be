"""The tender from rules to contract, through the services: eligibility, a change after bids,
scoring and moderation, shortlist, award into a contract and its sub-contracts, challenge,
withdrawal, and the bidder survey."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from stepchange.commissioning import selectors, services
from stepchange.commissioning.models import Award, BidderNotice, Outcome, SurveyResponse
from stepchange.contracts.models import Contract
from stepchange.core.concurrency import AlreadyDone
from stepchange.core.models import AuditEvent
from tests.commissioning.world import (
    DAY,
    HOUR,
    acorn_stage2_bid,
    build_tender,
    draft_opportunity,
    score_bid,
    second_bidder,
)
from tests.factories import UserFactory


@pytest.fixture
def tender(cast):
    return build_tender(cast, submit=False)


def test_each_broken_rule_is_named_at_submission(cast, tender):
    # Erin's private company leads, alone, with no women-specific member, over the maximum.
    other = services.partnership_create(
        actor=cast.erin,
        opportunity=tender.opportunity,
        name="Beacon",
        lead_role="Lead",
        lead_share=Decimal(100),
        now=tender.start + HOUR,
    )
    bid = services.bid_save(
        actor=cast.erin,
        partnership=other,
        stage=tender.stage1,
        answers={"1": "We will."},
        price=Decimal("250000"),
        now=tender.start + HOUR,
    )
    with pytest.raises(ValidationError) as refused:
        services.bid_submit(actor=cast.erin, bid=bid, now=tender.start + HOUR)
    assert refused.value.message_dict["answers"] == [
        "The lead organisation must be voluntary and community sector: Beacon Services Ltd is private sector.",
        "The bid must come from a partnership of at least 2 organisations: this partnership has 1 confirmed.",
        "At least one member of the partnership must be women-specific: no confirmed member is.",
        "The price must not be more than £200,000.00: the price is £250,000.00.",
    ]
    bid.refresh_from_db()
    assert bid.submitted_at is None


def test_an_unconfirmed_member_does_not_count_toward_the_rules(cast, tender):
    services.member_leave(
        actor=tender.wendy,
        member=tender.partnership.active_members().get(organisation=tender.womens_centre),
        now=tender.start + 3 * HOUR,
    )
    with pytest.raises(ValidationError, match="at least 2 organisations: this partnership has 1 confirmed"):
        services.bid_submit(actor=cast.dave, bid=tender.bid, now=tender.start + 4 * HOUR)
    # The history keeps the member who left.
    assert tender.partnership.members.filter(left_at__isnull=False).count() == 1


def test_a_change_after_bids_tells_bidders_asks_for_reconfirmation_and_moves_a_close_deadline(cast, tender):
    services.bid_submit(actor=cast.dave, bid=tender.bid, now=tender.start + 4 * HOUR)
    # Stage 1 closes at start + 10 days; a change at start + 5 days leaves 5 days, under 7,
    # so the deadline moves to start + 5 + 7 = start + 12 days. Stage 2 (start + 20) is 15 days
    # away and stays where it is.
    change_at = tender.start + 5 * DAY
    opportunity = type(tender.opportunity).objects.get(pk=tender.opportunity.pk)
    services.opportunity_update(
        actor=cast.alice,
        opportunity=opportunity,
        expected_version=opportunity.version,
        description="Changed scope.",
        now=change_at,
    )
    tender.stage1.refresh_from_db()
    tender.stage2.refresh_from_db()
    assert tender.stage1.deadline == tender.start + 12 * DAY
    assert tender.stage2.deadline == tender.start + 20 * DAY
    tender.bid.refresh_from_db()
    assert tender.bid.reconfirm_needed_since == change_at
    notice = BidderNotice.objects.get(partnership=tender.partnership)
    assert "re-confirm your bid" in notice.body and "stage 1 has moved" in notice.body
    services.bid_submit(actor=cast.dave, bid=tender.bid, now=change_at + HOUR)
    tender.bid.refresh_from_db()
    assert tender.bid.reconfirm_needed_since is None
    assert AuditEvent.objects.filter(action="bid_reconfirm").count() == 1


def test_the_whole_tender_ends_in_a_contract_with_sub_contracts(cast, tender):
    services.bid_submit(actor=cast.dave, bid=tender.bid, now=tender.start + 4 * HOUR)
    harry, hope_bid = second_bidder(cast, tender)
    ian = UserFactory.create(username="ian", role="evaluator", region=cast.region)
    services.evaluator_assign(actor=cast.alice, stage=tender.stage1, evaluator=ian)
    after1 = tender.after_stage1

    # Heidi and Ian score. Acorn: quality 8 and 2 (spread 6 > 3, must be moderated), price 6 and 6.
    score_bid(cast.heidi, tender.bid, 8, 6, after1)
    # Ian cannot see Heidi's scores until he has submitted his own.
    mine, others = selectors.own_scores_then_others(ian, tender.bid)
    assert mine == [] and others == []
    score_bid(ian, tender.bid, 2, 6, after1)
    mine, others = selectors.own_scores_then_others(ian, tender.bid)
    assert [s.score for s in others] == [8, 6]
    score_bid(cast.heidi, hope_bid, 5, 5, after1)
    score_bid(ian, hope_bid, 5, 5, after1)

    with pytest.raises(ValidationError, match="Quality are too far apart and must be moderated"):
        services.stage_shortlist(actor=cast.alice, stage=tender.stage1, shortlisted=[tender.bid], now=after1)
    quality = tender.stage1.criteria.get(name="Quality")
    services.moderation_record(
        actor=cast.alice,
        bid=tender.bid,
        criterion=quality,
        moderated_score=Decimal(7),
        note="Panel agreed 7.",
        now=after1,
    )
    with pytest.raises(
        AlreadyDone, match=r"^Alice moderated the Quality score of this bid .*; the moderated record is frozen"
    ):
        services.moderation_record(
            actor=cast.alice, bid=tender.bid, criterion=quality, moderated_score=Decimal(9), note="Again.", now=after1
        )

    # Weighted totals by hand: Acorn 60 × 7/10 + 40 × 6/10 = 42 + 24 = 66;
    # Hope 60 × 5/10 + 40 × 5/10 = 30 + 20 = 50. Acorn ranks first.
    from stepchange.commissioning import access

    results = selectors.stage_results(
        tender.stage1, access.bids_visible_to(cast.alice, now=after1).filter(stage=tender.stage1)
    )
    assert [(r.bid.partnership.name, r.total) for r in results] == [
        ("Acorn Women's Partnership", Decimal(66)),
        ("Hope Partnership", Decimal(50)),
    ]

    services.stage_shortlist(
        actor=cast.alice,
        stage=tender.stage1,
        shortlisted=[tender.bid],
        feedback={hope_bid.pk: "Outreach plan thin."},
        now=after1,
    )
    hope_bid.refresh_from_db()
    assert hope_bid.outcome == Outcome.REJECTED
    told = BidderNotice.objects.get(partnership=hope_bid.partnership, subject__contains="not taken forward")
    assert "Your weighted total: 50.00 out of 100." in told.body
    assert "Highest-scoring bid's weighted total: 66.00 out of 100." in told.body
    assert "Quality (60%): yours 5.00, highest-scoring bid 7.00." in told.body
    assert "Feedback: Outreach plan thin." in told.body
    # Hope, not taken forward, cannot bid at stage 2.
    with pytest.raises(ValidationError, match="Only partnerships taken forward from stage 1"):
        services.bid_save(
            actor=harry, partnership=hope_bid.partnership, stage=tender.stage2, answers={}, price=None, now=after1
        )

    # Stage 2: Acorn bids £150,000; Heidi scores 9 and 8: 60 × 0.9 + 40 × 0.8 = 54 + 32 = 86.
    bid2 = acorn_stage2_bid(cast, tender, now=after1)
    after2 = tender.stage2.deadline + HOUR
    score_bid(cast.heidi, bid2, 9, 8, after2)
    award = services.bid_award(actor=cast.alice, bid=bid2, now=after2)

    assert award.contract is not None
    contract = award.contract
    assert contract.prime.name == "Acorn Housing Trust"
    assert contract.commissioner == cast.regional_team
    assert contract.annual_value == Decimal("150000.00")
    assert contract.funding_source == "new_investment"
    assert sorted(p.code for p in contract.pathways.all()) == ["accommodation", "health"]
    # Standstill 10 days from the award; start is the later of the opportunity's contract start
    # (start + 60 days) and the day after the standstill (start + 20 days + 11 days).
    assert award.standstill_ends == (after2 + 10 * DAY).date()
    assert contract.start == max((tender.start + 60 * DAY).date(), award.standstill_ends + datetime.timedelta(days=1))
    # The centre's share is 40% of £150,000 = £60,000; the lead keeps the rest.
    assert [(s.partner.name, s.value) for s in contract.sub_contracts.all()] == [
        ("Riverside Women's Centre", Decimal("60000.00"))
    ]
    assert tender.opportunity.status(after2) == "awarded"
    assert not award.may_start(award.standstill_ends)

    # Hope challenges during the standstill; the contract may not start while it is open.
    challenge = services.challenge_raise(actor=harry, award=award, grounds="Scoring inconsistent.", now=after2 + HOUR)
    day_after = award.standstill_ends + datetime.timedelta(days=1)
    assert not award.may_start(day_after)
    services.challenge_answer(actor=cast.alice, challenge=challenge, answer="Scores were moderated.", now=after2 + DAY)
    assert award.may_start(day_after)

    # Both bidders are asked to the survey; answers are kept apart from who gave them.
    assert tender.opportunity.survey_invitations.count() == 2
    invitation = tender.opportunity.survey_invitations.get(partnership=hope_bid.partnership)
    services.survey_answer(
        actor=harry,
        invitation=invitation,
        clarity=4,
        time_to_form_partnership=1,
        transparency=3,
        effort_hours=80,
        effort_people=3,
        what_to_change="More time.",
        now=after2 + DAY,
    )
    with pytest.raises(ValidationError, match="already answered"):
        services.survey_answer(
            actor=harry,
            invitation=invitation,
            clarity=4,
            time_to_form_partnership=1,
            transparency=3,
            effort_hours=80,
            effort_people=3,
            now=after2 + DAY,
        )
    assert not any(f.is_relation and f.name != "opportunity" for f in SurveyResponse._meta.get_fields())

    # A wrong award is withdrawn with its reason; the contract goes with it.
    services.award_withdraw(actor=cast.alice, award=award, reason="Price evaluated wrongly.", now=after2 + 2 * DAY)
    assert not Contract.objects.filter(pk=contract.pk).exists()
    assert Award.objects.get(pk=award.pk).withdrawn_reason == "Price evaluated wrongly."
    assert tender.opportunity.status(after2 + 2 * DAY) == "evaluating"


def test_every_opportunity_ends_cancelled_with_a_reason(cast, tender):
    services.bid_submit(actor=cast.dave, bid=tender.bid, now=tender.start + 4 * HOUR)
    with pytest.raises(ValidationError, match="Enter the reason"):
        services.opportunity_cancel(
            actor=cast.alice, opportunity=tender.opportunity, reason=" ", now=tender.start + DAY
        )
    services.opportunity_cancel(
        actor=cast.alice, opportunity=tender.opportunity, reason="Funding withdrawn.", now=tender.start + DAY
    )
    assert tender.opportunity.status() == "cancelled"
    assert BidderNotice.objects.filter(partnership=tender.partnership, body="Funding withdrawn.").exists()
    assert tender.opportunity.survey_invitations.count() == 1


def test_publication_needs_weights_adding_to_100(cast):
    opportunity = draft_opportunity(
        cast,
        reference="half-done",
        title="Half done",
        description="x",
        estimated_value=Decimal(1000),
        contract_start=datetime.date(2030, 1, 1),
    )
    from django.utils import timezone

    stage = services.stage_add(
        actor=cast.alice, opportunity=opportunity, number=1, name="Only", deadline=timezone.now() + DAY
    )
    services.criterion_add(actor=cast.alice, stage=stage, name="Quality", weight=70)
    with pytest.raises(ValidationError) as refused:
        services.opportunity_publish(actor=cast.alice, opportunity=opportunity)
    assert refused.value.message_dict["published_at"] == [
        "The criteria of stage 1 add up to 70%; they must add up to 100%.",
        "Stage 1 has no questions.",
        "Name at least one evaluator for stage 1.",
        "Stage 1 would be open for bids for 1 day, less than the region's minimum tender period of 28 days. "
        "Close it later, or give the reason it must be shorter.",
    ]
    with pytest.raises(ValidationError, match="add up to 110"):
        services.criterion_add(actor=cast.alice, stage=stage, name="Price", weight=40)
