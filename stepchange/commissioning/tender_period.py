"""The minimum tender period: how long each stage of an opportunity must be open for bids.

Bidders asked for sensible timescales: a partnership of small organisations needs weeks to form,
agree who leads and write a bid. Each region sets its minimum (``Region.minimum_tender_days``,
28 days unless its commissioner changes it, on the region's management page); a stage may be open
for less only with a reason recorded on the stage, which the audit trail keeps.

A stage opens when the one before it closes; the first opens when the opportunity is published.
Its period is counted in whole days between the two dates, in UK time, so a stage published on
1 July and closing on 29 July is open for 28 days, whatever the hour.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.utils import timezone

if TYPE_CHECKING:
    from stepchange.commissioning.models import Opportunity

DEFAULT_MINIMUM_DAYS = 28


def tender_period_days(opens: datetime.datetime, closes: datetime.datetime) -> int:
    """Whole days from the day a stage opens to the day it closes, in UK time."""
    return (timezone.localdate(closes) - timezone.localdate(opens)).days


def tender_period_problem(
    *, stage_number: int, opens: datetime.datetime, closes: datetime.datetime, minimum_days: int, reason: str
) -> str | None:
    """The one rule: a stage open for fewer days than the minimum needs a reason. None when it keeps
    to the rule; else what is wrong, in words the commissioner can act on."""
    days = tender_period_days(opens, closes)
    if days >= minimum_days or reason.strip():
        return None
    return (
        f"Stage {stage_number} would be open for bids for {days} day{'' if days == 1 else 's'}, less than the "
        f"region's minimum tender period of {minimum_days} days. Close it later, or give the reason it must be shorter."
    )


def minimum_days_of(opportunity: Opportunity) -> int:
    """The minimum tender period of the opportunity's region."""
    return opportunity.commissioner.region.minimum_tender_days


def period_problems(opportunity: Opportunity, *, published_at: datetime.datetime) -> dict[int, str]:
    """Each stage of the opportunity (by number) that breaks the rule, published at ``published_at``,
    with what is wrong."""
    minimum = minimum_days_of(opportunity)
    problems = {}
    opens = published_at
    for stage in opportunity.stages.order_by("number"):
        problem = tender_period_problem(
            stage_number=stage.number,
            opens=opens,
            closes=stage.deadline,
            minimum_days=minimum,
            reason=stage.short_period_reason,
        )
        if problem:
            problems[stage.number] = problem
        opens = stage.deadline
    return problems
