"""A cancelled opportunity's feedback survey never tells how many had bid while its bids are sealed:
every bidder is asked, so the counts of invitations and answers would tell it, and so would whether
anyone answered at all. Until every stage's deadline has passed the summary is not published (the
refusal is the same whether or not anyone answered) and no count is shown."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from stepchange.commissioning import services
from stepchange.commissioning.models import Opportunity, SurveyInvitation
from tests.commissioning.world import HOUR, build_tender, second_bidder

ANSWERS: dict[str, Any] = {
    "clarity": 4,
    "time_to_form_partnership": 3,
    "transparency": 5,
    "effort_hours": 40,
    "effort_people": 2,
}


@pytest.fixture
def cancelled(cast):
    """Acorn and Hope bid at stage 1; Alice cancels before the deadline; Acorn answers the survey."""
    tender = build_tender(cast)
    second_bidder(cast, tender)
    services.opportunity_cancel(
        actor=cast.alice, opportunity=tender.opportunity, reason="No funds.", now=tender.start + 5 * HOUR
    )
    assert SurveyInvitation.objects.filter(opportunity=tender.opportunity).count() == 2
    invitation = SurveyInvitation.objects.get(partnership=tender.partnership)
    services.survey_answer(actor=cast.dave, invitation=invitation, what_to_change="More time.", **ANSWERS)
    return tender


def test_the_summary_is_not_published_while_a_stage_is_sealed(cast, client_for, cancelled):
    opportunity = Opportunity.objects.get(pk=cancelled.opportunity.pk)
    with pytest.raises(ValidationError, match="once the deadline of every stage has passed"):
        services.feedback_publish(actor=cast.alice, opportunity=opportunity, now=cancelled.start + 6 * HOUR)
    page = client_for(cast.alice).get(reverse("commissioning:detail", args=["womens-services"])).content.decode()
    assert "Publish the feedback summary" not in page


def test_no_count_is_shown_while_a_stage_is_sealed(cast, client_for, cancelled):
    Opportunity.objects.filter(pk=cancelled.opportunity.pk).update(feedback_published_at=cancelled.start + 6 * HOUR)

    page = client_for(None).get(reverse("commissioning:detail", args=["womens-services"])).content.decode()
    assert "What bidders said" in page and "More time." in page
    assert "bidders answered" not in page and "1 of 2" not in page

    report = json.loads(client_for(None).get("/reports/commissioning-feedback.json", {"region": "YH"}).content)
    (row,) = report["rows"]
    assert row["invited"] is None and row["responses"] is None
    assert report["totals"]["invited"] == 0 and report["totals"]["responses"] == 0


def test_once_every_deadline_has_passed_it_is_published_with_its_counts(cast, client_for, cancelled, monkeypatch):
    after = cancelled.stage2.deadline + HOUR
    monkeypatch.setattr(timezone, "now", lambda: after)
    opportunity = Opportunity.objects.get(pk=cancelled.opportunity.pk)
    services.feedback_publish(actor=cast.alice, opportunity=opportunity, now=after)
    page = client_for(None).get(reverse("commissioning:detail", args=["womens-services"])).content.decode()
    assert "1 of 2 bidders answered" in page
