"""A generated steering-group pack: one region's quarter, built by the worker section by section.

Its status comes from what the worker recorded: asked for (nothing yet), being built (``started_at``,
``sections_done`` of ``steps_total``), finished (``finished_at``, with the HTML it rendered and the
PDF), or failed (``failure``, the reason, naming the section or the PDF that could not be made).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q

from stepchange.core.periods import Quarter, quarters_of
from stepchange.pack.sections import figures_date


class PackStatus(models.TextChoices):
    WAITING = "waiting", "Waiting to be built"
    BUILDING = "building", "Being built"
    FINISHED = "finished", "Finished"
    FAILED = "failed", "Failed"


class Pack(models.Model):
    region = models.ForeignKey("core.Region", on_delete=models.PROTECT, related_name="+")
    year = models.ForeignKey("core.FinancialYear", on_delete=models.PROTECT, related_name="+")
    quarter = models.PositiveSmallIntegerField()
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField()
    started_at = models.DateTimeField(null=True, blank=True)
    # The steps of the build: one for each declared section, then one for the PDF.
    steps_total = models.PositiveIntegerField(default=0)
    steps_done = models.PositiveIntegerField(default=0)
    current_step = models.CharField(max_length=200, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The pack's body as rendered (every section, GOV.UK markup), shown on its page and put in the PDF.
    html = models.TextField(blank=True)
    pdf = models.BinaryField(blank=True, default=b"")
    failure = models.TextField(blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(quarter__gte=1) & Q(quarter__lte=4), name="pack_quarter_1_to_4"),
            models.CheckConstraint(
                condition=Q(finished_at__isnull=True) | Q(failure=""), name="pack_finished_or_failed_not_both"
            ),
        ]

    def __str__(self) -> str:
        return f"Steering group pack, {self.period.label}"

    @property
    def period(self) -> Quarter:
        return quarters_of(self.year)[self.quarter - 1]

    @property
    def figures_date(self) -> datetime.date:
        return figures_date(self.period)

    @property
    def status(self) -> PackStatus:
        if self.failure:
            return PackStatus.FAILED
        if self.finished_at:
            return PackStatus.FINISHED
        if self.started_at:
            return PackStatus.BUILDING
        return PackStatus.WAITING

    @property
    def is_running(self) -> bool:
        return self.status in (PackStatus.WAITING, PackStatus.BUILDING)

    @property
    def is_finished(self) -> bool:
        return self.status == PackStatus.FINISHED

    @property
    def percent_done(self) -> int:
        return self.steps_done * 100 // self.steps_total if self.steps_total else 0

    @property
    def pdf_filename(self) -> str:
        return f"{self.region.code}-steering-group-pack-{self.year.name}-Q{self.quarter}.pdf"
