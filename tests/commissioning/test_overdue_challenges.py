"""A challenge whose answer deadline passes without an answer is flagged to the commissioner, on
the opportunity's page and its audit page, and the contract still cannot start. Times are fixed:
the selector is given ``now`` and the pages stand on a clock moved to it."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from stepchange.commissioning import selectors, services
from stepchange.commissioning.services import CHALLENGE_ANSWER_TIME
from tests.commissioning.world import DAY, HOUR, award_tender, build_tender

OVERDUE = "is overdue. The contract cannot start until it is answered."


@pytest.fixture
def challenged(cast):
    tender = build_tender(cast)
    awarded = award_tender(cast, tender)
    raised = awarded.after2 + HOUR
    challenge = services.challenge_raise(
        actor=awarded.harry, award=awarded.award, grounds="Scoring inconsistent.", now=raised
    )
    assert challenge.answer_due == raised + CHALLENGE_ANSWER_TIME
    return tender, awarded, challenge


def pages(client, reference: str) -> list[str]:
    return [
        client.get(reverse(name, args=[reference])).content.decode()
        for name in ("commissioning:detail", "commissioning:audit")
    ]


def test_a_challenge_is_flagged_overdue_only_once_its_answer_deadline_passes(cast, challenged):
    tender, awarded, challenge = challenged
    before = selectors.challenges_of_standing_award(tender.opportunity, now=challenge.answer_due - HOUR)
    after = selectors.challenges_of_standing_award(tender.opportunity, now=challenge.answer_due + HOUR)
    assert [(row.challenge, row.overdue) for row in before] == [(challenge, False)]
    assert [(row.challenge, row.overdue) for row in after] == [(challenge, True)]
    # Overdue is still open: the day after the standstill, the contract may not start.
    day_after_standstill = awarded.award.standstill_ends + datetime.timedelta(days=1)
    assert not awarded.award.may_start(day_after_standstill)
    services.challenge_answer(
        actor=cast.alice, challenge=challenge, answer="Scores were moderated.", now=challenge.answer_due + DAY
    )
    answered = selectors.challenges_of_standing_award(tender.opportunity, now=challenge.answer_due + 2 * DAY)
    assert [row.overdue for row in answered] == [False]
    assert awarded.award.may_start(day_after_standstill)


def test_the_commissioner_sees_the_flag_on_the_opportunity_and_audit_pages(cast, client_for, challenged, monkeypatch):
    tender, _, challenge = challenged
    reference = tender.opportunity.reference
    monkeypatch.setattr(timezone, "now", lambda: challenge.answer_due - HOUR)
    for body in pages(client_for(cast.alice), reference):
        assert "Hope Partnership" in body and OVERDUE not in body
        assert reverse("commissioning:challenge-answer", args=[challenge.pk]) in body
    monkeypatch.setattr(timezone, "now", lambda: challenge.answer_due + HOUR)
    for body in pages(client_for(cast.alice), reference):
        assert "Hope Partnership's challenge was due on" in body and OVERDUE in body
        assert "govuk-tag--red" in body


def test_no_one_but_the_commissioner_sees_the_challenges(cast, client_for, challenged, monkeypatch):
    tender, _, challenge = challenged
    monkeypatch.setattr(timezone, "now", lambda: challenge.answer_due + HOUR)
    url = reverse("commissioning:detail", args=[tender.opportunity.reference])
    for name, user in cast.everyone().items():
        if name in {"alice", "root"}:  # the regional team's managers
            continue
        body = client_for(user).get(url).content.decode()
        assert "Challenges to the award" not in body and OVERDUE not in body, name
