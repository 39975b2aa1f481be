"""Organisations (providers and commissioners alike) and the commissioners among them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class Sector(models.TextChoices):
    VCS = "vcs", "Voluntary and community"
    PRIVATE = "private", "Private"
    PUBLIC = "public", "Public"


class SizeBand(models.TextChoices):
    # Annual income bands as the sector's almanac uses them.
    MICRO = "micro", "Micro (under £10,000)"
    SMALL = "small", "Small (£10,000 to £100,000)"
    MEDIUM = "medium", "Medium (£100,000 to £1 million)"
    LARGE = "large", "Large (£1 million to £10 million)"
    MAJOR = "major", "Major (over £10 million)"


class Listing(models.TextChoices):
    """Whether the directory shows an organisation: one that registered itself waits for its
    regional team's check; one added by the regional team, or approved, is listed."""

    WAITING = "waiting", "Waiting for the regional team's check"
    LISTED = "listed", "Listed"
    REFUSED = "refused", "Refused"


class Organisation(models.Model):
    name = models.CharField(max_length=200, unique=True)
    listing = models.CharField(max_length=10, choices=Listing.choices, default=Listing.LISTED)
    listing_refusal_reason = models.TextField(blank=True)
    registered_at = models.DateTimeField(null=True, blank=True)
    sector = models.CharField(max_length=10, choices=Sector.choices)
    charity_number = models.CharField(max_length=20, blank=True)
    company_number = models.CharField(max_length=20, blank=True)
    region = models.ForeignKey("core.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    areas_served = models.ManyToManyField("organisations.Commissioner", blank=True, related_name="+")
    pathways_served = models.ManyToManyField("core.Pathway", blank=True, related_name="+")
    bme_led = models.BooleanField("BME-led", default=False)
    women_specific = models.BooleanField(default=False)
    user_led = models.BooleanField(default=False)
    infrastructure_body = models.BooleanField(default=False)
    size_band = models.CharField(max_length=10, choices=SizeBand.choices, blank=True)
    description = models.TextField(blank=True)
    contact_name = models.CharField(max_length=100, blank=True)
    contact_email = models.EmailField(blank=True)
    website = models.URLField(blank=True)
    # The id a region's imported spreadsheet gave it (imports app): unique within that region.
    external_ref = models.CharField(max_length=60, blank=True)
    external_region = models.ForeignKey(
        "core.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["external_region", "external_ref"],
                condition=~Q(external_ref=""),
                name="organisation_external_ref_unique_in_region",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class CommissionerKind(models.TextChoices):
    PROBATION = "probation", "Probation area"
    PRISON = "prison", "Prison"
    REGIONAL = "regional", "Regional team"


class Operator(models.TextChoices):
    PUBLIC = "public", "Public sector"
    PRIVATE = "private", "Private sector"


class EstablishmentType(models.TextChoices):
    """What kind of establishment a prison is (only prisons have one)."""

    LOCAL = "local", "Local"
    CATEGORY_B = "cat_b", "Category B"
    CATEGORY_C = "cat_c", "Category C"
    WOMENS = "womens", "Women's"
    OPEN = "open", "Open"
    YOI = "yoi", "Young offender institution"


class Commissioner(models.Model):
    """A body that buys services: a probation area, a prison or the regional team."""

    organisation = models.OneToOneField(Organisation, on_delete=models.PROTECT, related_name="commissioner")
    code = models.SlugField(max_length=12, unique=True)
    kind = models.CharField(max_length=10, choices=CommissionerKind.choices)
    region = models.ForeignKey("core.Region", on_delete=models.PROTECT, related_name="commissioners")
    # Only prisons have an operator.
    operator = models.CharField(max_length=10, choices=Operator.choices, blank=True)
    # Only prisons have an establishment type; blank for a prison whose type is not recorded yet.
    establishment_type = models.CharField(max_length=10, choices=EstablishmentType.choices, blank=True)
    # The id a region's imported spreadsheet gave it (imports app): unique within that region.
    external_ref = models.CharField(max_length=60, blank=True)
    external_region = models.ForeignKey(
        "core.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["kind", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["external_region", "external_ref"],
                condition=~Q(external_ref=""),
                name="commissioner_external_ref_unique_in_region",
            ),
            models.CheckConstraint(
                condition=Q(kind="prison", operator__in=["public", "private"]) | (~Q(kind="prison") & Q(operator="")),
                name="commissioner_operator_only_for_prisons",
            ),
            models.CheckConstraint(
                condition=Q(kind="prison") | Q(establishment_type=""),
                name="commissioner_establishment_type_only_for_prisons",
            ),
        ]

    def __str__(self) -> str:
        return self.organisation.name

    @property
    def name(self) -> str:
        return self.organisation.name


# The fields that decide whether a bid is eligible (a lead's sector, a member's flags) and where an
# organisation counts in the figures (sector, region, size band). Its own people ask for a change
# to one of these, with evidence; the regional team decides (see ``access.may_change_protected``).
PROTECTED_FIELDS = ("sector", "region", "size_band", "bme_led", "women_specific", "user_led")


class ProfileChangeRequest(models.Model):
    """An organisation asking, with evidence, for a change to protected fields of its profile.

    Pending until ``decided_at``; then approved (the change applied, a ``ProfileChange`` written)
    or refused with a reason.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="change_requests")
    # Field name → the value asked for, as stored (a region by its id).
    changes = models.JSONField()
    reason = models.TextField()
    evidence_name = models.CharField(max_length=100, blank=True)
    evidence_format = models.CharField(max_length=5, blank=True)  # a key of core.uploads.DOCUMENT_TYPES
    evidence_content_type = models.CharField(max_length=100, blank=True)
    evidence = models.BinaryField(null=True, blank=True)
    evidence_size = models.PositiveIntegerField(default=0)
    evidence_sha256 = models.CharField(max_length=64, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    approved = models.BooleanField(null=True)
    refusal_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(decided_at__isnull=True) & Q(approved__isnull=True) & Q(decided_by__isnull=True))
                | (Q(decided_at__isnull=False) & Q(approved__isnull=False) & Q(decided_by__isnull=False)),
                name="change_request_decided_whole",
            ),
            models.CheckConstraint(
                condition=~Q(approved=False) | ~Q(refusal_reason=""), name="change_request_refusal_has_a_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation}: {', '.join(self.changes)}"

    @property
    def status(self) -> str:
        if self.decided_at is None:
            return "Waiting for a decision"
        return "Approved" if self.approved else "Refused"

    @property
    def is_pending(self) -> bool:
        return self.decided_at is None


class ProfileChange(models.Model):
    """One dated change to protected fields, applied by the regional team: the history of what an
    organisation was, and from when, which bids and figures were read against. Never edited."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="profile_changes")
    effective_on = models.DateField()
    changed_at = models.DateTimeField()
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # Field name → value, as shown (labels, not codes), for the fields that changed only.
    before = models.JSONField()
    after = models.JSONField()
    request = models.OneToOneField(
        ProfileChangeRequest, null=True, blank=True, on_delete=models.PROTECT, related_name="applied"
    )

    class Meta:
        ordering = ["-effective_on", "-changed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.organisation} from {self.effective_on}"


class ServiceOffer(models.Model):
    """A service an organisation offers: one pathway in one probation area (the areas its own
    people say it works in), described in its own words."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="services")
    pathway = models.ForeignKey("core.Pathway", on_delete=models.PROTECT, related_name="+")
    area = models.ForeignKey(Commissioner, on_delete=models.PROTECT, related_name="+")
    description = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["pathway__order", "area__code"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "pathway", "area"], name="one_service_per_pathway_and_area")
        ]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.pathway} in {self.area}"


class OrganisationAlias(models.Model):
    """Another name an organisation is known by: the name of one merged into it, kept for searches."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=200)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class OrganisationMerge(models.Model):
    """The record of a duplicate merged into the organisation kept: what it was and what moved."""

    kept = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="merges")
    merged_id = models.PositiveIntegerField()
    merged_name = models.CharField(max_length=200)
    # The merged organisation's fields as they were, and how many rows of each kind moved.
    merged_profile = models.JSONField()
    moved = models.JSONField()
    merged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    merged_at = models.DateTimeField()

    class Meta:
        ordering = ["-merged_at", "-id"]

    def __str__(self) -> str:
        return f"{self.merged_name} into {self.kept}"


class Claim(models.Model):
    """A person asking to keep the profile of a directory entry nobody keeps for them yet;
    the regional team of its region decides."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="claims")
    claimant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reason = models.TextField()
    asked_at = models.DateTimeField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    approved = models.BooleanField(null=True)
    refusal_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-asked_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(decided_at__isnull=True) & Q(approved__isnull=True) & Q(decided_by__isnull=True))
                | (Q(decided_at__isnull=False) & Q(approved__isnull=False) & Q(decided_by__isnull=False)),
                name="claim_decided_whole",
            ),
            models.CheckConstraint(
                condition=~Q(approved=False) | ~Q(refusal_reason=""), name="claim_refusal_has_a_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.claimant} claims {self.organisation}"

    @property
    def is_pending(self) -> bool:
        return self.decided_at is None

    @property
    def status(self) -> str:
        if self.decided_at is None:
            return "Waiting for a decision"
        return "Approved" if self.approved else "Refused"
