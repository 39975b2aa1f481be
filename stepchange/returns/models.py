"""Returns: what a commissioner reports each quarter, and the rounds that ask for them.

A **round** (probation or prison, one financial year's quarter, the commissioners it covers, an
opening date and a deadline) gives each covered commissioner one return. A return's status is
worked out from its timestamps, never stored: draft → submitted → approved, or returned with a
reason → draft again; a nil return is a submission saying there is nothing to report. After
approval a return is locked: a correction is a new revision of it (``revision`` 2, 3, ...), and
the approved one it corrects is kept, marked superseded only when the correction is approved.

A probation return marks the date of an area's reported position (``as_at``); the first approved
return of a financial year is that year's baseline. Returns recorded on the management page
before rounds existed have no round and were approved when recorded.

**Where an area's spend at a return date comes from.** An approved probation return of a round
states the area's live contracts and their spend at its date, and the share at that date is read
from its lines (``selectors.reported_spend``): a corrected value counts as corrected, an ended
contract does not count, a new contract counts as reported. Approval does *not* write the
corrections back into the contract records: a contract has one annual value for all its dates, so
writing a correction made at 1 October into it would also rewrite 1 July's share and the year's
baseline, and a correction revision of the return could not be undone when it is superseded. A new
line carries the prime's sector the area gave; it is taken to be main-grant money (the return asks
only for those), so it counts when its sector is voluntary and community or private. Correcting the
contract record itself stays a change made on the contract, audited there. A return recorded on the
management page (no round) has no lines and only marks a date: the share at it is the contracts'.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from stepchange.core.periods import Quarter, quarters_of

# The version of the submission checks (returns/checks.py); each submission records the one it met.
RULES_VERSION = 1


class ReturnKind(models.TextChoices):
    PROBATION = "probation", "Probation"
    PRISON = "prison", "Prison"


class Status(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    DRAFT = "draft", "Draft"
    RETURNED = "returned", "Returned for correction"
    SUBMITTED = "submitted", "Submitted"
    NIL = "nil", "Nil return submitted"
    APPROVED = "approved", "Approved"
    SUPERSEDED = "superseded", "Superseded by a correction"


class ReturnRound(models.Model):
    region = models.ForeignKey("core.Region", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=ReturnKind.choices)
    year = models.ForeignKey("core.FinancialYear", on_delete=models.PROTECT, related_name="+")
    quarter = models.PositiveSmallIntegerField()
    commissioners = models.ManyToManyField("organisations.Commissioner", related_name="return_rounds")
    opens_on = models.DateField()
    deadline = models.DateField()
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    opened_at = models.DateTimeField(auto_now_add=True)
    rules_version = models.PositiveSmallIntegerField(default=RULES_VERSION)

    class Meta:
        ordering = ["-year__start", "-quarter", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["region", "kind", "year", "quarter"], name="one_round_per_quarter"),
            models.CheckConstraint(condition=Q(quarter__gte=1, quarter__lte=4), name="round_quarter_1_to_4"),
            models.CheckConstraint(condition=Q(deadline__gte=F("opens_on")), name="round_deadline_after_opening"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} returns {self.label}"

    def get_absolute_url(self) -> str:
        return reverse("returns:round", args=[self.pk])

    @property
    def label(self) -> str:
        return f"{self.year.name} Q{self.quarter}"

    @property
    def period(self) -> Quarter:
        return quarters_of(self.year)[self.quarter - 1]

    @property
    def as_at(self) -> datetime.date:
        """The date a probation return reports its position at: the day after the quarter ends.

        So the Q2 round reports at 1 October (the report's table) and the Q4 round of one year
        at 1 April, which is the baseline of the next.
        """
        return self.period.end + datetime.timedelta(days=1)


class CoordinatorPost(models.TextChoices):
    NONE = "none", "No co-ordinator post"
    PART_TIME = "part_time", "Part time"
    FULL_TIME = "full_time", "Full time"


def coordinator_fte(post: str, part_time_fte: Decimal | None) -> Decimal | None:
    """The FTE a return stores for its post: 1.0 full time, 0 for none, the given FTE part time,
    nothing while the question is unanswered. So the region's FTE is a plain sum of what is stored."""
    if post == CoordinatorPost.FULL_TIME:
        return Decimal("1.00")
    if post == CoordinatorPost.NONE:
        return Decimal("0.00")
    if post == CoordinatorPost.PART_TIME:
        return part_time_fte
    return None


class SignOff(models.Model):
    """The sign-off timestamps every return has; its status is computed from them."""

    round = models.ForeignKey(ReturnRound, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    revision = models.PositiveSmallIntegerField(default=1)
    started_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    nil_return = models.BooleanField(default=False)
    # What the submitter said the return took, in hours; None when they did not say (never 0).
    hours_taken = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    rules_version = models.PositiveSmallIntegerField(null=True, blank=True)
    # Warnings shown at submission and confirmed with a reason: [{"code", "message", "reason"}].
    confirmed_warnings = models.JSONField(default=list, blank=True)
    late_accepted_at = models.DateTimeField(null=True, blank=True)
    late_accepted_reason = models.TextField(blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    returned_at = models.DateTimeField(null=True, blank=True)
    returned_reason = models.TextField(blank=True)
    # On a correction: why the approved return was reopened.
    reopened_reason = models.TextField(blank=True)
    superseded_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        abstract = True

    kind: str = ""

    def get_absolute_url(self) -> str:
        return reverse(f"returns:{self.kind}", args=[self.pk])

    @property
    def status(self) -> Status:
        if self.superseded_at:
            return Status.SUPERSEDED
        if self.approved_at:
            return Status.APPROVED
        if self.submitted_at:
            return Status.NIL if self.nil_return else Status.SUBMITTED
        if self.returned_at:
            return Status.RETURNED
        if self.started_at:
            return Status.DRAFT
        return Status.NOT_STARTED

    @property
    def is_open(self) -> bool:
        """A return can be changed only before it is submitted."""
        return self.status in {Status.NOT_STARTED, Status.DRAFT, Status.RETURNED}

    @property
    def awaits_sign_off(self) -> bool:
        """Submitted (with figures or as a nil return) and not yet approved or returned."""
        return self.status in {Status.SUBMITTED, Status.NIL}

    @property
    def is_reopenable(self) -> bool:
        """Approved, and of a round, so a correction of it may be opened."""
        return self.status == Status.APPROVED and self.round_id is not None

    @property
    def deadline(self) -> datetime.date | None:
        return self.round.deadline if self.round is not None else None

    @property
    def submitted_on(self) -> datetime.date | None:
        """The London date of submission (the deadline is a London day, not a UTC one)."""
        return None if self.submitted_at is None else timezone.localdate(self.submitted_at)

    @property
    def is_late(self) -> bool:
        """Submitted after the deadline (the whole deadline day, in London, counts as on time)."""
        deadline = self.deadline
        submitted_on = self.submitted_on
        if deadline is None or submitted_on is None:
            return False
        return submitted_on > deadline

    def is_overdue(self, today: datetime.date) -> bool:
        """Not yet submitted after the deadline; one returned for correction is shown as returned."""
        deadline = self.deadline
        return deadline is not None and self.status in {Status.NOT_STARTED, Status.DRAFT} and today > deadline

    def status_tag(self, today: datetime.date) -> tuple[str, str]:
        """(label, GOV.UK tag colour) for lists: overdue outranks draft and not started."""
        if self.is_overdue(today):
            return "Overdue", "govuk-tag--red"
        colour = {
            Status.NOT_STARTED: "govuk-tag--grey",
            Status.DRAFT: "govuk-tag--light-blue",
            Status.RETURNED: "govuk-tag--orange",
            Status.SUBMITTED: "govuk-tag--blue",
            Status.NIL: "govuk-tag--blue",
            Status.APPROVED: "govuk-tag--green",
            Status.SUPERSEDED: "govuk-tag--grey",
        }[self.status]
        return str(self.status.label), colour


def _one_current_per_round(prefix: str) -> list[models.UniqueConstraint]:
    """Per round and commissioner: one return not yet approved, and one approved that counts."""
    return [
        models.UniqueConstraint(
            fields=["round", "commissioner"],
            condition=Q(round__isnull=False, approved_at__isnull=True),
            name=f"{prefix}_one_open_per_round",
        ),
        models.UniqueConstraint(
            fields=["round", "commissioner"],
            condition=Q(round__isnull=False, approved_at__isnull=False, superseded_at__isnull=True),
            name=f"{prefix}_one_counted_per_round",
        ),
    ]


def _signed_off_in_order(prefix: str) -> list[models.CheckConstraint]:
    return [
        models.CheckConstraint(
            condition=Q(approved_at__isnull=True) | Q(submitted_at__isnull=False) | Q(round__isnull=True),
            name=f"{prefix}_approved_only_when_submitted",
        ),
        models.CheckConstraint(
            condition=Q(superseded_at__isnull=True) | Q(approved_at__isnull=False),
            name=f"{prefix}_superseded_only_when_approved",
        ),
        models.CheckConstraint(condition=Q(revision__gte=1), name=f"{prefix}_revision_from_1"),
    ]


class ProbationReturn(SignOff):
    """A probation area's position at a date: its live contracts and their spend."""

    commissioner = models.ForeignKey(
        "organisations.Commissioner", on_delete=models.PROTECT, related_name="probation_returns"
    )
    as_at = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    kind = ReturnKind.PROBATION

    class Meta:
        ordering = ["as_at", "commissioner__code", "revision"]
        constraints = [
            models.UniqueConstraint(
                fields=["commissioner", "as_at", "revision"], name="one_probation_return_per_date_and_revision"
            ),
            *_one_current_per_round("probation_return"),
            *_signed_off_in_order("probation_return"),
        ]

    def __str__(self) -> str:
        suffix = f" (revision {self.revision})" if self.revision > 1 else ""
        return f"{self.commissioner.code} at {self.as_at:%d %B %Y}{suffix}"


class ProbationLineChange(models.TextChoices):
    CONFIRMED = "confirmed", "Confirmed"
    CORRECTED = "corrected", "Spend corrected"
    ENDED = "ended", "Ended"
    NEW = "new", "New contract"


class ProbationReturnLine(models.Model):
    """One contract as the area reports it at the return date: confirmed, corrected, ended or new."""

    probation_return = models.ForeignKey(ProbationReturn, on_delete=models.CASCADE, related_name="lines")
    contract = models.ForeignKey("contracts.Contract", null=True, blank=True, on_delete=models.PROTECT)
    title = models.CharField(max_length=200)
    # The annual value the contract had when the return was opened, and the one reported.
    recorded_value = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    annual_value = models.DecimalField(max_digits=14, decimal_places=2)
    change = models.CharField(max_length=10, choices=ProbationLineChange.choices, default=ProbationLineChange.CONFIRMED)
    # A new contract's prime sector, as the area reports it (a known contract's comes from its prime).
    sector = models.CharField(
        max_length=10,
        blank=True,
        choices=[("vcs", "Voluntary and community"), ("private", "Private"), ("public", "Public")],
    )
    # A new contract's pathways, as the area reports them (a known contract's are the contract's).
    pathways = models.ManyToManyField("core.Pathway", blank=True, related_name="+")
    # A new contract's funding source, as the area reports it in a spreadsheet (a known contract's is
    # the contract's); blank when not given.
    funding_source = models.CharField(
        max_length=20,
        blank=True,
        choices=[
            ("main_grant", "Main grant"),
            ("new_investment", "New investment"),
            ("co_commissioned", "Co-commissioned"),
            ("in_kind", "In-kind secondment"),
        ],
    )

    class Meta:
        ordering = ["title", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(annual_value__gte=0), name="probation_line_value_not_negative"),
            models.CheckConstraint(
                condition=Q(change="new", contract__isnull=True) | (~Q(change="new") & Q(contract__isnull=False)),
                name="probation_line_new_has_no_contract",
            ),
            models.UniqueConstraint(
                fields=["probation_return", "contract"],
                condition=Q(contract__isnull=False),
                name="one_line_per_contract_per_return",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class PrisonReturn(SignOff):
    """An establishment's VCS provision in a quarter, by pathway, and its co-ordinator post."""

    commissioner = models.ForeignKey(
        "organisations.Commissioner", on_delete=models.PROTECT, related_name="prison_returns"
    )
    coordinator_post = models.CharField(max_length=10, choices=CoordinatorPost.choices, blank=True)
    coordinator_fte = models.DecimalField("FTE", max_digits=3, decimal_places=2, null=True, blank=True)
    area_contracts = models.ManyToManyField("contracts.Contract", blank=True, related_name="+")
    area_contracts_answered = models.BooleanField(default=False)

    kind = ReturnKind.PRISON

    class Meta:
        ordering = ["commissioner__organisation__name", "revision"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "commissioner", "revision"], name="one_prison_return_per_round_and_revision"
            ),
            *_one_current_per_round("prison_return"),
            *_signed_off_in_order("prison_return"),
            models.CheckConstraint(
                condition=Q(coordinator_post="part_time", coordinator_fte__gt=0, coordinator_fte__lt=1)
                | Q(coordinator_post="full_time", coordinator_fte=1)
                | Q(coordinator_post="none", coordinator_fte=0)
                | Q(coordinator_post="", coordinator_fte__isnull=True),
                name="prison_return_fte_matches_post",
            ),
        ]

    def __str__(self) -> str:
        label = self.round.label if self.round is not None else ""
        suffix = f" (revision {self.revision})" if self.revision > 1 else ""
        return f"{self.commissioner.name} {label}{suffix}"


class PrisonReturnLine(models.Model):
    """One pathway of a prison return.

    ``services_running`` is the count at the end of the quarter. Services ended can be at most last
    quarter's running plus this quarter's started (``checks.ended_limit``): that needs last quarter's
    return, so it is checked by the form, the service and the submission checks, not by a constraint.
    """

    prison_return = models.ForeignKey(PrisonReturn, on_delete=models.CASCADE, related_name="lines")
    pathway = models.ForeignKey("core.Pathway", on_delete=models.PROTECT, related_name="+")
    organisations = models.ManyToManyField("organisations.Organisation", blank=True, related_name="+")
    services_running = models.PositiveIntegerField(default=0)
    services_started = models.PositiveIntegerField(default=0)
    services_ended = models.PositiveIntegerField(default=0)
    spend = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    # Copied from the previous quarter and not yet looked at: shown as carried over.
    carried_over = models.BooleanField(default=False)

    class Meta:
        ordering = ["pathway__order"]
        constraints = [
            models.UniqueConstraint(fields=["prison_return", "pathway"], name="one_line_per_pathway_per_return"),
            models.CheckConstraint(
                condition=Q(services_started__lte=F("services_running")), name="started_not_above_running"
            ),
            models.CheckConstraint(condition=Q(spend__isnull=True) | Q(spend__gte=0), name="line_spend_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.prison_return} – {self.pathway.name}"


class ProposalStatus(models.TextChoices):
    AWAITING = "awaiting", "Awaiting review"
    ACCEPTED = "accepted", "Accepted into the directory"
    REJECTED = "rejected", "Rejected"


class ProposedOrganisation(models.Model):
    """A VCS organisation delivering on a pathway that is not in the directory yet.

    The region's commissioner reviews it (``services_proposals``): accepted, it is linked to the
    directory organisation it is (``organisation``: a new one, or one already there that the
    commissioner chose); rejected, the reason is kept. Until then it awaits review. A decision is
    taken once for a name in a region: every proposal of that name awaiting review there gets it.
    """

    line = models.ForeignKey(PrisonReturnLine, on_delete=models.CASCADE, related_name="proposed")
    name = models.CharField(max_length=200)
    sector = models.CharField(max_length=10, choices=[("vcs", "Voluntary and community"), ("private", "Private")])
    organisation = models.ForeignKey(
        "organisations.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    rejected_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["line", "name"], name="proposed_name_once_per_line"),
            models.CheckConstraint(
                condition=Q(decided_at__isnull=True, organisation__isnull=True, rejected_reason="")
                | Q(decided_at__isnull=False, organisation__isnull=False, rejected_reason="")
                | (Q(decided_at__isnull=False, organisation__isnull=True) & ~Q(rejected_reason="")),
                name="proposal_decided_whole",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("returns:proposal", args=[self.pk])

    @property
    def awaits_review(self) -> bool:
        """Nobody has accepted or rejected it yet."""
        return self.decided_at is None

    @property
    def status(self) -> ProposalStatus:
        if self.decided_at is None:
            return ProposalStatus.AWAITING
        return ProposalStatus.ACCEPTED if self.organisation_id is not None else ProposalStatus.REJECTED

    @property
    def status_colour(self) -> str:
        return {
            ProposalStatus.AWAITING: "govuk-tag--blue",
            ProposalStatus.ACCEPTED: "govuk-tag--green",
            ProposalStatus.REJECTED: "govuk-tag--red",
        }[self.status]


class ReminderKind(models.TextChoices):
    DUE_SOON = "due_soon", "Due within 7 days"
    OVERDUE = "overdue", "Overdue"
    RETURNED = "returned", "Returned for correction"


class ReminderSent(models.Model):
    """One reminder e-mail about one return in one state; never sent twice for the same state."""

    prison_return = models.ForeignKey(PrisonReturn, null=True, blank=True, on_delete=models.CASCADE)
    probation_return = models.ForeignKey(ProbationReturn, null=True, blank=True, on_delete=models.CASCADE)
    reminder = models.CharField(max_length=10, choices=ReminderKind.choices)
    # What makes the state distinct: the deadline, or when the return was sent back.
    state_key = models.CharField(max_length=40)
    recipients = models.TextField()
    sent_at = models.DateTimeField()

    class Meta:
        ordering = ["-sent_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(prison_return__isnull=True, probation_return__isnull=False)
                | Q(prison_return__isnull=False, probation_return__isnull=True),
                name="reminder_for_exactly_one_return",
            ),
            models.UniqueConstraint(
                fields=["prison_return", "reminder", "state_key"], name="prison_reminder_once_per_state"
            ),
            models.UniqueConstraint(
                fields=["probation_return", "reminder", "state_key"], name="probation_reminder_once_per_state"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_reminder_display()} – {self.the_return}"

    @property
    def the_return(self) -> Any:
        return self.prison_return or self.probation_return


class UploadFormat(models.TextChoices):
    XLSX = "xlsx", "Excel workbook"
    CSV = "csv", "CSV file"


class PrisonReturnUpload(models.Model):
    """A spreadsheet whose figures were saved into a prison return, kept as it was uploaded.

    Only a file that passed every check is kept (a refused file leaves no trace, so the database is
    as it was). The bytes are kept here, never on disk under the sender's file name, with the
    version of the checks it passed, so that it can be checked again when the rules change.
    """

    prison_return = models.ForeignKey(PrisonReturn, on_delete=models.CASCADE, related_name="uploads")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField()
    file_format = models.CharField(max_length=4, choices=UploadFormat.choices)
    # The sender's file name cleaned for display (core.uploads.display_name); never a path.
    display_name = models.CharField(max_length=100)
    content = models.BinaryField()
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    template_version = models.PositiveSmallIntegerField()
    rules_version = models.PositiveSmallIntegerField()
    # The return's version the template was downloaded at, and the one this upload left it at.
    based_on_version = models.PositiveIntegerField()
    result_version = models.PositiveIntegerField()
    # The download's random token (spreadsheet.Identity.download): that file may be uploaded again.
    download = models.CharField(max_length=32, blank=True)

    class Meta:
        ordering = ["-uploaded_at", "-id"]

    def __str__(self) -> str:
        return f"{self.display_name} ({self.prison_return})"
