"""A cancelled opportunity's feedback survey never tells how many had bid while its bids are sealed:
every bidder is asked, so the counts of invitations and answers would tell it. The ratings and the
comments are published; the counts are not, on the page, in the report or in the report's totals."""

from __future__ import annotations

import json

from django.urls import reverse
from django.utils import timezone

from stepchange.commissioning import services
from stepchange.commissioning.models import SurveyInvitation
from tests.commissioning.world import HOUR, build_tender, second_bidder


def test_the_survey_of_a_tender_cancelled_before_its_deadline_does_not_count_the_bidders(cast, client_for):
    tender = build_tender(cast)
    second_bidder(cast, tender)
    cancelled_at = tender.start + 5 * HOUR
    services.opportunity_cancel(actor=cast.alice, opportunity=tender.opportunity, reason="No funds.", now=cancelled_at)
    assert SurveyInvitation.objects.filter(opportunity=tender.opportunity).count() == 2
    invitation = SurveyInvitation.objects.get(partnership=tender.partnership)
    answers = {"clarity": 4, "time_to_form_partnership": 3, "transparency": 5, "effort_hours": 40, "effort_people": 2}
    services.survey_answer(actor=cast.dave, invitation=invitation, what_to_change="More time.", **answers)
    services.feedback_publish(actor=cast.alice, opportunity=tender.opportunity, now=cancelled_at + HOUR)

    page = client_for(None).get(reverse("commissioning:detail", args=["womens-services"])).content.decode()
    assert "What bidders said" in page and "More time." in page
    assert "bidders answered" not in page and "1 of 2" not in page

    report = json.loads(client_for(None).get("/reports/commissioning-feedback.json", {"region": "YH"}).content)
    (row,) = report["rows"]
    assert row["invited"] is None and row["responses"] is None
    assert report["totals"]["invited"] == 0 and report["totals"]["responses"] == 0


def test_once_every_deadline_has_passed_the_counts_are_told(cast, client_for, monkeypatch):
    tender = build_tender(cast)
    services.opportunity_cancel(
        actor=cast.alice, opportunity=tender.opportunity, reason="No funds.", now=tender.start + 5 * HOUR
    )
    invitation = SurveyInvitation.objects.get(partnership=tender.partnership)
    answers = {"clarity": 4, "time_to_form_partnership": 3, "transparency": 5, "effort_hours": 40, "effort_people": 2}
    services.survey_answer(actor=cast.dave, invitation=invitation, **answers)
    services.feedback_publish(actor=cast.alice, opportunity=tender.opportunity, now=tender.start + 6 * HOUR)
    monkeypatch.setattr(timezone, "now", lambda: tender.stage2.deadline + HOUR)
    page = client_for(None).get(reverse("commissioning:detail", args=["womens-services"])).content.decode()
    assert "1 of 1 bidders answered" in page
