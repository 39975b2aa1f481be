"""Alice moves a stage's deadline on its own page. Once the opportunity is published, every
partnership is told, submitted bids must be re-confirmed, and a deadline less than seven days
from the change moves to seven days from it, with or without bids, so that the page never shows
a commissioner whether a sealed bid is there."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from stepchange.commissioning import services
from stepchange.commissioning.models import BidderNotice, Stage
from stepchange.core.models import AuditEvent
from tests.commissioning.world import DAY, HOUR, build_tender, draft_opportunity


@pytest.fixture
def tender(cast):
    return build_tender(cast)


def typed(when: datetime.datetime) -> str:
    return f"{timezone.localtime(when):%d/%m/%Y %H:%M}"


def freeze(monkeypatch, at: datetime.datetime) -> None:
    monkeypatch.setattr(timezone, "now", lambda: at)


def quiet_opportunity(cast, start):
    """Published, one stage closing in ten days, and nobody has formed a partnership for it."""
    opportunity = draft_opportunity(
        cast,
        reference="quiet",
        title="Quiet",
        description="No one bids.",
        contract_start=(start + 60 * DAY).date(),
    )
    stage = services.stage_add(
        actor=cast.alice,
        opportunity=opportunity,
        number=1,
        name="Bid",
        deadline=start + 10 * DAY,
        short_period_reason="A ten-day pilot tender.",
    )
    services.question_add(actor=cast.alice, stage=stage, text="Why?")
    services.criterion_add(actor=cast.alice, stage=stage, name="Quality", weight=100)
    services.evaluator_assign(actor=cast.alice, stage=stage, evaluator=cast.heidi)
    services.opportunity_publish(actor=cast.alice, opportunity=opportunity, now=start)
    return stage


def test_alice_moves_stage_1_and_acorn_is_told_and_must_reconfirm(cast, client_for, tender, monkeypatch):
    freeze(monkeypatch, tender.start + DAY)
    url = reverse("commissioning:stage-deadline", args=["womens-services", 1])
    alice = client_for(cast.alice)
    page = alice.get(url).content.decode()
    assert "every partnership bidding for it will be told of the change and must re-confirm its bid" in page
    assert f'value="{typed(tender.stage1.deadline)}"' in page

    response = alice.post(url, {"deadline": typed(tender.start + 15 * DAY)}, follow=True)
    body = response.content.decode()
    closes = f"{timezone.localtime(tender.start + 15 * DAY):%-d %B %Y %H:%M}"
    assert f"Stage 1 now closes {closes}. Every partnership bidding has been told" in body
    tender.stage1.refresh_from_db()
    assert tender.stage1.deadline == tender.start + 15 * DAY
    tender.bid.refresh_from_db()
    assert tender.bid.reconfirm_needed_since == tender.start + DAY
    assert tender.bid.status_label == "Must be re-confirmed"
    notice = BidderNotice.objects.get(partnership=tender.partnership)
    assert "re-confirm your bid" in notice.body
    event = AuditEvent.objects.get(action="stage_deadline_change")
    assert event.after is not None
    assert (event.actor, event.after["deadline"]) == (cast.alice, (tender.start + 15 * DAY).isoformat())

    # Dave re-confirms from his partnership's page.
    services.bid_submit(actor=cast.dave, bid=tender.bid, now=tender.start + DAY + HOUR)
    tender.bid.refresh_from_db()
    assert tender.bid.reconfirm_needed_since is None


def test_a_deadline_brought_within_7_days_moves_to_7_days_bids_or_none(cast, client_for, tender, monkeypatch):
    # After clarification questions have closed (start + 5 days), with stage 1 closing at start + 10.
    now = tender.start + 6 * DAY
    freeze(monkeypatch, now)
    quiet = quiet_opportunity(cast, tender.start)
    alice = client_for(cast.alice)
    said = []
    for reference, stage in (("womens-services", tender.stage1), ("quiet", quiet)):
        response = alice.post(
            reverse("commissioning:stage-deadline", args=[reference, 1]),
            {"deadline": typed(now + 2 * DAY)},
            follow=True,
        )
        stage.refresh_from_db()
        # Two days asked for; seven days from the change given.
        assert stage.deadline == now + 7 * DAY
        said.append(response.content.decode().split("govuk-notification-banner__heading")[1].split("</")[0])
    # What Alice reads is the same whether Acorn's sealed bid is there or no one is bidding.
    assert said[0] == said[1]
    assert "a deadline less than 7 days after a change moves to 7 days after it" in said[0]


def test_moving_stage_1_past_stage_2_is_refused_and_nothing_changes(cast, client_for, tender, monkeypatch):
    freeze(monkeypatch, tender.start + DAY)
    page = client_for(cast.alice).post(
        reverse("commissioning:stage-deadline", args=["womens-services", 1]),
        {"deadline": typed(tender.start + 25 * DAY)},
    )
    closes = f"{timezone.localtime(tender.stage2.deadline):%-d %B %Y %H:%M}"
    assert f"Stage 1 must close before stage 2, which closes {closes}." in page.content.decode()
    assert Stage.objects.get(pk=tender.stage1.pk).deadline == tender.stage1.deadline
    assert not BidderNotice.objects.exists()
    assert not AuditEvent.objects.filter(action="stage_deadline_change").exists()
    page = client_for(cast.alice).post(
        reverse("commissioning:stage-deadline", args=["womens-services", 1]), {"deadline": "next Friday"}
    )
    assert "Enter the new deadline like 30/6/2006 12:00" in page.content.decode()


def test_the_seven_day_rule_keeps_the_stages_in_order(cast, tender):
    # At start + 8 days stage 1 closes in 2 days; Alice brings stage 2 forward to start + 13.
    change_at = tender.start + 8 * DAY
    services.stage_deadline_change(
        actor=cast.alice, stage=tender.stage2, deadline=tender.start + 13 * DAY, now=change_at
    )
    tender.stage1.refresh_from_db()
    tender.stage2.refresh_from_db()
    # Stage 1 moved to 8 + 7 = 15 days; stage 2, asked for 13 days, must follow it and keeps the
    # 3 days that separated the two: 15 + 3 = 18 days.
    assert tender.stage1.deadline == tender.start + 15 * DAY
    assert tender.stage2.deadline == tender.start + 18 * DAY


def test_only_the_opportunitys_managers_change_a_deadline_and_never_after_it_closes(
    cast, client_for, tender, monkeypatch
):
    url = reverse("commissioning:stage-deadline", args=["womens-services", 1])
    for user in (cast.bob, cast.dave, cast.heidi, cast.erin):
        assert client_for(user).get(url).status_code == 404
        assert client_for(user).post(url, {"deadline": typed(tender.start + 12 * DAY)}).status_code == 404
    assert client_for(None).get(url)["Location"].startswith("/account/sign-in/")
    with pytest.raises(Exception, match="cannot change this opportunity"):
        services.stage_deadline_change(actor=cast.dave, stage=tender.stage1, deadline=tender.start + 12 * DAY)
    freeze(monkeypatch, tender.after_stage1)
    assert client_for(cast.alice).get(url).status_code == 404
    with pytest.raises(ValidationError, match="This stage has closed"):
        services.stage_deadline_change(
            actor=cast.alice, stage=tender.stage1, deadline=tender.start + 12 * DAY, now=tender.after_stage1
        )
    assert Stage.objects.get(pk=tender.stage1.pk).deadline == tender.stage1.deadline
