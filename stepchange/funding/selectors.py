"""What the funding pages and the open data read: the summary of helped bids, and the grants made."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum

from stepchange.funding.models import ApplicationStatus, BidOutcome, GrantApplication, HelpedBid

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class BidSummary:
    """Helped bids added up.

    - ``bids``: how many bids; ``asked``: the amounts asked for, every bid whatever its outcome;
    - ``won``: the amounts awarded, of the bids won;
    - ``decided``: the bids won or not won (waiting and withdrawn ones have no result yet, or never
      will); ``success_rate``: the bids won as a percentage of those decided, None when none is.
    """

    bids: int
    asked: Decimal
    won: Decimal
    won_count: int
    decided: int

    @property
    def success_rate(self) -> Decimal | None:
        if not self.decided:
            return None
        return Decimal(self.won_count) * 100 / Decimal(self.decided)


def bid_summary(bids: QuerySet[HelpedBid]) -> BidSummary:
    totals = bids.aggregate(
        bids=Count("pk"),
        asked=Sum("amount_asked"),
        won=Sum("amount_awarded", filter=Q(outcome=BidOutcome.WON)),
        won_count=Count("pk", filter=Q(outcome=BidOutcome.WON)),
        decided=Count("pk", filter=Q(outcome__in=[BidOutcome.WON, BidOutcome.NOT_WON])),
    )
    return BidSummary(
        bids=totals["bids"],
        asked=totals["asked"] or ZERO,
        won=totals["won"] or ZERO,
        won_count=totals["won_count"],
        decided=totals["decided"],
    )


def grants_made() -> QuerySet[GrantApplication]:
    """Every grant awarded, in every region, oldest first: what the open data publishes."""
    return (
        GrantApplication.objects.filter(status=ApplicationStatus.AWARDED)
        .select_related("round", "round__region", "organisation")
        .order_by("decided_on", "pk")
    )
