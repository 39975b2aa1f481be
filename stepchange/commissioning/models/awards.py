"""Awards, the challenges to them and what the service told the bidders."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from stepchange.commissioning.awards import current_award_q, is_current
from stepchange.commissioning.models.bids import Bid
from stepchange.commissioning.models.opportunities import Opportunity
from stepchange.commissioning.models.partnerships import BiddingPartnership


class Award(models.Model):
    """The award of an opportunity to a last-stage bid, and the contract it created."""

    opportunity = models.ForeignKey(Opportunity, on_delete=models.PROTECT, related_name="awards")
    bid = models.ForeignKey(Bid, on_delete=models.PROTECT, related_name="awards")
    contract = models.ForeignKey("contracts.Contract", null=True, on_delete=models.SET_NULL, related_name="awards")
    value = models.DecimalField(max_digits=14, decimal_places=2)
    awarded_at = models.DateTimeField()
    awarded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    standstill_ends = models.DateField()
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_reason = models.TextField(blank=True)
    # Why the commissioner awarded while a named evaluator had not scored (``bid_award``); blank
    # when every evaluator named on the stage scored every bid or declared a conflict.
    unscored_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-awarded_at"]
        constraints = [
            models.UniqueConstraint(fields=["opportunity"], condition=current_award_q(), name="one_standing_award"),
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True) | ~Q(withdrawn_reason=""), name="award_withdrawal_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.opportunity}: {self.bid.partnership}"

    def get_absolute_url(self) -> str:
        return self.opportunity.get_absolute_url()

    def in_standstill(self, today: datetime.date | None = None) -> bool:
        return (today or timezone.localdate()) <= self.standstill_ends

    def may_start(self, today: datetime.date | None = None) -> bool:
        """The contract may start after the standstill, and never while a challenge is open."""
        return (
            is_current(self)
            and not self.in_standstill(today)
            and not self.challenges.filter(answered_at__isnull=True).exists()
        )


class Challenge(models.Model):
    """A bidder's challenge to an award during the standstill; answered by a deadline."""

    award = models.ForeignKey(Award, on_delete=models.PROTECT, related_name="challenges")
    partnership = models.ForeignKey(BiddingPartnership, on_delete=models.PROTECT, related_name="challenges")
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    raised_at = models.DateTimeField()
    grounds = models.TextField()
    answer_due = models.DateTimeField()
    answer = models.TextField(blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["raised_at"]
        constraints = [
            models.CheckConstraint(condition=~Q(grounds=""), name="challenge_has_grounds"),
            models.CheckConstraint(
                condition=Q(answered_at__isnull=True) | ~Q(answer=""), name="answered_challenge_has_answer"
            ),
        ]

    def __str__(self) -> str:
        return f"Challenge by {self.partnership} to {self.award}"


class BidderNotice(models.Model):
    """What the service told a partnership: a change to the opportunity, an outcome, a survey."""

    partnership = models.ForeignKey(BiddingPartnership, on_delete=models.CASCADE, related_name="notices")
    sent_at = models.DateTimeField()
    subject = models.CharField(max_length=200)
    body = models.TextField()

    class Meta:
        ordering = ["-sent_at", "-id"]

    def __str__(self) -> str:
        return self.subject
