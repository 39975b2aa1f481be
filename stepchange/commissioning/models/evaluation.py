"""Evaluation: conflict declarations, evaluators' scores and moderated scores."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from stepchange.commissioning.models.bids import Bid
from stepchange.commissioning.models.opportunities import Criterion

SCORE_MAX = 10


class ConflictDeclaration(models.Model):
    """An evaluator's declaration about one bid, made before its content is shown to them."""

    bid = models.ForeignKey(Bid, on_delete=models.CASCADE, related_name="declarations")
    evaluator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    has_conflict = models.BooleanField()
    details = models.TextField(blank=True)
    declared_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["bid", "evaluator"], name="one_declaration_per_evaluator_bid"),
            models.CheckConstraint(condition=Q(has_conflict=False) | ~Q(details=""), name="conflict_has_details"),
        ]

    def __str__(self) -> str:
        return f"{self.evaluator} on {self.bid}: {'conflict' if self.has_conflict else 'no conflict'}"


class Score(models.Model):
    bid = models.ForeignKey(Bid, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="scores")
    evaluator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField()
    justification = models.TextField()
    # Set for all of an evaluator's scores of a bid at once; until then only they see them.
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["bid", "criterion", "evaluator"]
        constraints = [
            models.UniqueConstraint(fields=["bid", "criterion", "evaluator"], name="one_score_per_evaluator"),
            models.CheckConstraint(condition=Q(score__lte=SCORE_MAX), name="score_0_to_10"),
            models.CheckConstraint(condition=~Q(justification=""), name="score_is_justified"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion.name}: {self.score}"


class Moderation(models.Model):
    """The agreed score of one criterion of one bid; once recorded it is never changed."""

    bid = models.ForeignKey(Bid, on_delete=models.PROTECT, related_name="moderations")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    moderated_score = models.DecimalField(max_digits=4, decimal_places=2)
    note = models.TextField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["bid", "criterion"], name="one_moderation_per_criterion"),
            models.CheckConstraint(
                condition=Q(moderated_score__gte=0) & Q(moderated_score__lte=SCORE_MAX), name="moderated_0_to_10"
            ),
            models.CheckConstraint(condition=~Q(note=""), name="moderation_has_note"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion.name}: {self.moderated_score} (moderated)"
