"""The commissioning pages as each persona uses them, on the real clock and either side of the
stage 1 deadline (the clock moved with ``django.utils.timezone.now``)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from stepchange.commissioning import sealing
from stepchange.commissioning.models import Bid, BidOpening, ClarificationQuestion, Opportunity
from tests.commissioning.world import DAY, HOUR, award_tender, build_tender


@pytest.fixture
def tender(cast):
    return build_tender(cast)


def move_clock(monkeypatch, to):
    monkeypatch.setattr(timezone, "now", lambda: to)


def test_anyone_finds_the_opportunity_and_filters_the_list(cast, client_for, tender):
    page = client_for(None).get(reverse("commissioning:list"))
    assert "Women&#x27;s services" in page.content.decode()
    for query, shown in [
        ({"pathway": "health"}, True),
        ({"pathway": "fbd"}, False),
        ({"area": "SYPA"}, True),
        ({"closing_soon": "on"}, True),
    ]:
        body = client_for(None).get(reverse("commissioning:list"), query).content.decode()
        assert ("Women&#x27;s services" in body) is shown, query
    detail = client_for(None).get(reverse("commissioning:detail", args=["womens-services"])).content.decode()
    assert "Clarification questions close" in detail and "Answers published by" in detail
    assert "The lead organisation must be voluntary and community sector" in detail


def test_a_closing_soon_filter_leaves_out_what_closes_later(cast, client_for, tender, monkeypatch):
    # Stage 1 closes 10 days after the start, stage 2 after 20; 14 days are "soon". Standing 12 days
    # after the start, only stage 2 is ahead, 8 days away: still soon. At the start minus 10 days
    # (before publication) nothing is listed at all.
    move_clock(monkeypatch, tender.start + 12 * DAY)
    body = client_for(None).get(reverse("commissioning:list"), {"closing_soon": "on"}).content.decode()
    assert "Women&#x27;s services" in body


def test_a_draft_is_a_404_to_everyone_but_its_managers(cast, client_for, tender):
    Opportunity.objects.filter(pk=tender.opportunity.pk).update(published_at=None)
    url = reverse("commissioning:detail", args=["womens-services"])
    for name, user in cast.everyone().items():
        expected = 200 if name in {"alice", "root"} else 404
        assert client_for(user).get(url).status_code == expected, name


def test_the_answer_is_public_and_the_asker_is_not_named(cast, client_for, tender):
    client_for(cast.dave).post(
        reverse("commissioning:ask", args=["womens-services"]), {"question": "Can a partnership include a prison?"}
    )
    question = ClarificationQuestion.objects.get()
    client_for(cast.alice).post(
        reverse("commissioning:clarification-answer", args=[question.pk]), {"answer": "No: providers only."}
    )
    body = client_for(None).get(reverse("commissioning:detail", args=["womens-services"])).content.decode()
    assert "Can a partnership include a prison?" in body and "No: providers only." in body
    assert "Dave" not in body and "Acorn" not in body


@pytest.mark.parametrize("when", ["before", "after"])
def test_bid_pages_are_404_to_all_but_members_while_sealed(cast, client_for, tender, monkeypatch, when):
    move_clock(monkeypatch, tender.stage1.deadline - HOUR if when == "before" else tender.after_stage1)
    bid_url = reverse("commissioning:bid", args=[tender.bid.pk])
    partnership_url = reverse("commissioning:partnership", args=[tender.partnership.pk])
    evaluation_url = reverse("commissioning:evaluation", args=["womens-services", 1])
    for name, user in (cast.everyone() | {"wendy": tender.wendy}).items():
        client = client_for(user)
        sees = name in {"dave", "wendy"} or (when == "after" and name in {"alice", "root", "heidi"})
        code = client.get(partnership_url).status_code
        assert code in ((200,) if sees else (404, 302)), (name, code)
        code = client.get(bid_url).status_code
        assert code in ((200,) if sees else (404, 302)), (name, code)
        evaluation = client.get(evaluation_url).status_code
        assert evaluation == (
            200 if when == "after" and name in {"alice", "root"} else (302 if user is None else 404)
        ), name
        # The evaluator's own list neither names nor counts the sealed bid.
        if user is not None:
            body = client.get(reverse("commissioning:evaluations")).content.decode()
            assert ("Acorn Women" in body) is (when == "after" and name == "heidi"), name


def test_heidi_declares_then_scores_and_her_opening_is_logged(cast, client_for, tender, monkeypatch):
    move_clock(monkeypatch, tender.after_stage1)
    heidi = client_for(cast.heidi)
    url = reverse("commissioning:bid", args=[tender.bid.pk])
    first = heidi.get(url).content.decode()
    assert "Declare any conflict of interest" in first and "Through the women" not in first
    heidi.post(url, {"has_conflict": "no"})
    page = heidi.get(url).content.decode()
    assert "Through the women&#x27;s centre." in page
    quality, price = tender.stage1.criteria.order_by("id")
    refused = heidi.post(
        url,
        {
            f"score_{quality.pk}": "7",
            f"why_{quality.pk}": "",
            f"score_{price.pk}": "6",
            f"why_{price.pk}": "Fair.",
            "submit": "1",
        },
    )
    assert "Justify the score for Quality" in refused.content.decode()
    heidi.post(
        url,
        {
            f"score_{quality.pk}": "7",
            f"why_{quality.pk}": "Good reach.",
            f"score_{price.pk}": "6",
            f"why_{price.pk}": "Fair.",
            "submit": "1",
        },
    )
    assert list(tender.bid.scores.values_list("score", flat=True).order_by("criterion_id")) == [7, 6]
    assert BidOpening.objects.filter(opened_by=cast.heidi).count() >= 1
    audit = client_for(cast.alice).get(reverse("commissioning:audit", args=["womens-services"])).content.decode()
    assert "Heidi" in audit


def test_a_provider_forms_a_partnership_and_an_ineligible_bid_is_refused_naming_the_rule(cast, client_for, tender):
    erin = client_for(cast.erin)
    erin.post(
        reverse("commissioning:partnership-create", args=["womens-services"]),
        {"name": "Beacon Bid", "lead_role": "Lead", "lead_share": "100"},
    )
    partnership = cast.company.partnerships_led.get()
    page = erin.post(
        reverse("commissioning:bid-edit", args=[partnership.pk, 1]),
        {"q1": "We will.", "price": "£120,000", "submit": "1"},
    ).content.decode()
    assert (
        "The lead organisation must be voluntary and community sector: Beacon Services Ltd is private sector." in page
    )
    bid = Bid.objects.get(partnership=partnership)
    assert bid.submitted_at is None and sealing.open_bid(bid, reader=cast.erin).price == Decimal("120000")


def test_the_award_links_to_its_contract_for_those_who_may_see_it(cast, client_for):
    tender = build_tender(cast)
    done = award_tender(cast, tender)
    link = reverse("contracts:detail", args=[done.award.contract_id])
    detail = reverse("commissioning:detail", args=["womens-services"])
    # Alice manages the commissioner; Dave's charity holds the contract; the public sees the award only.
    for user, shown in ((cast.alice, True), (cast.dave, True), (None, False), (cast.erin, False)):
        assert (link in client_for(user).get(detail).content.decode()) is shown, user
