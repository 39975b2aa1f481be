"""Bids, sealed until their stage's deadline: the bid, its opportunity's sealing key and the record of
who opened it."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q

from stepchange.commissioning.models.opportunities import Opportunity, Stage
from stepchange.commissioning.models.partnerships import BiddingPartnership


class Outcome(models.TextChoices):
    SHORTLISTED = "shortlisted", "Taken forward"
    REJECTED = "rejected", "Not taken forward"
    AWARDED = "awarded", "Awarded"


class Bid(models.Model):
    """One partnership's submission to one stage; sealed until the stage's deadline."""

    partnership = models.ForeignKey(BiddingPartnership, on_delete=models.PROTECT, related_name="bids")
    stage = models.ForeignKey(Stage, on_delete=models.PROTECT, related_name="bids")
    # The answers (question number as a string → answer) and the annual price, only ever as
    # AES-GCM ciphertext under the opportunity's key: read and written by ``sealing`` alone.
    sealed = models.BinaryField(default=b"", editable=False)
    submitted_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    # Set when the opportunity changed after this bid was submitted; cleared by re-confirming.
    reconfirm_needed_since = models.DateTimeField(null=True, blank=True)
    # Organisation id → the sector and flags the eligibility rules read at submission: a submitted
    # bid keeps the eligibility it was checked with, whatever the organisations' profiles say
    # later. See services.bids.eligibility_basis.
    eligibility_basis = models.JSONField(default=dict, blank=True)
    outcome = models.CharField(max_length=12, choices=Outcome.choices, blank=True)
    outcome_at = models.DateTimeField(null=True, blank=True)
    feedback = models.TextField(blank=True)
    created_at = models.DateTimeField()
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["stage", "partnership__name"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "stage"], name="one_bid_per_partnership_stage"),
            models.CheckConstraint(
                condition=Q(outcome="") | Q(outcome_at__isnull=False), name="bid_outcome_has_a_time"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.partnership} – stage {self.stage.number}"

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None and self.withdrawn_at is None

    def is_changeable(self, now: datetime.datetime | None = None) -> bool:
        """Whether its team may still change or withdraw it: not withdrawn, and its stage still sealed
        (after the deadline the bid is frozen)."""
        return self.withdrawn_at is None and self.stage.is_sealed(now)

    @property
    def status_label(self) -> str:
        if self.withdrawn_at:
            return "Withdrawn"
        if self.submitted_at is None:
            return "Not submitted"
        if self.reconfirm_needed_since:
            return "Must be re-confirmed"
        return "Submitted"


class OpportunityKey(models.Model):
    """The key an opportunity's bids are sealed with, kept only wrapped (AES-GCM) by a master key
    from the environment, named by ``master_key_id``; see ``sealing``."""

    opportunity = models.OneToOneField(Opportunity, on_delete=models.CASCADE, related_name="sealing_key")
    master_key_id = models.CharField(max_length=40)
    wrapped_key = models.BinaryField(editable=False)
    created_at = models.DateTimeField()
    rewrapped_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Bid key of {self.opportunity} under {self.master_key_id}"


class BidOpening(models.Model):
    """Who opened which sealed bid, when: every view of a bid's content by someone outside it."""

    bid = models.ForeignKey(Bid, on_delete=models.CASCADE, related_name="openings")
    # Set when what was opened is one of the bid's documents rather than its page.
    document = models.ForeignKey(
        "BidDocument", null=True, blank=True, on_delete=models.SET_NULL, related_name="openings"
    )
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    opened_at = models.DateTimeField()

    class Meta:
        ordering = ["opened_at", "id"]

    def __str__(self) -> str:
        return f"{self.bid} opened {self.opened_at:%Y-%m-%d %H:%M}"
