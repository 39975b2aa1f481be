"""Sub-contracting plans: a probation area's plan for a financial year to reach the target share
of its main grant, kept version by version.

A ``Plan`` is the area's plan for one year; each ``PlanVersion`` is one complete statement of it
(drafted, submitted, approved or sent back), and every version is kept. A version's lines are its
planned contracts (``PlannedContract``) and the money beside the target (``OtherMoney``:
secondments in kind and co-commissioned money). Revising an approved plan copies its lines into a
new draft version; each copied line keeps its ``line`` number, so two versions can be compared
line by line.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse

from stepchange.contracts.models import FundingSource
from stepchange.organisations.models import Sector


class Plan(models.Model):
    area = models.ForeignKey("organisations.Commissioner", on_delete=models.PROTECT, related_name="plans")
    year = models.ForeignKey("core.FinancialYear", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    # The next line number to give: line numbers are never reused within a plan.
    next_line = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-year__start", "area__code"]
        constraints = [models.UniqueConstraint(fields=["area", "year"], name="one_plan_per_area_year")]

    def __str__(self) -> str:
        return f"{self.area.code} sub-contracting plan {self.year}"

    def get_absolute_url(self) -> str:
        return reverse("plans:detail", args=[self.pk])


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Awaiting approval"
    SENT_BACK = "sent_back", "Sent back"
    APPROVED = "approved", "Approved"


class PlanVersion(models.Model):
    """One version of a plan. Its status comes from its timestamps (``status``)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+")
    submitted_at = models.DateTimeField(null=True, blank=True)
    returned_at = models.DateTimeField(null=True, blank=True)
    returned_reason = models.TextField(blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="one_plan_version_number"),
            models.CheckConstraint(
                condition=Q(approved_at__isnull=True) | Q(submitted_at__isnull=False),
                name="plan_approved_only_when_submitted",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan}, version {self.number}"

    def get_absolute_url(self) -> str:
        return reverse("plans:version", args=[self.plan_id, self.number])

    @property
    def status(self) -> str:
        if self.approved_at is not None:
            return Status.APPROVED
        if self.submitted_at is not None:
            return Status.SUBMITTED
        if self.returned_at is not None:
            return Status.SENT_BACK
        return Status.DRAFT

    def get_status_display(self) -> str:
        return str(Status(self.status).label)

    @property
    def is_open(self) -> bool:
        """A draft, or a version sent back: the area may still change it."""
        return self.status in (Status.DRAFT, Status.SENT_BACK)


class IntendedSector(models.TextChoices):
    """The sectors a plan may intend a contract for: the ones the target counts."""

    VCS = Sector.VCS.value, Sector.VCS.label
    PRIVATE = Sector.PRIVATE.value, Sector.PRIVATE.label


class PlannedContract(models.Model):
    plan_version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="planned")
    line = models.PositiveIntegerField()
    pathway = models.ForeignKey("core.Pathway", on_delete=models.PROTECT, related_name="+")
    description = models.CharField(max_length=300)
    sector = models.CharField(max_length=10, choices=IntendedSector.choices)
    annual_value = models.DecimalField(max_digits=14, decimal_places=2)
    planned_start = models.DateField()
    funding_source = models.CharField(max_length=20, choices=FundingSource.choices)
    funder = models.CharField(max_length=200, blank=True)
    contract = models.ForeignKey(
        "contracts.Contract", null=True, blank=True, on_delete=models.SET_NULL, related_name="planned_lines"
    )

    class Meta:
        ordering = ["plan_version", "pathway__order", "planned_start", "line"]
        constraints = [
            models.UniqueConstraint(fields=["plan_version", "line"], name="one_planned_line_per_version"),
            models.CheckConstraint(condition=Q(annual_value__gte=0), name="planned_value_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.pathway.short_name}: {self.description}"


class OtherKind(models.TextChoices):
    SECONDMENT = "secondment", "Secondment in kind"
    CO_COMMISSIONED = "co_commissioned", "Co-commissioned money"


class OtherMoney(models.Model):
    """Money or value beside the target, recorded and reported but never counted: staff seconded to
    a partner (valued in kind), and money co-commissioned with funders outside criminal justice."""

    plan_version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="other_money")
    line = models.PositiveIntegerField()
    kind = models.CharField(max_length=20, choices=OtherKind.choices)
    # The partner a secondment goes to, or the funder of co-commissioned money.
    party = models.CharField(max_length=200)
    description = models.CharField(max_length=300)
    annual_value = models.DecimalField(max_digits=14, decimal_places=2)

    class Meta:
        ordering = ["plan_version", "kind", "party", "line"]
        constraints = [
            models.UniqueConstraint(fields=["plan_version", "line"], name="one_other_line_per_version"),
            models.CheckConstraint(condition=Q(annual_value__gte=0), name="other_value_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.party}"
