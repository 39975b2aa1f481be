"""An opportunity (a tender or grant round), its eligibility rules, stages, questions, criteria and
clarification questions."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from stepchange.commissioning import sealed
from stepchange.commissioning.awards import has_current_award
from stepchange.contracts.models import FundingSource


class OpportunityKind(models.TextChoices):
    TENDER = "tender", "Tender"
    GRANT_ROUND = "grant_round", "Grant round"


class OpportunityStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    OPEN = "open", "Open"
    EVALUATING = "evaluating", "Evaluating"
    AWARDED = "awarded", "Awarded"
    CANCELLED = "cancelled", "Cancelled"
    CLOSED = "closed", "Closed without award"


class Opportunity(models.Model):
    """A tender or grant round a commissioner publishes."""

    reference = models.SlugField(max_length=40, unique=True)
    commissioner = models.ForeignKey(
        "organisations.Commissioner", on_delete=models.PROTECT, related_name="opportunities"
    )
    title = models.CharField(max_length=200)
    description = models.TextField()
    kind = models.CharField(max_length=12, choices=OpportunityKind.choices, default=OpportunityKind.TENDER)
    pathways = models.ManyToManyField("core.Pathway", blank=True, related_name="opportunities")
    # The probation areas (or other commissioners' patches) the service is delivered in.
    areas = models.ManyToManyField("organisations.Commissioner", blank=True, related_name="opportunities_in_area")
    estimated_value = models.DecimalField("Estimated annual value", max_digits=14, decimal_places=2)
    duration_months = models.PositiveSmallIntegerField()
    contract_start = models.DateField(help_text="The earliest day the awarded contract may start")
    funding_source = models.CharField(max_length=20, choices=FundingSource.choices)
    funder = models.CharField(max_length=200, blank=True)
    clarification_deadline = models.DateTimeField(null=True, blank=True)
    answers_published_by = models.DateTimeField(null=True, blank=True)
    # Scores of one criterion further apart than this must be moderated.
    moderation_spread = models.PositiveSmallIntegerField(default=3)
    standstill_days = models.PositiveSmallIntegerField(default=10)
    published_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_reason = models.TextField(blank=True)
    closed_without_award_at = models.DateTimeField(null=True, blank=True)
    closed_reason = models.TextField(blank=True)
    feedback_published_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-published_at", "reference"]
        verbose_name_plural = "opportunities"
        constraints = [
            models.CheckConstraint(condition=Q(estimated_value__gt=0), name="opportunity_value_positive"),
            models.CheckConstraint(
                condition=Q(cancelled_at__isnull=True) | ~Q(cancelled_reason=""), name="cancellation_has_reason"
            ),
            models.CheckConstraint(
                condition=Q(closed_without_award_at__isnull=True) | ~Q(closed_reason=""),
                name="closure_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(cancelled_at__isnull=True) | Q(closed_without_award_at__isnull=True),
                name="cancelled_or_closed_not_both",
            ),
            models.CheckConstraint(
                condition=Q(clarification_deadline__isnull=True)
                | Q(answers_published_by__isnull=True)
                | Q(answers_published_by__gte=models.F("clarification_deadline")),
                name="answers_after_clarification_deadline",
            ),
            models.CheckConstraint(
                condition=~Q(funding_source="co_commissioned") | ~Q(funder=""),
                name="opportunity_co_commissioned_funder",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("commissioning:detail", args=[self.reference])

    def status(self, now: datetime.datetime | None = None) -> str:
        now = now or timezone.now()
        if self.cancelled_at:
            return OpportunityStatus.CANCELLED
        if self.closed_without_award_at:
            return OpportunityStatus.CLOSED
        if self.published_at is None or self.published_at > now:
            return OpportunityStatus.DRAFT
        if has_current_award(self):
            return OpportunityStatus.AWARDED
        first = self.stages.order_by("number").first()
        if first is not None and first.is_sealed(now):
            return OpportunityStatus.OPEN
        return OpportunityStatus.EVALUATING

    def status_label(self) -> str:
        return OpportunityStatus(self.status()).label

    @property
    def is_ended(self) -> bool:
        return bool(self.cancelled_at or self.closed_without_award_at)

    def may_be_called_off(self) -> bool:
        """Whether it may still be cancelled or closed without an award: published, not ended, and
        with no standing award (an award is withdrawn first)."""
        return self.published_at is not None and not self.is_ended and not has_current_award(self)

    def clarification_deadline_passed(self, now: datetime.datetime | None = None) -> bool:
        """Whether questions may no longer be asked: the clarification deadline, if any, has passed."""
        now = now or timezone.now()
        return self.clarification_deadline is not None and now > self.clarification_deadline

    def current_stage(self, now: datetime.datetime | None = None) -> Stage | None:
        """The first stage whose deadline has not passed, if any."""
        now = now or timezone.now()
        return self.stages.filter(sealed.sealed_q(now)).order_by("number").first()

    def closes_at(self) -> datetime.datetime | None:
        stage = self.current_stage()
        return stage.deadline if stage else None


class RuleKind(models.TextChoices):
    LEAD_SECTOR = "lead_sector", "The lead must be from a sector"
    MIN_MEMBERS = "min_members", "A partnership of at least this many organisations"
    MEMBER_FLAG = "member_flag", "At least one member must be a specialist"
    MAX_VALUE = "max_value", "The price must not exceed a maximum"


class MemberFlag(models.TextChoices):
    WOMEN_SPECIFIC = "women_specific", "women-specific"
    BME_LED = "bme_led", "BME-led"
    USER_LED = "user_led", "user-led"


class EligibilityRule(models.Model):
    """One rule a bid must keep to be submitted; the service checks it at submission."""

    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="rules")
    kind = models.CharField(max_length=12, choices=RuleKind.choices)
    # lead_sector: a Sector value; member_flag: a MemberFlag value.
    text = models.CharField(max_length=30, blank=True)
    # min_members: a whole number; max_value: pounds.
    number = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["opportunity", "kind", "id"]
        constraints = [
            models.UniqueConstraint(fields=["opportunity", "kind", "text"], name="one_rule_of_a_kind"),
            models.CheckConstraint(
                condition=(Q(kind__in=["lead_sector", "member_flag"]) & ~Q(text="") & Q(number__isnull=True))
                | (Q(kind__in=["min_members", "max_value"]) & Q(text="") & Q(number__gt=0)),
                name="rule_has_its_value",
            ),
        ]

    def __str__(self) -> str:
        return self.describe()

    def describe(self) -> str:
        from stepchange.organisations.models import Sector

        if self.kind == RuleKind.LEAD_SECTOR:
            label = Sector(self.text).label.lower() if self.text in Sector.values else self.text
            return f"The lead organisation must be {label} sector"
        if self.kind == RuleKind.MIN_MEMBERS:
            return f"The bid must come from a partnership of at least {int(self.number or 0)} organisations"
        if self.kind == RuleKind.MEMBER_FLAG:
            label = MemberFlag(self.text).label if self.text in MemberFlag.values else self.text
            return f"At least one member of the partnership must be {label}"
        return f"The price must not be more than £{self.number:,.2f}"


class Stage(models.Model):
    """Stage 1 outline, stage 2 full bid, ...: each with its deadline, questions, criteria and evaluators."""

    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="stages")
    number = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=100)
    deadline = models.DateTimeField()
    # Why this stage is open for bids for less than its region's minimum tender period; required
    # when it is (``tender_period.tender_period_problem``), blank otherwise.
    short_period_reason = models.TextField(blank=True)
    evaluators = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="evaluation_stages")

    class Meta:
        ordering = ["opportunity", "number"]
        constraints = [
            models.UniqueConstraint(fields=["opportunity", "number"], name="one_stage_per_number"),
            models.CheckConstraint(condition=Q(number__gte=1), name="stage_numbers_from_one"),
        ]

    def __str__(self) -> str:
        return f"Stage {self.number}: {self.name}"

    def is_sealed(self, now: datetime.datetime | None = None) -> bool:
        return sealed.sealed(self, now)

    def deadline_may_change(self, now: datetime.datetime | None = None) -> bool:
        """Whether its deadline may still be moved: the stage is still sealed, and its opportunity
        has neither ended nor a standing award."""
        return self.is_sealed(now) and not self.opportunity.is_ended and not has_current_award(self.opportunity)

    @property
    def is_last(self) -> bool:
        return not self.opportunity.stages.filter(number__gt=self.number).exists()


class Question(models.Model):
    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="questions")
    number = models.PositiveSmallIntegerField()
    text = models.TextField()
    word_limit = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["stage", "number"]
        constraints = [models.UniqueConstraint(fields=["stage", "number"], name="one_question_per_number")]

    def __str__(self) -> str:
        return f"Q{self.number}"


class Criterion(models.Model):
    """What evaluators score, 0 to 10; a stage's weights must add to 100 before publication."""

    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(max_length=200)
    weight = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["stage", "id"]
        constraints = [
            models.UniqueConstraint(fields=["stage", "name"], name="criterion_names_unique_in_stage"),
            models.CheckConstraint(condition=Q(weight__gte=1) & Q(weight__lte=100), name="criterion_weight_1_to_100"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.weight}%)"


class ClarificationQuestion(models.Model):
    """Asked by a provider, answered for everyone; the public page never names the asker."""

    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="clarifications")
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    asked_at = models.DateTimeField()
    question = models.TextField()
    answer = models.TextField(blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["opportunity", "asked_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(answered_at__isnull=True) | ~Q(answer=""), name="answered_clarification_has_answer"
            )
        ]

    def __str__(self) -> str:
        return self.question[:60]
