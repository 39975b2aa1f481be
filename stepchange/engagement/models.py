"""Prisons' community-engagement records, as the prison service's race equality order asks each
establishment to keep them.

An establishment (a prison ``Commissioner``) records each **link** it has with a community
organisation, in the order's ten fields, tagged with the groups it serves and the pathways it
touches; a link may name the directory organisation it is with. Each link is reviewed once a year:
a **review** keeps the ten fields as they stood that day, so the next review can say what changed.
The establishment's **requirements** say which groups and pathways it needs links for, with a
priority; a requirement no current link covers is a gap, and each gap has an action plan
(**actions**: what, who, by when, how far).

The groups are data (``ServedGroup``), not code: an establishment's strategy may name more.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

# The order's ten fields of a link, in its order: (field name, label).
LINK_FIELDS: tuple[tuple[str, str], ...] = (
    ("partner_name", "Partner organisation"),
    ("partner_contact", "Partner's contact details"),
    ("establishment_contact", "Contact point in the establishment"),
    ("partner_nature", "Nature of the partner organisation"),
    ("purpose", "Purpose of the contact or joint work"),
    ("benefits", "Benefits to the establishment"),
    ("partner_funding", "Funding or benefits given to the partner"),
    ("contact_nature", "Nature of the contact or joint work"),
    ("contact_details", "Details and dates of contact"),
    ("evaluation", "Evaluation of the contact to date"),
    ("future_plans", "Plans for future contact"),
)


class ServedGroup(models.Model):
    """A group of people a link serves and a requirement names: black and minority ethnic
    prisoners, women, a faith, young people, foreign nationals, disabled people, ..."""

    code = models.SlugField(max_length=30, unique=True)
    name = models.CharField(max_length=100, unique=True)
    order = models.PositiveSmallIntegerField(unique=True)

    class Meta:
        ordering = ["order"]

    def __str__(self) -> str:
        return self.name


class Link(models.Model):
    establishment = models.ForeignKey(
        "organisations.Commissioner", on_delete=models.PROTECT, related_name="engagement_links"
    )
    # The directory organisation the partner is, where one matches.
    organisation = models.ForeignKey(
        "organisations.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    partner_name = models.CharField(max_length=200)
    partner_contact = models.TextField(blank=True)
    establishment_contact = models.CharField(max_length=200, blank=True)
    partner_nature = models.TextField(blank=True)
    purpose = models.TextField(blank=True)
    benefits = models.TextField(blank=True)
    partner_funding = models.TextField(blank=True)
    contact_nature = models.TextField(blank=True)
    contact_details = models.TextField(blank=True)
    evaluation = models.TextField(blank=True)
    future_plans = models.TextField(blank=True)
    groups = models.ManyToManyField(ServedGroup, blank=True, related_name="+")
    pathways = models.ManyToManyField("core.Pathway", blank=True, related_name="+")
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    end_reason = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField()
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["partner_name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="engagement_link_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.partner_name} at {self.establishment}"


class Review(models.Model):
    """One annual review of a link: the day, who, what they found, and the link's fields as they
    stood that day (``fields``: the ten fields, and the groups and pathways by name); then the
    area office analyst's approval and comment."""

    link = models.ForeignKey(Link, on_delete=models.CASCADE, related_name="reviews")
    reviewed_on = models.DateField()
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    notes = models.TextField(blank=True)
    fields = models.JSONField()
    recorded_at = models.DateTimeField()
    # The area office analyst's approval of the review, with what they said.
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    analyst_comment = models.TextField(blank=True)

    class Meta:
        ordering = ["-reviewed_on", "-pk"]

    def __str__(self) -> str:
        return f"Review of {self.link.partner_name} on {self.reviewed_on}"


class Priority(models.TextChoices):
    HIGH = "high", "High"
    MEDIUM = "medium", "Medium"
    LOW = "low", "Low"


class Requirement(models.Model):
    """A business requirement of the establishment: links it needs for one group or one pathway."""

    establishment = models.ForeignKey(
        "organisations.Commissioner", on_delete=models.PROTECT, related_name="engagement_requirements"
    )
    group = models.ForeignKey(ServedGroup, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    pathway = models.ForeignKey("core.Pathway", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    description = models.TextField()
    priority = models.CharField(max_length=10, choices=Priority.choices)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(group__isnull=False) & Q(pathway__isnull=True))
                | (Q(group__isnull=True) & Q(pathway__isnull=False)),
                name="engagement_requirement_one_group_or_pathway",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject} at {self.establishment}"

    @property
    def subject(self) -> str:
        return str(self.group or self.pathway)


class ActionStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"


class Action(models.Model):
    """A step of the action plan closing a requirement's gap."""

    requirement = models.ForeignKey(Requirement, on_delete=models.CASCADE, related_name="actions")
    description = models.TextField()
    owner = models.CharField(max_length=200)
    due_on = models.DateField()
    status = models.CharField(max_length=20, choices=ActionStatus.choices, default=ActionStatus.NOT_STARTED)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.description[:80]
