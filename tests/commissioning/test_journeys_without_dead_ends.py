"""Commissioning journeys that used to end in a dead end: the commissioner answers a
challenge seeing its grounds, and an answered one is closed; a commissioner named as an evaluator
declares and scores like any evaluator, and an award waits for every named evaluator unless the
commissioner records why; moderation shows every evaluator's score and justification, and a
moderated criterion its result; whoever scores a bid sees the partnership behind it; a partnership
rejected at a stage is not offered the next. The pages stand on a clock moved past the deadlines."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from stepchange.commissioning import access, selectors, services
from stepchange.commissioning.models import BiddingPartnership, Moderation
from stepchange.core.models import AuditEvent
from tests.commissioning.files import pdf, upload
from tests.commissioning.world import HOUR, acorn_stage2_bid, award_tender, build_tender, score_bid, second_bidder


def body(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


# 1. Challenges: the grounds to answer, and an answered challenge closed.


@pytest.fixture
def challenged(cast):
    tender = build_tender(cast)
    awarded = award_tender(cast, tender)
    challenge = services.challenge_raise(
        actor=awarded.harry,
        award=awarded.award,
        grounds="Price was scored against an unpublished model.",
        now=awarded.after2 + HOUR,
    )
    return awarded, challenge


def test_the_commissioner_answers_a_challenge_seeing_its_grounds_and_then_it_is_closed(
    cast, client_for, challenged, monkeypatch
):
    awarded, challenge = challenged
    monkeypatch.setattr(timezone, "now", lambda: awarded.after2 + 2 * HOUR)
    alice = client_for(cast.alice)
    url = reverse("commissioning:challenge-answer", args=[challenge.pk])
    page = body(alice, url)
    assert "Price was scored against an unpublished model." in page and "Hope Partnership" in page
    assert 'name="answer"' in page

    response = alice.post(url, {"answer": "The price model was published with the tender."})
    assert response.status_code == 302
    page = body(alice, url)
    assert "Price was scored against an unpublished model." in page
    assert "The price model was published with the tender." in page and "answered and closed" in page
    assert 'name="answer"' not in page and "Send answer" not in page
    # A second answer sent from an old page changes nothing: told who answered, back on this page.
    events = AuditEvent.objects.filter(action="challenge_answer").count()
    again = alice.post(url, {"answer": "Another answer."}, follow=True)
    assert again.redirect_chain[-1][0] == url and "Alice answered this challenge" in again.content.decode()
    challenge.refresh_from_db()
    assert challenge.answer == "The price model was published with the tender."
    assert AuditEvent.objects.filter(action="challenge_answer").count() == events
    # The opportunity's list of challenges leads to the answered one.
    detail = body(alice, reverse("commissioning:detail", args=[awarded.award.opportunity.reference]))
    assert url in detail and "Hope Partnership's challenge and its answer" in detail


# 2. A commissioner named as an evaluator, and an award waiting for every named evaluator.


@pytest.fixture
def two_evaluators(cast):
    """Acorn alone is taken forward from stage 1; Alice names herself beside Heidi on stage 2, where
    Acorn's bid is submitted. The stage has closed; nobody has scored it yet."""
    tender = build_tender(cast)
    harry, hope_bid = second_bidder(cast, tender)
    after1 = tender.after_stage1
    score_bid(cast.heidi, tender.bid, 7, 6, after1)
    score_bid(cast.heidi, hope_bid, 5, 5, after1)
    services.stage_shortlist(actor=cast.alice, stage=tender.stage1, shortlisted=[tender.bid], now=after1)
    services.evaluator_assign(actor=cast.alice, stage=tender.stage2, evaluator=cast.alice)
    bid2 = acorn_stage2_bid(cast, tender, now=after1)
    return tender, bid2, harry, hope_bid, tender.stage2.deadline + HOUR


def test_a_commissioner_is_offered_evaluations_only_once_named_on_a_stage(cast):
    tender = build_tender(cast)
    assert not access.has_evaluations(cast.alice)
    services.evaluator_assign(actor=cast.alice, stage=tender.stage2, evaluator=cast.alice)
    assert access.has_evaluations(cast.alice)
    assert access.has_evaluations(cast.heidi)  # an evaluator by role, named or not


def test_a_commissioner_named_as_evaluator_declares_then_scores_on_the_pages(
    cast, client_for, two_evaluators, monkeypatch
):
    tender, bid2, *_, after2 = two_evaluators
    monkeypatch.setattr(timezone, "now", lambda: after2)
    alice = client_for(cast.alice)
    assert reverse("commissioning:evaluations") in body(alice, reverse("commissioning:list"))
    evaluations = body(alice, reverse("commissioning:evaluations"))
    assert reverse("commissioning:bid", args=[bid2.pk]) in evaluations
    url = reverse("commissioning:bid", args=[bid2.pk])
    page = body(alice, url)
    assert "Declare any conflict of interest" in page and "Fully." not in page
    assert not access.may_score(cast.alice, bid2, now=after2)
    assert alice.post(url, {"has_conflict": "no"}).status_code == 302
    assert access.may_score(cast.alice, bid2, now=after2)
    page = body(alice, url)
    assert "Fully." in page and "Your scores" in page
    quality, price = tender.stage2.criteria.order_by("id")
    response = alice.post(
        url,
        {
            f"score_{quality.pk}": "8",
            f"why_{quality.pk}": "Clear plan.",
            f"score_{price.pk}": "7",
            f"why_{price.pk}": "Fair price.",
            "submit": "1",
        },
    )
    assert response.status_code == 302
    assert selectors.evaluators_yet_to_score(tender.stage2, [bid2])[bid2.pk] == [cast.heidi]


def test_an_award_waits_for_every_named_evaluator_unless_the_commissioner_records_why(cast, two_evaluators):
    tender, bid2, *_, after2 = two_evaluators
    score_bid(cast.heidi, bid2, 9, 8, after2)
    assert selectors.evaluators_yet_to_score(tender.stage2, [bid2])[bid2.pk] == [cast.alice]
    with pytest.raises(ValidationError, match=r"not yet scored by Alice"):
        services.bid_award(actor=cast.root, bid=bid2, now=after2)
    with pytest.raises(ValidationError, match=r"not yet scored by Alice"):
        services.bid_award(actor=cast.root, bid=bid2, unscored_reason="   ", now=after2)
    # Alice, named on the stage and not declared, may not read the bid to award it: she is told so.
    with pytest.raises(ValidationError, match=r"declare whether you have a conflict of interest on Acorn"):
        services.bid_award(actor=cast.alice, bid=bid2, unscored_reason="Called away.", now=after2)
    award = services.bid_award(
        actor=cast.root, bid=bid2, unscored_reason="Alice was called away; Heidi's scores stand.", now=after2
    )
    assert award.unscored_reason == "Alice was called away; Heidi's scores stand."
    event = AuditEvent.objects.get(action="bid_award", object_id=str(award.pk))
    assert event.after is not None
    assert event.after["unscored_reason"] == "Alice was called away; Heidi's scores stand."


def test_a_reason_is_not_kept_when_every_named_evaluator_scored(cast, two_evaluators):
    _tender, bid2, *_, after2 = two_evaluators
    score_bid(cast.heidi, bid2, 9, 8, after2)
    score_bid(cast.alice, bid2, 8, 8, after2)
    award = services.bid_award(actor=cast.alice, bid=bid2, unscored_reason="Not needed.", now=after2)
    assert award.unscored_reason == ""


def test_an_evaluator_who_declared_a_conflict_is_not_waited_for(cast, two_evaluators):
    tender, bid2, *_, after2 = two_evaluators
    score_bid(cast.heidi, bid2, 9, 8, after2)
    services.conflict_declare(actor=cast.alice, bid=bid2, has_conflict=True, details="I chair Acorn.", now=after2)
    assert selectors.evaluators_yet_to_score(tender.stage2, [bid2])[bid2.pk] == []
    with pytest.raises(ValidationError, match=r"You declared a conflict of interest on Acorn.*another manager"):
        services.bid_award(actor=cast.alice, bid=bid2, now=after2)
    assert services.bid_award(actor=cast.root, bid=bid2, now=after2).unscored_reason == ""


def test_the_evaluation_page_names_who_has_not_scored_and_the_award_page_shows_the_reason(
    cast, client_for, two_evaluators, monkeypatch
):
    tender, bid2, *_, after2 = two_evaluators
    score_bid(cast.heidi, bid2, 9, 8, after2)
    services.conflict_declare(actor=cast.alice, bid=bid2, has_conflict=False, now=after2)
    monkeypatch.setattr(timezone, "now", lambda: after2)
    alice = client_for(cast.alice)
    url = reverse("commissioning:evaluation", args=[tender.opportunity.reference, 2])
    page = body(alice, url)
    assert "Not yet scored by Alice" in page and 'name="unscored_reason"' in page
    refused = alice.post(url, {"bids": [str(bid2.pk)]}, follow=True).content.decode()
    assert "not yet scored by Alice" in refused and not tender.opportunity.awards.exists()
    reason = "Alice was called away; Heidi's scores stand."
    assert alice.post(url, {"bids": [str(bid2.pk)], "unscored_reason": reason}).status_code == 302
    assert tender.opportunity.awards.get().unscored_reason == reason
    detail = body(client_for(cast.dave), reverse("commissioning:detail", args=[tender.opportunity.reference]))
    assert "Awarded before every evaluator named had scored" in detail and escape(reason) in detail


# 3. Moderation shows the evaluators' scores, and a moderated criterion its result.


def test_moderation_shows_every_score_and_justification_then_the_frozen_result(
    cast, client_for, two_evaluators, monkeypatch
):
    tender, bid2, *_, after2 = two_evaluators
    quality, price = tender.stage2.criteria.order_by("id")
    for evaluator, score, why in ((cast.heidi, 9, "Outstanding reach."), (cast.alice, 3, "Thin on evidence.")):
        services.conflict_declare(actor=evaluator, bid=bid2, has_conflict=False, now=after2)
        services.score_save(actor=evaluator, bid=bid2, criterion=quality, score=score, justification=why, now=after2)
        services.score_save(actor=evaluator, bid=bid2, criterion=price, score=7, justification="Fair.", now=after2)
        services.scores_submit(actor=evaluator, bid=bid2, now=after2)
    monkeypatch.setattr(timezone, "now", lambda: after2)
    alice = client_for(cast.alice)
    url = reverse("commissioning:moderate", args=[bid2.pk, quality.pk])
    page = body(alice, url)
    assert "Outstanding reach." in page and "Thin on evidence." in page and "Heidi" in page
    assert 'name="moderated_score"' in page
    assert alice.post(url, {"moderated_score": "6", "note": "Agreed at panel."}).status_code == 302
    page = body(alice, url)
    assert "Moderated score (frozen)" in page and "Agreed at panel." in page and "6.00" in page
    assert "Outstanding reach." in page and 'name="moderated_score"' not in page
    # A second moderation sent from an old page is not recorded: told who recorded it, back on this page.
    again = alice.post(url, {"moderated_score": "9", "note": "Again."}, follow=True)
    assert again.redirect_chain[-1][0] == url and "Alice moderated the Quality score" in again.content.decode()
    assert Moderation.objects.get(bid=bid2, criterion=quality).moderated_score == Decimal("6.00")
    evaluation = body(alice, reverse("commissioning:evaluation", args=[tender.opportunity.reference, 2]))
    assert url in evaluation


def test_a_manager_still_to_declare_as_evaluator_sees_no_justification_to_moderate(
    cast, client_for, two_evaluators, monkeypatch
):
    _, bid2, *_, after2 = two_evaluators
    score_bid(cast.heidi, bid2, 9, 8, after2)
    monkeypatch.setattr(timezone, "now", lambda: after2)
    quality = bid2.stage.criteria.order_by("id").first()
    url = reverse("commissioning:moderate", args=[bid2.pk, quality.pk])
    assert client_for(cast.alice).get(url).status_code == 404  # named on the stage, not yet declared
    assert client_for(cast.root).get(url).status_code == 200


# 4. The partnership, visible to whoever scores it.


def test_the_partnership_is_open_to_an_evaluator_only_once_they_declared_no_conflict(cast, client_for, monkeypatch):
    tender = build_tender(cast)
    BiddingPartnership.objects.filter(pk=tender.partnership.pk).update(
        constitution="Members decide by simple majority.", bidding_protocol="Acorn submits for all."
    )
    _harry, hope_bid = second_bidder(cast, tender)
    after1 = tender.after_stage1
    partnership_url = reverse("commissioning:partnership", args=[tender.partnership.pk])
    bid_url = reverse("commissioning:bid", args=[tender.bid.pk])
    # Before the deadline nobody outside sees it; the lead reads what it typed.
    assert not access.may_see_partnership(cast.heidi, tender.partnership, now=after1 - 2 * HOUR)
    assert "Members decide by simple majority." in body(client_for(cast.dave), partnership_url)
    monkeypatch.setattr(timezone, "now", lambda: after1)
    heidi = client_for(cast.heidi)
    assert not access.may_see_partnership(cast.heidi, tender.partnership, now=after1)
    assert heidi.get(partnership_url).status_code == 404
    assert "Riverside Women&#x27;s Centre" not in body(heidi, bid_url)
    services.conflict_declare(actor=cast.heidi, bid=tender.bid, has_conflict=False, now=after1)
    assert access.may_see_partnership(cast.heidi, tender.partnership, now=after1)
    page = body(heidi, bid_url)
    assert "Riverside Women&#x27;s Centre" in page and "Women&#x27;s centre" in page and "40.00%" in page
    assert partnership_url in page
    page = body(heidi, partnership_url)
    assert "Members decide by simple majority." in page and "Acorn submits for all." in page
    # A conflict keeps the other partnership closed to her.
    services.conflict_declare(actor=cast.heidi, bid=hope_bid, has_conflict=True, details="Trustee.", now=after1)
    assert not access.may_see_partnership(cast.heidi, hope_bid.partnership, now=after1)
    assert not access.may_score(cast.heidi, hope_bid, now=after1)


def test_an_evaluator_downloads_the_uploaded_constitution_of_a_partnership_they_score(cast, client_for, monkeypatch):
    tender = build_tender(cast)
    document = services.partnership_document_add(
        actor=cast.dave,
        partnership=tender.partnership,
        kind="constitution",
        title="Constitution",
        upload=upload("constitution.pdf", pdf("Constitution"), "application/pdf"),
        now=tender.start + 4 * HOUR,
    )
    after1 = tender.after_stage1
    url = reverse("commissioning:partnership-document", args=[tender.partnership.pk, document.pk])
    monkeypatch.setattr(timezone, "now", lambda: after1)
    assert client_for(cast.heidi).get(url).status_code == 404
    services.conflict_declare(actor=cast.heidi, bid=tender.bid, has_conflict=False, now=after1)
    assert client_for(cast.heidi).get(url).status_code == 200


# 8. A partnership rejected at a stage is not offered the next.


def test_only_a_partnership_taken_forward_is_offered_and_let_bid_at_the_next_stage(cast, client_for, monkeypatch):
    tender = build_tender(cast)
    harry, hope_bid = second_bidder(cast, tender)
    after1 = tender.after_stage1
    hope = hope_bid.partnership
    offer = "Write the stage 2 bid"
    # Stage 1 not yet decided: neither is offered stage 2.
    assert access.may_bid_at_stage(hope, tender.stage1)
    assert not access.may_bid_at_stage(hope, tender.stage2)
    assert not access.may_bid_at_stage(tender.partnership, tender.stage2)
    score_bid(cast.heidi, tender.bid, 7, 6, after1)
    score_bid(cast.heidi, hope_bid, 5, 5, after1)
    services.stage_shortlist(actor=cast.alice, stage=tender.stage1, shortlisted=[tender.bid], now=after1)
    assert access.may_bid_at_stage(tender.partnership, tender.stage2)
    assert not access.may_bid_at_stage(hope, tender.stage2)
    assert [s.number for s in access.stages_open_to_bid(tender.partnership, now=after1)] == [2]
    assert access.stages_open_to_bid(hope, now=after1) == []
    monkeypatch.setattr(timezone, "now", lambda: after1)
    assert offer in body(client_for(cast.dave), reverse("commissioning:partnership", args=[tender.partnership.pk]))
    harry_client = client_for(harry)
    assert offer not in body(harry_client, reverse("commissioning:partnership", args=[hope.pk]))
    assert harry_client.get(reverse("commissioning:bid-edit", args=[hope.pk, 2])).status_code == 404
    with pytest.raises(ValidationError, match="Only partnerships taken forward from stage 1 bid at stage 2"):
        services.bid_save(
            actor=harry, partnership=hope, stage=tender.stage2, answers={"1": "x"}, price=Decimal(1), now=after1
        )
