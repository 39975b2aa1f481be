"""The bidders' feedback survey: who was invited, and the anonymous answers."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from stepchange.commissioning.models.opportunities import Opportunity
from stepchange.commissioning.models.partnerships import BiddingPartnership


class SurveyInvitation(models.Model):
    """Who was asked to the feedback survey and whether they answered; never what they said."""

    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="survey_invitations")
    partnership = models.ForeignKey(BiddingPartnership, on_delete=models.CASCADE, related_name="+")
    invited_at = models.DateTimeField()
    answered = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["opportunity", "partnership"], name="one_invitation_per_partnership")
        ]

    def __str__(self) -> str:
        return f"Survey of {self.opportunity}"


class Rating(models.IntegerChoices):
    VERY_POOR = 1, "Very poor"
    POOR = 2, "Poor"
    ADEQUATE = 3, "Adequate"
    GOOD = 4, "Good"
    VERY_GOOD = 5, "Very good"


class SurveyResponse(models.Model):
    """One anonymous answer to the survey: no link to the partnership or the person, and only the
    date it came in, so that answers cannot be matched to invitations by time."""

    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="survey_responses")
    received_on = models.DateField()
    clarity = models.PositiveSmallIntegerField(choices=Rating.choices)
    time_to_form_partnership = models.PositiveSmallIntegerField(choices=Rating.choices)
    transparency = models.PositiveSmallIntegerField(choices=Rating.choices)
    effort_hours = models.PositiveIntegerField()
    effort_people = models.PositiveSmallIntegerField()
    what_to_change = models.TextField(blank=True)

    class Meta:
        ordering = ["opportunity", "received_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(clarity__gte=1, clarity__lte=5)
                & Q(time_to_form_partnership__gte=1, time_to_form_partnership__lte=5)
                & Q(transparency__gte=1, transparency__lte=5),
                name="survey_ratings_1_to_5",
            ),
            models.CheckConstraint(condition=Q(effort_people__gte=1), name="survey_effort_at_least_one_person"),
        ]

    def __str__(self) -> str:
        return f"Survey answer on {self.opportunity}"
