"""Action plans and the groups that steer them.

An action plan belongs to a region and is owned by its regional team. It has numbered objectives
(the VCS objectives of the regional reducing re-offending plan, say); each objective has actions,
each with an owner (a user of the service, or a named person), a due date, a status and a RAG
rating, and a history of quarterly progress notes, each keeping the RAG given at the time. An
action may be linked to a live figure of the service (``figures.FIGURES``) with a target value.

Groups (the steering group, pathway teams, working groups) have members by sector and role, and
meetings with papers (stored documents), decisions, and the actions arising from them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from stepchange.commissioning.models import StoredDocument


class Status(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    DROPPED = "dropped", "Dropped"


class Rag(models.TextChoices):
    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"


class ActionPlan(models.Model):
    region = models.ForeignKey("core.Region", on_delete=models.PROTECT, related_name="+")
    title = models.CharField(max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["region__name", "title"]
        constraints = [models.UniqueConstraint(fields=["region", "title"], name="one_action_plan_title_a_region")]

    def __str__(self) -> str:
        return self.title


class Objective(models.Model):
    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="objectives")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=500)

    class Meta:
        ordering = ["plan", "number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="one_objective_number_a_plan")]

    def __str__(self) -> str:
        return f"Objective {self.number}: {self.title}"


class Group(models.Model):
    class Kind(models.TextChoices):
        STEERING = "steering", "Steering group"
        PATHWAY = "pathway", "Pathway team"
        WORKING = "working", "Working group"

    region = models.ForeignKey("core.Region", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    purpose = models.TextField(blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["region", "name"], name="one_group_name_a_region")]

    def __str__(self) -> str:
        return self.name


class MemberSector(models.TextChoices):
    PUBLIC = "public", "Public"
    PRIVATE = "private", "Private"
    VCS = "vcs", "Voluntary and community"


class MemberRole(models.TextChoices):
    CHAIR = "chair", "Chair"
    VICE_CHAIR = "vice_chair", "Vice-chair"
    MEMBER = "member", "Member"
    SECRETARIAT = "secretariat", "Secretariat"
    ADVISER = "adviser", "Adviser"


class Member(models.Model):
    """A member of a group: a user of the service, or a person named with their organisation."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(max_length=200, blank=True)
    organisation_name = models.CharField(max_length=200, blank=True)
    sector = models.CharField(max_length=10, choices=MemberSector.choices)
    role = models.CharField(max_length=12, choices=MemberRole.choices)
    joined_on = models.DateField()

    class Meta:
        ordering = ["group", "role", "name", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(user__isnull=False) | ~Q(name=""), name="group_member_is_someone"),
            models.UniqueConstraint(
                fields=["group", "user"], condition=Q(user__isnull=False), name="one_membership_a_user_a_group"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.display_name} in {self.group}"

    @property
    def display_name(self) -> str:
        if self.user is not None:
            return str(self.user.get_full_name() or self.user.get_username())
        return self.name

    @property
    def display_organisation(self) -> str:
        if self.user is not None and self.user.organisation is not None:
            return str(self.user.organisation.name)
        return self.organisation_name


class Meeting(models.Model):
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="meetings")
    held_on = models.DateField()
    title = models.CharField(max_length=200)
    minutes = models.TextField(blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.group}, {self.held_on:%-d %B %Y}"


class Decision(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    text = models.TextField()
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["meeting", "id"]

    def __str__(self) -> str:
        return self.text[:80]


class Paper(StoredDocument):
    """A paper of a meeting, kept in the database as uploaded (the project's stored documents)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="papers")

    class Meta:
        ordering = ["meeting", "uploaded_at", "id"]


class Action(models.Model):
    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="actions")
    title = models.CharField(max_length=500)
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    owner_name = models.CharField(max_length=200, blank=True)
    due_on = models.DateField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.NOT_STARTED)
    rag = models.CharField("RAG", max_length=5, choices=Rag.choices, default=Rag.AMBER)
    # Where it came from: a meeting's decision (none: written into the plan directly).
    meeting = models.ForeignKey(Meeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions")
    decision = models.ForeignKey(Decision, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions")
    # A live figure of the service it is measured by (a key of figures.FIGURES; "" for none),
    # the probation area it is about (for an area's figure) and the value it aims at.
    figure = models.CharField(max_length=40, blank=True)
    figure_area = models.ForeignKey(
        "organisations.Commissioner", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    target = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    created_at = models.DateTimeField()
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["objective__number", "due_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(owner_user__isnull=False) | ~Q(owner_name=""), name="governance_action_has_an_owner"
            ),
            models.CheckConstraint(
                condition=Q(figure="") | Q(target__isnull=False), name="governance_linked_action_has_a_target"
            ),
        ]

    def __str__(self) -> str:
        return self.title[:200]

    @property
    def owner_display(self) -> str:
        if self.owner_user is not None:
            return str(self.owner_user.get_full_name() or self.owner_user.get_username())
        return self.owner_name


class ProgressNote(models.Model):
    """A quarter's note on an action, with the RAG given then. Notes are never changed: the history."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="notes")
    year = models.CharField(max_length=7)  # a financial year's name, 2006-07
    quarter = models.PositiveSmallIntegerField()  # 1 to 4
    text = models.TextField()
    rag = models.CharField("RAG", max_length=5, choices=Rag.choices)
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    written_at = models.DateTimeField()

    class Meta:
        ordering = ["action", "-year", "-quarter", "-written_at", "-id"]
        constraints = [models.CheckConstraint(condition=Q(quarter__gte=1, quarter__lte=4), name="note_quarter_1_to_4")]

    def __str__(self) -> str:
        return f"{self.action} at {self.quarter_label}"

    @property
    def quarter_label(self) -> str:
        return f"{self.year} Q{self.quarter}"
