"""Capacity building: what organisations say they need, the events run to meet it, who came.

A needs assessment is one organisation's answers for one financial year, one answer a theme. An
event has one or more sessions (a conference one day, an action learning set several meetings of
the same members); people book a place on the event, and when it is full they wait in the order
they asked. Attendance is recorded per session, per person, with their organisation and sector,
whether or not they have an account.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from stepchange.organisations.models import Sector


class Theme(models.TextChoices):
    BIDDING = "bidding", "Bidding and tendering"
    GOVERNANCE = "governance", "Governance"
    FINANCE = "finance", "Finance and funding"
    PARTNERSHIP = "partnership", "Partnership working"
    MONITORING = "monitoring", "Monitoring and evaluation"


class NeedLevel(models.IntegerChoices):
    NONE = 1, "1: no need"
    SOME = 2, "2: some need"
    CLEAR = 3, "3: a clear need"
    URGENT = 4, "4: an urgent need"


class NeedsAssessment(models.Model):
    """An organisation's capacity-building needs for one financial year, filled by its own people."""

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+")
    year = models.ForeignKey("core.FinancialYear", on_delete=models.PROTECT, related_name="+")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField()
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["year__start", "organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year"], name="one_needs_assessment_a_year"),
        ]

    def __str__(self) -> str:
        return f"Needs of {self.organisation} in {self.year}"


class NeedAnswer(models.Model):
    assessment = models.ForeignKey(NeedsAssessment, on_delete=models.CASCADE, related_name="answers")
    theme = models.CharField(max_length=20, choices=Theme.choices)
    level = models.PositiveSmallIntegerField(choices=NeedLevel.choices)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["assessment", "theme"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "theme"], name="one_answer_a_theme"),
            models.CheckConstraint(condition=Q(level__gte=1) & Q(level__lte=4), name="need_level_1_to_4"),
        ]

    def __str__(self) -> str:
        return f"{self.get_theme_display()}: {self.level}"


class EventKind(models.TextChoices):
    TRAINING = "training", "Training"
    CONFERENCE = "conference", "Conference"
    ACTION_LEARNING_SET = "action_learning_set", "Action learning set"
    FOCUS_GROUP = "focus_group", "Focus group"
    BRIEFING = "briefing", "Briefing"
    ONE_TO_ONE = "one_to_one", "One-to-one support"


class Event(models.Model):
    """A capacity-building event of a region, run by its organiser."""

    region = models.ForeignKey("core.Region", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=EventKind.choices)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    # Who runs it (CRISP, the Step Change project, a probation area): a name, as the events list shows it.
    run_by = models.CharField(max_length=200, blank=True)
    organiser = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    capacity = models.PositiveIntegerField()
    created_at = models.DateTimeField()
    # Whether its organiser announced it in the region's bulletin (capacity/bulletins.py), which
    # makes its title, kind, who runs it, dates and places public; set when it is set up.
    announced = models.BooleanField(default=False)
    # Set when the organiser (or a regional commissioner) cancels it: it stays listed, marked
    # cancelled with the reason, and can no longer be booked or changed.
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["title"]
        constraints = [models.CheckConstraint(condition=Q(capacity__gte=1), name="event_has_a_place")]

    def __str__(self) -> str:
        return self.title


class Session(models.Model):
    """One day of an event: a conference has one; an action learning set one a meeting."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="sessions")
    date = models.DateField()
    place = models.CharField(max_length=200)

    class Meta:
        ordering = ["event", "date", "id"]

    def __str__(self) -> str:
        return f"{self.event} on {self.date:%d %B %Y}"


class Booking(models.Model):
    """A person asking for a place on an event, for themselves and their organisation.

    ``place`` is the number of the seat held (1 to the event's capacity), or empty while the person
    waits. A held seat is unique within the event: two people can never hold the same one, so two
    people taking the last place at once cannot both get it, whatever the database's isolation.
    """

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="bookings")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(
        "organisations.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    place = models.PositiveIntegerField(null=True, blank=True)
    booked_at = models.DateTimeField()
    placed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["event", "booked_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "place"], condition=Q(cancelled_at__isnull=True), name="one_person_a_place"
            ),
            models.UniqueConstraint(
                fields=["event", "person"], condition=Q(cancelled_at__isnull=True), name="one_booking_a_person"
            ),
            models.CheckConstraint(condition=Q(place__isnull=True) | Q(place__gte=1), name="place_from_one"),
        ]

    def __str__(self) -> str:
        return f"{self.person} on {self.event}"

    @property
    def waiting(self) -> bool:
        return self.cancelled_at is None and self.place is None


class Attendance(models.Model):
    """Someone who came to a session, as the organiser recorded them.

    ``person`` is set for someone with an account (then their booking, if any, is the event's);
    someone without one is recorded by name. ``organisation`` is the organisation's record where it
    has one; ``organisation_name`` is always written, so the list reads the same either way.
    """

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendances")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(max_length=200)
    organisation = models.ForeignKey(
        "organisations.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    organisation_name = models.CharField(max_length=200)
    # Empty for someone whose organisation's sector is not known.
    sector = models.CharField(max_length=10, choices=Sector.choices, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["session", "organisation_name", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "person"], condition=Q(person__isnull=False), name="attended_once_a_session"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation_name}) at {self.session}"


class Evaluation(models.Model):
    """What someone who came thought of an event: ratings from 1 (very poor) to 5 (very good)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="evaluations")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    content = models.PositiveSmallIntegerField()
    delivery = models.PositiveSmallIntegerField()
    usefulness = models.PositiveSmallIntegerField()
    comments = models.TextField(blank=True)
    submitted_at = models.DateTimeField()

    class Meta:
        ordering = ["event", "submitted_at"]
        constraints = [
            models.UniqueConstraint(fields=["event", "person"], name="one_evaluation_a_person"),
            *(
                models.CheckConstraint(
                    condition=Q(**{f"{rating}__gte": 1}) & Q(**{f"{rating}__lte": 5}),
                    name=f"evaluation_{rating}_1_to_5",
                )
                for rating in ("content", "delivery", "usefulness")
            ),
        ]

    def __str__(self) -> str:
        return f"Evaluation of {self.event} by {self.person}"
