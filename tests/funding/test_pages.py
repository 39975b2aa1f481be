"""The small grants round through its pages, as the people do it: Dave applies for his charity and
submits; Alice assesses it and awards it; Dave reads the decision and its reasons. And a stream
added and a bid recorded through their forms, with the summary on the bids page."""

from __future__ import annotations

import datetime
import html
from decimal import Decimal

import pytest
from django.utils import timezone

from stepchange.funding.models import ApplicationStatus, FundingStream, GrantApplication, HelpedBid
from tests.factories import GrantApplicationFactory, GrantsRoundFactory

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    return html.unescape(response.content.decode())


def test_an_application_from_draft_to_award(cast, client_for):
    today = timezone.localdate()
    grants_round = GrantsRoundFactory.create(
        region=cast.region,
        name="Small grants, round 1",
        opens_on=today - datetime.timedelta(days=5),
        closes_on=today + datetime.timedelta(days=5),
        decisions_by=today + datetime.timedelta(days=30),
    )
    dave, alice = client_for(cast.dave), client_for(cast.alice)
    page = _text(dave.get(f"/funding/small-grants/{grants_round.pk}/"))
    assert "Apply for your organisation" in page
    refused = dave.post(
        f"/funding/small-grants/{grants_round.pk}/apply/",
        {
            "project_title": "Family days",
            "summary": "Visits.",
            "amount_requested": "6000",
            "start_on": "1/9/2026",
            "end_on": "1/3/2027",
        },
    )
    assert "The amount asked for cannot be more than this round's largest grant, £5,000.00" in _text(refused)
    created = dave.post(
        f"/funding/small-grants/{grants_round.pk}/apply/",
        {
            "project_title": "Family days",
            "summary": "Visits.",
            "amount_requested": "4000",
            "start_on": "1/9/2026",
            "end_on": "1/3/2027",
        },
    )
    application = GrantApplication.objects.get(round=grants_round, organisation=cast.charity)
    assert created["Location"] == f"/funding/applications/{application.pk}/"
    # A draft is Dave's alone.
    assert alice.get(f"/funding/applications/{application.pk}/").status_code == 404
    dave.post(f"/funding/applications/{application.pk}/submit/")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert "Submit this application" not in _text(dave.get(f"/funding/applications/{application.pk}/"))

    assert "Award or decline" not in _text(alice.get(f"/funding/applications/{application.pk}/"))
    alice.post(
        f"/funding/applications/{application.pk}/assess/",
        {"conflict": "no", "score": "8", "recommendation": "award", "comments": "Clear plan."},
    )
    page = _text(alice.get(f"/funding/applications/{application.pk}/"))
    assert "8 of 10" in page and "Award or decline" in page
    alice.post(
        f"/funding/applications/{application.pk}/decide/",
        {"decision": "award", "amount": "3500", "reasons": "Strong plan; part funded to spread the budget."},
    )
    application.refresh_from_db()
    assert (application.status, application.amount_awarded) == (ApplicationStatus.AWARDED, Decimal("3500.00"))
    page = _text(dave.get(f"/funding/applications/{application.pk}/"))
    assert "Awarded £3,500.00" in page and "Strong plan; part funded" in page
    assert "Clear plan." not in page  # assessments are the team's
    round_page = _text(client_for(None).get(f"/funding/small-grants/{grants_round.pk}/"))
    assert "£3,500.00 (£16,500.00 left)" in round_page  # budget £20,000 less £3,500


def test_a_stream_and_a_bid_through_their_forms(cast, client_for):
    alice, dave = client_for(cast.alice), client_for(cast.dave)
    assert dave.get("/funding/streams/new/").status_code == 404
    alice.post(
        "/funding/streams/new/",
        {
            "region": cast.region.pk,
            "funder": "Home Office",
            "programme": "Change Up",
            "deadline": "30/11/2006",
            "amount_min": "1000",
            "amount_max": "500",
            "eligibility": "Infrastructure bodies.",
        },
    )
    assert not FundingStream.objects.exists()  # the largest below the smallest was refused
    response = alice.post(
        "/funding/streams/new/",
        {
            "region": cast.region.pk,
            "funder": "Home Office",
            "programme": "Change Up",
            "deadline": "30/11/2006",
            "amount_min": "1000",
            "amount_max": "50000",
            "eligibility": "Infrastructure bodies.",
        },
    )
    stream = FundingStream.objects.get()
    assert response["Location"] == f"/funding/streams/{stream.pk}/"
    assert "£1,000 to £50,000" in _text(client_for(None).get(f"/funding/streams/{stream.pk}/"))
    dave.post(
        "/funding/bids/new/",
        {
            "organisation": cast.charity.pk,
            "stream": stream.pk,
            "submitted_on": "1/11/2006",
            "amount_asked": "12000",
            "helped_by": "CRISP",
            "outcome": "won",
            "amount_awarded": "10000",
        },
    )
    bid = HelpedBid.objects.get()
    assert bid.amount_awarded == Decimal("10000.00")
    page = _text(dave.get("/funding/bids/"))
    assert "£12,000.00" in page and "£10,000.00, from 1 bid" in page and "100.0% of the 1 bid decided" in page


def test_a_declined_application_says_so_with_its_reasons(cast, client_for):
    grants_round = GrantsRoundFactory.create(region=cast.region)
    application = GrantApplicationFactory.create(
        round=grants_round,
        organisation=cast.charity,
        status=ApplicationStatus.DECLINED,
        decided_on=datetime.date(2006, 8, 20),
        decision_reasons="Outside the criteria.",
    )
    page = _text(client_for(cast.dave).get(f"/funding/applications/{application.pk}/"))
    assert "Declined on 20 August 2006" in page and "Outside the criteria." in page
    assert "govuk-panel--confirmation" not in page
