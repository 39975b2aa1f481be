"""The minimum tender period: each stage open for bids at least the region's minimum (28 days unless
its commissioner changes it), from publication for the first stage and from the close of the one
before for the others; shorter only with a reason recorded on the stage."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from stepchange.commissioning import services
from stepchange.commissioning.models import Opportunity
from stepchange.commissioning.tender_period import tender_period_days, tender_period_problem
from stepchange.core.models import AuditEvent
from tests.commissioning.world import draft_opportunity

DAY = datetime.timedelta(days=1)
PUBLISHED = timezone.make_aware(datetime.datetime(2006, 7, 3, 10, 0))


def local(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(year, month, day, hour, minute))


@pytest.mark.parametrize(
    ("closes", "reason", "refused"),
    [
        (PUBLISHED + 27 * DAY, "", True),
        (PUBLISHED + 28 * DAY, "", False),
        (PUBLISHED + 29 * DAY, "", False),
        (PUBLISHED + 27 * DAY, "The funding ends in March.", False),
        (PUBLISHED + 27 * DAY, "   ", True),  # blank is no reason
    ],
)
def test_the_rule_at_its_boundary(closes, reason, refused):
    problem = tender_period_problem(stage_number=1, opens=PUBLISHED, closes=closes, minimum_days=28, reason=reason)
    assert (problem is not None) is refused
    if refused:
        assert problem == (
            "Stage 1 would be open for bids for 27 days, less than the region's minimum tender period of 28 days. "
            "Close it later, or give the reason it must be shorter."
        )


def test_days_are_counted_by_the_uk_calendar_not_the_hour():
    # 23:30 on 1 July (BST) to 00:30 on 29 July: 27 days and an hour, but 28 calendar days.
    assert tender_period_days(local(2006, 7, 1, 23, 30), local(2006, 7, 29, 0, 30)) == 28
    assert tender_period_days(local(2006, 7, 1, 0, 30), local(2006, 7, 28, 23, 30)) == 27


def draft(cast, *deadlines: datetime.timedelta, reasons: tuple[str, ...] = ()) -> Opportunity:
    opportunity = draft_opportunity(
        cast,
        reference="mentoring",
        title="Mentoring",
        description="Mentoring for people leaving custody.",
        contract_start=(PUBLISHED + 120 * DAY).date(),
    )
    for number, after in enumerate(deadlines, start=1):
        stage = services.stage_add(
            actor=cast.alice,
            opportunity=opportunity,
            number=number,
            name=f"Stage {number}",
            deadline=PUBLISHED + after,
            short_period_reason=reasons[number - 1] if number <= len(reasons) else "",
        )
        services.question_add(actor=cast.alice, stage=stage, text="How?")
        services.criterion_add(actor=cast.alice, stage=stage, name="Quality", weight=100)
        services.evaluator_assign(actor=cast.alice, stage=stage, evaluator=cast.heidi)
    return opportunity


def publish(cast, opportunity: Opportunity) -> list[str]:
    try:
        services.opportunity_publish(actor=cast.alice, opportunity=opportunity, now=PUBLISHED)
    except ValidationError as refused:
        return refused.message_dict["published_at"]
    return []


def test_alice_cannot_publish_a_first_stage_open_27_days(cast, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: PUBLISHED)
    opportunity = draft(cast, 27 * DAY)
    assert publish(cast, opportunity) == [
        "Stage 1 would be open for bids for 27 days, less than the region's minimum tender period of 28 days. "
        "Close it later, or give the reason it must be shorter."
    ]
    opportunity.refresh_from_db()
    assert opportunity.published_at is None


def test_she_publishes_one_open_28_days(cast, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: PUBLISHED)
    opportunity = draft(cast, 28 * DAY)
    assert publish(cast, opportunity) == []


def test_a_later_stage_is_counted_from_the_close_of_the_one_before(cast, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: PUBLISHED)
    opportunity = draft(cast, 30 * DAY, 57 * DAY)  # stage 2: 27 days after stage 1 closes
    assert publish(cast, opportunity) == [
        "Stage 2 would be open for bids for 27 days, less than the region's minimum tender period of 28 days. "
        "Close it later, or give the reason it must be shorter."
    ]


def test_a_reason_on_the_stage_lets_it_be_shorter_and_is_kept(cast, client_for, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: PUBLISHED)
    opportunity = draft(cast, 14 * DAY, reasons=("The grant must be spent by March.",))
    assert publish(cast, opportunity) == []
    stage = opportunity.stages.get()
    assert stage.short_period_reason == "The grant must be spent by March."
    added = AuditEvent.objects.get(action="stage_add")
    assert added.after is not None
    assert added.after["short_period_reason"] == "The grant must be spent by March."
    # Bidders read why on the opportunity's page.
    page = client_for(None).get("/opportunities/mentoring/").content.decode()
    assert "less than the region's minimum tender period, because: The grant must be spent by March." in page


def test_the_region_sets_the_minimum(cast, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: PUBLISHED)
    cast.region.minimum_tender_days = 14
    cast.region.save()
    assert cast.regional_team.region == cast.region
    opportunity = draft(cast, 14 * DAY)
    assert publish(cast, opportunity) == []


def test_a_published_deadline_moved_short_needs_a_reason(cast, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: PUBLISHED)
    opportunity = draft(cast, 30 * DAY, 60 * DAY)
    assert publish(cast, opportunity) == []
    first, second = opportunity.stages.order_by("number")

    # Stage 2 brought forward to 20 days after stage 1 closes.
    with pytest.raises(ValidationError) as refused:
        services.stage_deadline_change(actor=cast.alice, stage=second, deadline=PUBLISHED + 50 * DAY)
    assert "Stage 2 would be open for bids for 20 days" in refused.value.message_dict["deadline"][0]
    # Stage 1 moved later shortens stage 2, which opens when stage 1 closes.
    with pytest.raises(ValidationError) as refused:
        services.stage_deadline_change(actor=cast.alice, stage=first, deadline=PUBLISHED + 40 * DAY)
    assert "Stage 2 would be open for bids for 20 days" in refused.value.message_dict["deadline"][0]
    second.refresh_from_db()
    first.refresh_from_db()
    assert (first.deadline, second.deadline) == (PUBLISHED + 30 * DAY, PUBLISHED + 60 * DAY)

    services.stage_deadline_change(
        actor=cast.alice,
        stage=second,
        deadline=PUBLISHED + 50 * DAY,
        short_period_reason="The partnerships shortlisted asked for an earlier close.",
    )
    second.refresh_from_db()
    assert second.deadline == PUBLISHED + 50 * DAY
    assert second.short_period_reason == "The partnerships shortlisted asked for an earlier close."
    changed = AuditEvent.objects.filter(action="stage_deadline_change").get()
    assert changed.before is not None and changed.after is not None
    assert changed.before["short_period_reason"] == ""
    assert changed.after["short_period_reason"] == second.short_period_reason
