"""A region's data imported from a spreadsheet: one ``Import`` a file, and one ``ImportItem`` for
each record it created or changed, so that the import can be shown and undone as a whole.

An import's status comes from its timestamps: checked (``checked_at``), then refused (it has
problems) or ready to confirm; confirmed (``confirmed_at``, the saving is waiting for the worker);
saved (``saved_at``); undone (``undone_at``).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q


class ImportKind(models.TextChoices):
    ORGANISATIONS = "organisations", "Organisations"
    CONTRACTS = "contracts", "Contracts"
    SUB_CONTRACTS = "sub-contracts", "Sub-contracts"
    GRANTS = "grants", "Main grants"
    ESTABLISHMENTS = "establishments", "Prison establishments"


class ImportStatus(models.TextChoices):
    CHECKING = "checking", "Being checked"
    REFUSED = "refused", "Refused"
    READY = "ready", "Ready to confirm"
    SAVING = "saving", "Being saved"
    SAVED = "saved", "Saved"
    UNDOING = "undoing", "Being undone"
    UNDONE = "undone", "Undone"


class Import(models.Model):
    region = models.ForeignKey("core.Region", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=ImportKind.choices)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField()
    display_name = models.CharField(max_length=100)
    file_format = models.CharField(max_length=4)  # "xlsx" or "csv"
    content = models.BinaryField()
    sha256 = models.CharField(max_length=64)
    # How far the worker has got: rows read of rows in the file (checking), then rows saved.
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    checked_at = models.DateTimeField(null=True, blank=True)
    # What the check found: a refusal of the whole file, problems by cell, warnings, the preview rows.
    refusal = models.TextField(blank=True)
    problems = models.JSONField(default=list, blank=True)
    warnings = models.JSONField(default=list, blank=True)
    preview = models.JSONField(default=list, blank=True)
    # The uploader's answers to the preview's questions: row number (as text) → organisation id or "new".
    answers = models.JSONField(default=dict, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    saved_at = models.DateTimeField(null=True, blank=True)
    # Why the saving failed, if the region changed between the check and the save.
    save_failure = models.TextField(blank=True)
    # Undoing is asked for, then done by the worker, or refused with the reasons kept here.
    undo_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    undo_requested_at = models.DateTimeField(null=True, blank=True)
    undo_refusal = models.TextField(blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    undone_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(saved_at__isnull=True) | Q(confirmed_at__isnull=False), name="import_saved_once_confirmed"
            ),
            models.CheckConstraint(
                condition=Q(undone_at__isnull=True) | Q(saved_at__isnull=False), name="import_undone_once_saved"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} from {self.display_name}"

    @property
    def status(self) -> ImportStatus:
        if self.undone_at:
            return ImportStatus.UNDONE
        if self.saved_at:
            return ImportStatus.UNDOING if self.undo_requested_at and not self.undo_refusal else ImportStatus.SAVED
        if self.checked_at is None:
            return ImportStatus.CHECKING
        if self.refusal or self.problems or self.save_failure:
            return ImportStatus.REFUSED
        if self.confirmed_at:
            return ImportStatus.SAVING
        return ImportStatus.READY

    @property
    def is_running(self) -> bool:
        """The worker has it (being checked, saved or undone): its page refreshes itself."""
        return self.status in (ImportStatus.CHECKING, ImportStatus.SAVING, ImportStatus.UNDOING)

    @property
    def is_ready(self) -> bool:
        return self.status == ImportStatus.READY

    @property
    def is_refused(self) -> bool:
        return self.status == ImportStatus.REFUSED

    @property
    def is_saved(self) -> bool:
        return self.status == ImportStatus.SAVED

    @property
    def has_plan(self) -> bool:
        """Checked without a problem: its preview says what it does, did or would do."""
        return self.status in (
            ImportStatus.READY,
            ImportStatus.SAVING,
            ImportStatus.SAVED,
            ImportStatus.UNDOING,
            ImportStatus.UNDONE,
        )

    def counts(self) -> dict[str, int]:
        """How many of the file's rows are new, updated and unchanged."""
        counted = {"new": 0, "updated": 0, "unchanged": 0}
        for row in self.preview:
            counted[row["action"]] += 1
        return counted

    def questions(self) -> list[dict[str, Any]]:
        return [row for row in self.preview if row.get("question")]

    def unanswered(self) -> list[dict[str, Any]]:
        """The preview's rows whose question has no answer it takes yet."""
        return [row for row in self.questions() if "answer" not in row["question"]]


class ImportItem(models.Model):
    """One record an import created or changed: what it was before (None: created) and after."""

    record = models.ForeignKey(Import, on_delete=models.CASCADE, related_name="items")
    # The model's label ("contracts.contract") and the record's primary key.
    model = models.CharField(max_length=60)
    object_id = models.PositiveBigIntegerField()
    created = models.BooleanField()
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField()
    order = models.PositiveIntegerField()

    class Meta:
        ordering = ["record", "order"]
        constraints = [
            models.UniqueConstraint(fields=["record", "model", "object_id"], name="one_item_per_record_object"),
        ]

    def __str__(self) -> str:
        return f"{self.model} {self.object_id}"
