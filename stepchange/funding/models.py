"""Funding beyond the region's contracts: the funding streams providers may bid to, the bids the
region helped organisations make to them, and the region's own small grants programme (its rounds,
the applications to them, their assessment and the grants made)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone


class FundingStream(models.Model):
    """A source of money organisations may bid to: who funds it, under which programme, when bids
    close, how much it gives, and for whom. Kept by the regional team of ``region``."""

    region = models.ForeignKey("core.Region", on_delete=models.PROTECT, related_name="+")
    funder = models.CharField(max_length=200)
    programme = models.CharField(max_length=200)
    opens_on = models.DateField(null=True, blank=True)
    deadline = models.DateField(null=True, blank=True)  # none: bids are taken at any time
    amount_min = models.DecimalField(null=True, blank=True, max_digits=14, decimal_places=2)
    amount_max = models.DecimalField(null=True, blank=True, max_digits=14, decimal_places=2)
    eligibility = models.TextField()
    url = models.URLField(blank=True)
    pathways = models.ManyToManyField("core.Pathway", blank=True, related_name="+")
    areas = models.ManyToManyField("organisations.Commissioner", blank=True, related_name="+")
    # When it was added: the bulletin announces it from then (funding/bulletins.py).
    created_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["deadline", "funder", "programme", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_min__isnull=True)
                | Q(amount_max__isnull=True)
                | Q(amount_min__lte=models.F("amount_max")),
                name="funding_stream_min_not_above_max",
            ),
            models.CheckConstraint(
                condition=Q(opens_on__isnull=True) | Q(deadline__isnull=True) | Q(opens_on__lte=models.F("deadline")),
                name="funding_stream_opens_before_deadline",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.funder}: {self.programme}"

    def get_absolute_url(self) -> str:
        return reverse("funding:stream", args=[self.pk])


class BidOutcome(models.TextChoices):
    WAITING = "waiting", "Waiting for a decision"
    WON = "won", "Won"
    NOT_WON = "not_won", "Not won"
    WITHDRAWN = "withdrawn", "Withdrawn"


class HelpedBid(models.Model):
    """A bid an organisation was helped to make to a funding stream: how much it asked for, who
    helped it, and what came of it (an amount awarded only when it was won)."""

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    stream = models.ForeignKey(FundingStream, on_delete=models.PROTECT, related_name="helped_bids")
    submitted_on = models.DateField()
    amount_asked = models.DecimalField(max_digits=14, decimal_places=2)
    helped_by = models.CharField(max_length=200)
    help_given = models.TextField(blank=True)
    outcome = models.CharField(max_length=10, choices=BidOutcome.choices, default=BidOutcome.WAITING)
    amount_awarded = models.DecimalField(null=True, blank=True, max_digits=14, decimal_places=2)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-submitted_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_asked__gt=0), name="helped_bid_asks_for_something"),
            models.CheckConstraint(
                condition=(Q(outcome="won") & Q(amount_awarded__gt=0))
                | (~Q(outcome="won") & Q(amount_awarded__isnull=True)),
                name="helped_bid_amount_awarded_only_when_won",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} to {self.stream}"

    def get_absolute_url(self) -> str:
        return reverse("funding:bid", args=[self.pk])


class GrantsRound(models.Model):
    """A round of the region's small grants programme: a budget, the dates applications are taken
    between and decided by, and the criteria they are assessed against."""

    region = models.ForeignKey("core.Region", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=200)
    budget = models.DecimalField(max_digits=14, decimal_places=2)
    max_award = models.DecimalField(max_digits=14, decimal_places=2)
    opens_on = models.DateField()
    closes_on = models.DateField()
    decisions_by = models.DateField()
    criteria = models.TextField()
    # When it was set up: the bulletin announces it once it is both set up and open.
    created_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-opens_on", "name"]
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="grants_round_name_unique_in_region"),
            models.CheckConstraint(condition=Q(budget__gt=0), name="grants_round_budget_positive"),
            models.CheckConstraint(
                condition=Q(max_award__gt=0) & Q(max_award__lte=models.F("budget")),
                name="grants_round_max_award_within_budget",
            ),
            models.CheckConstraint(
                condition=Q(opens_on__lte=models.F("closes_on")) & Q(closes_on__lte=models.F("decisions_by")),
                name="grants_round_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("funding:round", args=[self.pk])

    def takes_applications_on(self, day: datetime.date) -> bool:
        """Whether an application may be submitted on ``day`` (opening and closing days included)."""
        return self.opens_on <= day <= self.closes_on

    def awarded_total(self) -> Decimal:
        total = self.applications.filter(status=ApplicationStatus.AWARDED).aggregate(s=models.Sum("amount_awarded"))[
            "s"
        ]
        return total or Decimal("0.00")


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    AWARDED = "awarded", "Awarded"
    DECLINED = "declined", "Declined"


class GrantApplication(models.Model):
    """An organisation's application to a round: one per organisation per round. Drafted and
    submitted by its own people; assessed, then awarded or declined with reasons, by the region."""

    round = models.ForeignKey(GrantsRound, on_delete=models.PROTECT, related_name="applications")
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    project_title = models.CharField(max_length=200)
    summary = models.TextField()
    amount_requested = models.DecimalField(max_digits=14, decimal_places=2)
    start_on = models.DateField()
    end_on = models.DateField()
    # What the applicant said the application took, in hours; None when they did not say (never 0).
    hours_taken = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    status = models.CharField(max_length=10, choices=ApplicationStatus.choices, default=ApplicationStatus.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    amount_awarded = models.DecimalField(null=True, blank=True, max_digits=14, decimal_places=2)
    decision_reasons = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_on = models.DateField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["round", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "organisation"], name="one_application_per_organisation_per_round"
            ),
            models.CheckConstraint(condition=Q(amount_requested__gt=0), name="grant_application_asks_for_something"),
            models.CheckConstraint(
                condition=Q(start_on__lte=models.F("end_on")), name="grant_application_dates_in_order"
            ),
            models.CheckConstraint(
                condition=(Q(status="awarded") & Q(amount_awarded__gt=0) & Q(decided_on__isnull=False))
                | (
                    Q(status="declined")
                    & Q(amount_awarded__isnull=True)
                    & Q(decided_on__isnull=False)
                    & ~Q(decision_reasons="")
                )
                | (Q(status__in=["draft", "submitted"]) & Q(amount_awarded__isnull=True) & Q(decided_on__isnull=True)),
                name="grant_application_decided_whole",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.project_title}"

    def get_absolute_url(self) -> str:
        return reverse("funding:application", args=[self.pk])

    @property
    def is_draft(self) -> bool:
        return self.status == ApplicationStatus.DRAFT

    @property
    def awaits_decision(self) -> bool:
        return self.status == ApplicationStatus.SUBMITTED

    @property
    def is_awarded(self) -> bool:
        return self.status == ApplicationStatus.AWARDED

    @property
    def is_decided(self) -> bool:
        return self.status in (ApplicationStatus.AWARDED, ApplicationStatus.DECLINED)


class Recommendation(models.TextChoices):
    AWARD = "award", "Award"
    DECLINE = "decline", "Decline"


class Assessment(models.Model):
    """One member of the regional team's assessment of a submitted application. They first declare
    whether they have a conflict of interest; one who has scores nothing and decides nothing."""

    application = models.ForeignKey(GrantApplication, on_delete=models.CASCADE, related_name="assessments")
    assessor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    conflict = models.BooleanField()
    conflict_details = models.TextField(blank=True)
    score = models.PositiveSmallIntegerField(null=True, blank=True)  # 0 to 10
    recommendation = models.CharField(max_length=10, choices=Recommendation.choices, blank=True)
    comments = models.TextField(blank=True)
    assessed_at = models.DateTimeField()

    class Meta:
        ordering = ["assessed_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["application", "assessor"], name="one_assessment_per_assessor"),
            models.CheckConstraint(
                condition=(Q(conflict=True) & Q(score__isnull=True) & Q(recommendation="") & ~Q(conflict_details=""))
                | (Q(conflict=False) & Q(score__gte=0) & Q(score__lte=10) & ~Q(recommendation="")),
                name="assessment_scored_only_without_conflict",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assessor} on {self.application}"
