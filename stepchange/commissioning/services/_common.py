"""What every commissioning service shares: the clock, the notice periods, who manages an
opportunity, snapshots for the audit trail, and notices to bidders."""

from __future__ import annotations

import calendar
import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils import timezone

from stepchange.commissioning import access, notices
from stepchange.commissioning.models import (
    BidderNotice,
    BiddingPartnership,
    Opportunity,
)
from stepchange.core.audit import snapshot

# A change to an opportunity this close to a deadline moves the deadline out to this far away.
MINIMUM_NOTICE = datetime.timedelta(days=7)
CHALLENGE_ANSWER_TIME = datetime.timedelta(days=5)
HUNDRED = Decimal(100)
CENT = Decimal("0.01")
PERSONS_OUTSIDE = "You cannot do that: it is not a bid of a partnership you belong to, or its stage has closed."


def _now(now: datetime.datetime | None) -> datetime.datetime:
    return now or timezone.now()


def add_months(day: datetime.date, months: int) -> datetime.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def opportunity_snapshot(opportunity: Opportunity) -> dict[str, Any]:
    data = snapshot(opportunity)
    data["commissioner"] = opportunity.commissioner.code
    data["stages"] = [
        f"{stage.number} {stage.name} until {stage.deadline.isoformat()}" for stage in opportunity.stages.all()
    ]
    data["rules"] = [rule.describe() for rule in opportunity.rules.all()]
    return data


def _managed(actor: Any, opportunity: Opportunity) -> Opportunity:
    """Refuse anyone who does not manage the opportunity; else lock its row for this transaction
    and read it afresh. Every change a commissioner makes to an opportunity, its stages, bids,
    award and challenges starts here, so two made at once take turns: the second sees what the
    first did (a stage already added, the opportunity already published) instead of clashing."""
    if not access.opportunities_managed_by(actor).filter(pk=opportunity.pk).exists():
        raise PermissionDenied("You cannot change this opportunity.")
    Opportunity.objects.select_for_update().filter(pk=opportunity.pk).exists()
    opportunity.refresh_from_db()
    return opportunity


def _notify(
    partnership: BiddingPartnership, *, subject: str, body: str, now: datetime.datetime, kind: str = "opportunity_news"
) -> BidderNotice:
    """The notice on the partnership's page, and a notification to its bid team (``kind``: one of
    stepchange/notifications/kinds.py)."""
    notice = BidderNotice.objects.create(partnership=partnership, sent_at=now, subject=subject, body=body)
    notices.bidder_notice(notice, kind=kind)
    return notice


def _bidders(opportunity: Opportunity) -> list[BiddingPartnership]:
    """Partnerships that submitted a bid to any stage (withdrawn ones included: they took part)."""
    return list(BiddingPartnership.objects.filter(opportunity=opportunity, bids__submitted_at__isnull=False).distinct())
