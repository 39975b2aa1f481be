"""Bid deadlines approaching: each partnership that may bid at a stage closing within 7 days, and
has no submitted (and, after a change, re-confirmed) bid at it, is told once per deadline.

Run daily from cron (``manage.py notify_stage_deadlines``); safe to run any number of times: the
notification of a (stage, partnership, deadline) is written once. A deadline moved is a new one.
"""

from __future__ import annotations

import datetime

from django.db import transaction

from stepchange.commissioning import notices
from stepchange.commissioning.access import may_bid_at_stage
from stepchange.commissioning.models import Bid, BiddingPartnership, Stage

DUE_WITHIN = datetime.timedelta(days=7)


def bid_in(partnership: BiddingPartnership, stage: Stage) -> bool:
    return Bid.objects.filter(
        partnership=partnership,
        stage=stage,
        submitted_at__isnull=False,
        withdrawn_at__isnull=True,
        reconfirm_needed_since__isnull=True,
    ).exists()


def notify_stage_deadlines(*, now: datetime.datetime) -> int:
    """Write the notifications due; returns how many people were told now."""
    told = 0
    stages = Stage.objects.filter(
        deadline__gt=now,
        deadline__lte=now + DUE_WITHIN,
        opportunity__published_at__isnull=False,
        opportunity__cancelled_at__isnull=True,
        opportunity__closed_without_award_at__isnull=True,
    ).select_related("opportunity")
    for stage in stages:
        with transaction.atomic():
            for partnership in BiddingPartnership.objects.filter(opportunity=stage.opportunity).select_related(
                "opportunity"
            ):
                if may_bid_at_stage(partnership, stage) and not bid_in(partnership, stage):
                    told += notices.stage_deadline(partnership, stage, now=now)
    return told
