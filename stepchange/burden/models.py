"""Monitoring requests: a commissioner asks a contract's prime provider for monitoring information
for a period, from a small fixed set of topics and, if needed, a question in their own words; the
provider answers through the service and may say how long the answer took."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse


class Topic(models.TextChoices):
    PEOPLE_STARTED = "people_started", "How many people started the service"
    PEOPLE_COMPLETED = "people_completed", "How many people completed it"
    OUTCOMES = "outcomes", "The outcomes achieved"
    SPEND = "spend", "Money spent against the budget"
    SUB_CONTRACTING = "sub_contracting", "Work passed to sub-contractors"
    RISKS = "risks", "Risks and issues"


# The key of the commissioner's own question among the answers.
OWN_QUESTION = "own"


class MonitoringRequest(models.Model):
    contract = models.ForeignKey("contracts.Contract", on_delete=models.PROTECT, related_name="+")
    period_start = models.DateField()
    period_end = models.DateField()
    # The chosen topics (``Topic`` values), in the order of the set.
    topics = models.JSONField(default=list, blank=True)
    own_question = models.TextField(blank=True)
    due_on = models.DateField()
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    asked_at = models.DateTimeField()
    # Topic value (or OWN_QUESTION) -> the provider's answer.
    answers = models.JSONField(default=dict, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    # What the provider said the answer took, in hours; None when they did not say (never 0).
    hours_taken = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-asked_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_start__lte=F("period_end")), name="monitoring_request_period_in_order"
            ),
            models.CheckConstraint(
                condition=Q(hours_taken__isnull=True) | Q(hours_taken__gte=0), name="monitoring_hours_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(answered_at__isnull=True) | Q(answered_by__isnull=False),
                name="monitoring_answer_has_its_author",
            ),
        ]

    def __str__(self) -> str:
        return f"Monitoring of {self.contract.reference}, {self.period_start:%-d %B %Y} to {self.period_end:%-d %B %Y}"

    def get_absolute_url(self) -> str:
        return reverse("burden:request", args=[self.pk])

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None

    def questions(self) -> list[tuple[str, str]]:
        """(key, question) for each thing asked: the chosen topics, then the commissioner's own."""
        asked = [(t.value, str(t.label)) for t in Topic if t.value in self.topics]
        if self.own_question:
            asked.append((OWN_QUESTION, self.own_question))
        return asked
