"""Commissioning: opportunities and their stages, bidding partnerships, sealed bids, scoring,
moderation, awards, challenges and the bidders' feedback survey.

Status is never a free field: an opportunity is open, evaluating, awarded, cancelled or closed
because of which of its ``*_at`` timestamps are set, and a bid is sealed until its stage's
deadline has passed. Who may see which rows is decided in ``access.py`` only.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from stepchange.commissioning import sealed
from stepchange.commissioning.awards import current_award_q, has_current_award, is_current
from stepchange.contracts.models import FundingSource

SCORE_MAX = 10


class OpportunityKind(models.TextChoices):
    TENDER = "tender", "Tender"
    GRANT_ROUND = "grant_round", "Grant round"


class OpportunityStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    OPEN = "open", "Open"
    EVALUATING = "evaluating", "Evaluating"
    AWARDED = "awarded", "Awarded"
    CANCELLED = "cancelled", "Cancelled"
    CLOSED = "closed", "Closed without award"


class Opportunity(models.Model):
    """A tender or grant round a commissioner publishes."""

    reference = models.SlugField(max_length=40, unique=True)
    commissioner = models.ForeignKey(
        "organisations.Commissioner", on_delete=models.PROTECT, related_name="opportunities"
    )
    title = models.CharField(max_length=200)
    description = models.TextField()
    kind = models.CharField(max_length=12, choices=OpportunityKind.choices, default=OpportunityKind.TENDER)
    pathways = models.ManyToManyField("core.Pathway", blank=True, related_name="opportunities")
    # The probation areas (or other commissioners' patches) the service is delivered in.
    areas = models.ManyToManyField("organisations.Commissioner", blank=True, related_name="opportunities_in_area")
    estimated_value = models.DecimalField("Estimated annual value", max_digits=14, decimal_places=2)
    duration_months = models.PositiveSmallIntegerField()
    contract_start = models.DateField(help_text="The earliest day the awarded contract may start")
    funding_source = models.CharField(max_length=20, choices=FundingSource.choices)
    funder = models.CharField(max_length=200, blank=True)
    clarification_deadline = models.DateTimeField(null=True, blank=True)
    answers_published_by = models.DateTimeField(null=True, blank=True)
    # Scores of one criterion further apart than this must be moderated.
    moderation_spread = models.PositiveSmallIntegerField(default=3)
    standstill_days = models.PositiveSmallIntegerField(default=10)
    published_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_reason = models.TextField(blank=True)
    closed_without_award_at = models.DateTimeField(null=True, blank=True)
    closed_reason = models.TextField(blank=True)
    feedback_published_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-published_at", "reference"]
        verbose_name_plural = "opportunities"
        constraints = [
            models.CheckConstraint(condition=Q(estimated_value__gt=0), name="opportunity_value_positive"),
            models.CheckConstraint(
                condition=Q(cancelled_at__isnull=True) | ~Q(cancelled_reason=""), name="cancellation_has_reason"
            ),
            models.CheckConstraint(
                condition=Q(closed_without_award_at__isnull=True) | ~Q(closed_reason=""),
                name="closure_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(cancelled_at__isnull=True) | Q(closed_without_award_at__isnull=True),
                name="cancelled_or_closed_not_both",
            ),
            models.CheckConstraint(
                condition=Q(clarification_deadline__isnull=True)
                | Q(answers_published_by__isnull=True)
                | Q(answers_published_by__gte=models.F("clarification_deadline")),
                name="answers_after_clarification_deadline",
            ),
            models.CheckConstraint(
                condition=~Q(funding_source="co_commissioned") | ~Q(funder=""),
                name="opportunity_co_commissioned_funder",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("commissioning:detail", args=[self.reference])

    def status(self, now: datetime.datetime | None = None) -> str:
        now = now or timezone.now()
        if self.cancelled_at:
            return OpportunityStatus.CANCELLED
        if self.closed_without_award_at:
            return OpportunityStatus.CLOSED
        if self.published_at is None or self.published_at > now:
            return OpportunityStatus.DRAFT
        if has_current_award(self):
            return OpportunityStatus.AWARDED
        first = self.stages.order_by("number").first()
        if first is not None and first.is_sealed(now):
            return OpportunityStatus.OPEN
        return OpportunityStatus.EVALUATING

    def status_label(self) -> str:
        return OpportunityStatus(self.status()).label

    @property
    def is_ended(self) -> bool:
        return bool(self.cancelled_at or self.closed_without_award_at)

    def may_be_called_off(self) -> bool:
        """Whether it may still be cancelled or closed without an award: published, not ended, and
        with no standing award (an award is withdrawn first)."""
        return self.published_at is not None and not self.is_ended and not has_current_award(self)

    def clarification_deadline_passed(self, now: datetime.datetime | None = None) -> bool:
        """Whether questions may no longer be asked: the clarification deadline, if any, has passed."""
        now = now or timezone.now()
        return self.clarification_deadline is not None and now > self.clarification_deadline

    def current_stage(self, now: datetime.datetime | None = None) -> Stage | None:
        """The first stage whose deadline has not passed, if any."""
        now = now or timezone.now()
        return self.stages.filter(sealed.sealed_q(now)).order_by("number").first()

    def closes_at(self) -> datetime.datetime | None:
        stage = self.current_stage()
        return stage.deadline if stage else None


class RuleKind(models.TextChoices):
    LEAD_SECTOR = "lead_sector", "The lead must be from a sector"
    MIN_MEMBERS = "min_members", "A partnership of at least this many organisations"
    MEMBER_FLAG = "member_flag", "At least one member must be a specialist"
    MAX_VALUE = "max_value", "The price must not exceed a maximum"


class MemberFlag(models.TextChoices):
    WOMEN_SPECIFIC = "women_specific", "women-specific"
    BME_LED = "bme_led", "BME-led"
    USER_LED = "user_led", "user-led"


class EligibilityRule(models.Model):
    """One rule a bid must keep to be submitted; the service checks it at submission."""

    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="rules")
    kind = models.CharField(max_length=12, choices=RuleKind.choices)
    # lead_sector: a Sector value; member_flag: a MemberFlag value.
    text = models.CharField(max_length=30, blank=True)
    # min_members: a whole number; max_value: pounds.
    number = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["opportunity", "kind", "id"]
        constraints = [
            models.UniqueConstraint(fields=["opportunity", "kind", "text"], name="one_rule_of_a_kind"),
            models.CheckConstraint(
                condition=(Q(kind__in=["lead_sector", "member_flag"]) & ~Q(text="") & Q(number__isnull=True))
                | (Q(kind__in=["min_members", "max_value"]) & Q(text="") & Q(number__gt=0)),
                name="rule_has_its_value",
            ),
        ]

    def __str__(self) -> str:
        return self.describe()

    def describe(self) -> str:
        from stepchange.organisations.models import Sector

        if self.kind == RuleKind.LEAD_SECTOR:
            label = Sector(self.text).label.lower() if self.text in Sector.values else self.text
            return f"The lead organisation must be {label} sector"
        if self.kind == RuleKind.MIN_MEMBERS:
            return f"The bid must come from a partnership of at least {int(self.number or 0)} organisations"
        if self.kind == RuleKind.MEMBER_FLAG:
            label = MemberFlag(self.text).label if self.text in MemberFlag.values else self.text
            return f"At least one member of the partnership must be {label}"
        return f"The price must not be more than £{self.number:,.2f}"


class Stage(models.Model):
    """Stage 1 outline, stage 2 full bid, ...: each with its deadline, questions, criteria and evaluators."""

    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="stages")
    number = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=100)
    deadline = models.DateTimeField()
    # Why this stage is open for bids for less than its region's minimum tender period; required
    # when it is (``tender_period.tender_period_problem``), blank otherwise.
    short_period_reason = models.TextField(blank=True)
    evaluators = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="evaluation_stages")

    class Meta:
        ordering = ["opportunity", "number"]
        constraints = [
            models.UniqueConstraint(fields=["opportunity", "number"], name="one_stage_per_number"),
            models.CheckConstraint(condition=Q(number__gte=1), name="stage_numbers_from_one"),
        ]

    def __str__(self) -> str:
        return f"Stage {self.number}: {self.name}"

    def is_sealed(self, now: datetime.datetime | None = None) -> bool:
        return sealed.sealed(self, now)

    def deadline_may_change(self, now: datetime.datetime | None = None) -> bool:
        """Whether its deadline may still be moved: the stage is still sealed, and its opportunity
        has neither ended nor a standing award."""
        return self.is_sealed(now) and not self.opportunity.is_ended and not has_current_award(self.opportunity)

    @property
    def is_last(self) -> bool:
        return not self.opportunity.stages.filter(number__gt=self.number).exists()


class Question(models.Model):
    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="questions")
    number = models.PositiveSmallIntegerField()
    text = models.TextField()
    word_limit = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["stage", "number"]
        constraints = [models.UniqueConstraint(fields=["stage", "number"], name="one_question_per_number")]

    def __str__(self) -> str:
        return f"Q{self.number}"


class Criterion(models.Model):
    """What evaluators score, 0 to 10; a stage's weights must add to 100 before publication."""

    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(max_length=200)
    weight = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["stage", "id"]
        constraints = [
            models.UniqueConstraint(fields=["stage", "name"], name="criterion_names_unique_in_stage"),
            models.CheckConstraint(condition=Q(weight__gte=1) & Q(weight__lte=100), name="criterion_weight_1_to_100"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.weight}%)"


class ClarificationQuestion(models.Model):
    """Asked by a provider, answered for everyone; the public page never names the asker."""

    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="clarifications")
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    asked_at = models.DateTimeField()
    question = models.TextField()
    answer = models.TextField(blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["opportunity", "asked_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(answered_at__isnull=True) | ~Q(answer=""), name="answered_clarification_has_answer"
            )
        ]

    def __str__(self) -> str:
        return self.question[:60]


class BiddingPartnership(models.Model):
    """A lead and its members, formed to bid for one opportunity.

    Names are not unique within an opportunity: refusing a name another partnership holds would
    tell a bidder that a rival is bidding. One partnership per lead per opportunity."""

    opportunity = models.ForeignKey(Opportunity, on_delete=models.PROTECT, related_name="partnerships")
    name = models.CharField(max_length=200)
    lead = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="partnerships_led")
    constitution = models.TextField(blank=True)
    bidding_protocol = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField()
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["opportunity", "name"]
        constraints = [
            models.UniqueConstraint(fields=["opportunity", "lead"], name="one_partnership_per_lead"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("commissioning:partnership", args=[self.pk])

    def active_members(self) -> models.QuerySet[PartnershipMember]:
        return self.members.filter(left_at__isnull=True).select_related("organisation")

    def confirmed_members(self) -> models.QuerySet[PartnershipMember]:
        return self.active_members().filter(confirmed_at__isnull=False)

    def documents_frozen(self, now: datetime.datetime | None = None) -> bool:
        """The constitution and bidding protocol freeze when the deadline of a stage the partnership
        submitted a bid to has passed: from then the commissioner may read them, and what they read
        is what the partnership bid with."""
        return self.bids.filter(sealed.unsealed_submitted_q(now)).exists()


class PartnershipMember(models.Model):
    """An organisation in a partnership: invited, then confirmed by the organisation itself.

    A member that leaves keeps its row (``left_at``); rejoining adds a new row, so the membership
    history of a partnership is its member rows in order.
    """

    partnership = models.ForeignKey(BiddingPartnership, on_delete=models.CASCADE, related_name="members")
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=200)
    # The indicative share of the contract value, in per cent.
    share = models.DecimalField(max_digits=5, decimal_places=2)
    # The numbers the member bids under (checked by ``organisations.identifiers``), kept on the
    # membership so the award, the contract and the open data name it as it bid, whatever later
    # happens to the organisation's profile.
    charity_number = models.CharField(max_length=20, blank=True)
    company_number = models.CharField(max_length=20, blank=True)
    invited_at = models.DateTimeField()
    confirmed_at = models.DateTimeField(null=True, blank=True)
    left_at = models.DateTimeField(null=True, blank=True)
    # The member's people on the bid: the person who formed the partnership (for the lead) or
    # confirmed the membership, and whoever the lead's team names. Only they see its bids.
    team = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="bid_teams")

    class Meta:
        ordering = ["partnership", "invited_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "organisation"],
                condition=Q(left_at__isnull=True),
                name="one_active_membership_per_organisation",
            ),
            models.CheckConstraint(condition=Q(share__gte=0) & Q(share__lte=100), name="member_share_is_a_percentage"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} in {self.partnership}"

    @property
    def is_lead(self) -> bool:
        return self.organisation_id == self.partnership.lead_id

    @property
    def registered_numbers(self) -> str:
        """'charity 1099999, company 04567890', or '' when the member has neither."""
        from stepchange.organisations.identifiers import describe

        return describe(charity_number=self.charity_number, company_number=self.company_number)


class Outcome(models.TextChoices):
    SHORTLISTED = "shortlisted", "Taken forward"
    REJECTED = "rejected", "Not taken forward"
    AWARDED = "awarded", "Awarded"


class Bid(models.Model):
    """One partnership's submission to one stage; sealed until the stage's deadline."""

    partnership = models.ForeignKey(BiddingPartnership, on_delete=models.PROTECT, related_name="bids")
    stage = models.ForeignKey(Stage, on_delete=models.PROTECT, related_name="bids")
    # The answers (question number as a string → answer) and the annual price, only ever as
    # AES-GCM ciphertext under the opportunity's key: read and written by ``sealing`` alone.
    sealed = models.BinaryField(default=b"", editable=False)
    submitted_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    # Set when the opportunity changed after this bid was submitted; cleared by re-confirming.
    reconfirm_needed_since = models.DateTimeField(null=True, blank=True)
    # Organisation id → the sector and flags the eligibility rules read at submission: a submitted
    # bid keeps the eligibility it was checked with, whatever the organisations' profiles say
    # later. See services.bids.eligibility_basis.
    eligibility_basis = models.JSONField(default=dict, blank=True)
    outcome = models.CharField(max_length=12, choices=Outcome.choices, blank=True)
    outcome_at = models.DateTimeField(null=True, blank=True)
    feedback = models.TextField(blank=True)
    created_at = models.DateTimeField()
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["stage", "partnership__name"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "stage"], name="one_bid_per_partnership_stage"),
            models.CheckConstraint(
                condition=Q(outcome="") | Q(outcome_at__isnull=False), name="bid_outcome_has_a_time"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.partnership} – stage {self.stage.number}"

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None and self.withdrawn_at is None

    def is_changeable(self, now: datetime.datetime | None = None) -> bool:
        """Whether its team may still change or withdraw it: not withdrawn, and its stage still sealed
        (after the deadline the bid is frozen)."""
        return self.withdrawn_at is None and self.stage.is_sealed(now)

    @property
    def status_label(self) -> str:
        if self.withdrawn_at:
            return "Withdrawn"
        if self.submitted_at is None:
            return "Not submitted"
        if self.reconfirm_needed_since:
            return "Must be re-confirmed"
        return "Submitted"


class StoredDocument(models.Model):
    """A file kept in the database exactly as it was uploaded, after ``core.uploads.check_document``
    decided from its bytes what it is. Never written to disk; the name sent is kept, cleaned, for
    display and the download's name only."""

    title = models.CharField(max_length=200)
    display_name = models.CharField(max_length=100)
    file_format = models.CharField(max_length=5)  # a key of core.uploads.DOCUMENT_TYPES
    content_type = models.CharField(max_length=100)
    content = models.BinaryField()
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField()

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.title

    @property
    def format_label(self) -> str:
        from stepchange.core.uploads import document_kind_label

        return document_kind_label(self.file_format)


class OpportunityDocumentKind(models.TextChoices):
    # Each maps to a code of the OCDS documentType codelist (ocds.DOCUMENT_TYPES).
    SPECIFICATION = "specification", "Specification"
    TERMS = "terms", "Terms and conditions"
    PRICING_SCHEDULE = "pricing_schedule", "Pricing schedule"
    EVALUATION = "evaluation", "Evaluation criteria"
    ELIGIBILITY = "eligibility", "Eligibility criteria"
    CONTRACT_DRAFT = "contract_draft", "Draft contract"
    OTHER = "other", "Other bidding document"


class OpportunityDocument(StoredDocument):
    """A document of an opportunity: public once the opportunity is published. After publication a
    document is never deleted, only replaced (``replaced_at``), so what bidders read stays on record."""

    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(max_length=20, choices=OpportunityDocumentKind.choices)
    replaced_at = models.DateTimeField(null=True, blank=True)
    replaced_by = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["opportunity", "uploaded_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(replaced_at__isnull=True) | Q(replaced_by__isnull=False),
                name="replaced_document_names_its_replacement",
            )
        ]


class PartnershipDocumentKind(models.TextChoices):
    CONSTITUTION = "constitution", "Constitution"
    BIDDING_PROTOCOL = "bidding_protocol", "Joint bidding protocol"


class PartnershipDocument(StoredDocument):
    """A partnership's constitution or joint bidding protocol: one current of each. A new one
    replaces it, and the replaced one is kept (``replaced_at``) so the history stays on record.
    Frozen, like the bids, once the partnership's documents are open to the commissioner
    (``BiddingPartnership.documents_frozen``)."""

    partnership = models.ForeignKey(BiddingPartnership, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(max_length=20, choices=PartnershipDocumentKind.choices)
    replaced_at = models.DateTimeField(null=True, blank=True)
    # Null once the replacement itself was removed (before the freeze).
    replaced_by = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["partnership", "kind", "uploaded_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "kind"],
                condition=Q(replaced_at__isnull=True),
                name="one_current_partnership_document_of_a_kind",
            )
        ]


class BidDocumentKind(models.TextChoices):
    METHOD_STATEMENT = "method_statement", "Method statement"
    BUDGET = "budget", "Budget"
    LETTER_OF_SUPPORT = "letter_of_support", "Letter of support"
    POLICY = "policy", "Policy or accreditation"
    OTHER = "other", "Other"


class BidDocument(StoredDocument):
    """A document of a bid, sealed with it: added and removed by its partnership until the stage's
    deadline, then frozen; never in the open data."""

    bid = models.ForeignKey(Bid, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(max_length=20, choices=BidDocumentKind.choices)
    # The file's bytes are kept only sealed, like the bid's answers (``sealing``).
    content = None  # type: ignore[assignment]
    sealed_content = models.BinaryField(default=b"", editable=False)

    class Meta:
        ordering = ["bid", "uploaded_at", "id"]


class OpportunityKey(models.Model):
    """The key an opportunity's bids are sealed with, kept only wrapped (AES-GCM) by a master key
    from the environment, named by ``master_key_id``; see ``sealing``."""

    opportunity = models.OneToOneField(Opportunity, on_delete=models.CASCADE, related_name="sealing_key")
    master_key_id = models.CharField(max_length=40)
    wrapped_key = models.BinaryField(editable=False)
    created_at = models.DateTimeField()
    rewrapped_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Bid key of {self.opportunity} under {self.master_key_id}"


class BidOpening(models.Model):
    """Who opened which sealed bid, when: every view of a bid's content by someone outside it."""

    bid = models.ForeignKey(Bid, on_delete=models.CASCADE, related_name="openings")
    # Set when what was opened is one of the bid's documents rather than its page.
    document = models.ForeignKey(
        "BidDocument", null=True, blank=True, on_delete=models.SET_NULL, related_name="openings"
    )
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    opened_at = models.DateTimeField()

    class Meta:
        ordering = ["opened_at", "id"]

    def __str__(self) -> str:
        return f"{self.bid} opened {self.opened_at:%Y-%m-%d %H:%M}"


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


class Award(models.Model):
    """The award of an opportunity to a last-stage bid, and the contract it created."""

    opportunity = models.ForeignKey(Opportunity, on_delete=models.PROTECT, related_name="awards")
    bid = models.ForeignKey(Bid, on_delete=models.PROTECT, related_name="awards")
    contract = models.ForeignKey("contracts.Contract", null=True, on_delete=models.SET_NULL, related_name="awards")
    value = models.DecimalField(max_digits=14, decimal_places=2)
    awarded_at = models.DateTimeField()
    awarded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    standstill_ends = models.DateField()
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_reason = models.TextField(blank=True)
    # Why the commissioner awarded while a named evaluator had not scored (``bid_award``); blank
    # when every evaluator named on the stage scored every bid or declared a conflict.
    unscored_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-awarded_at"]
        constraints = [
            models.UniqueConstraint(fields=["opportunity"], condition=current_award_q(), name="one_standing_award"),
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True) | ~Q(withdrawn_reason=""), name="award_withdrawal_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.opportunity}: {self.bid.partnership}"

    def get_absolute_url(self) -> str:
        return self.opportunity.get_absolute_url()

    def in_standstill(self, today: datetime.date | None = None) -> bool:
        return (today or timezone.localdate()) <= self.standstill_ends

    def may_start(self, today: datetime.date | None = None) -> bool:
        """The contract may start after the standstill, and never while a challenge is open."""
        return (
            is_current(self)
            and not self.in_standstill(today)
            and not self.challenges.filter(answered_at__isnull=True).exists()
        )


class Challenge(models.Model):
    """A bidder's challenge to an award during the standstill; answered by a deadline."""

    award = models.ForeignKey(Award, on_delete=models.PROTECT, related_name="challenges")
    partnership = models.ForeignKey(BiddingPartnership, on_delete=models.PROTECT, related_name="challenges")
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    raised_at = models.DateTimeField()
    grounds = models.TextField()
    answer_due = models.DateTimeField()
    answer = models.TextField(blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["raised_at"]
        constraints = [
            models.CheckConstraint(condition=~Q(grounds=""), name="challenge_has_grounds"),
            models.CheckConstraint(
                condition=Q(answered_at__isnull=True) | ~Q(answer=""), name="answered_challenge_has_answer"
            ),
        ]

    def __str__(self) -> str:
        return f"Challenge by {self.partnership} to {self.award}"


class BidderNotice(models.Model):
    """What the service told a partnership: a change to the opportunity, an outcome, a survey."""

    partnership = models.ForeignKey(BiddingPartnership, on_delete=models.CASCADE, related_name="notices")
    sent_at = models.DateTimeField()
    subject = models.CharField(max_length=200)
    body = models.TextField()

    class Meta:
        ordering = ["-sent_at", "-id"]

    def __str__(self) -> str:
        return self.subject


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
