"""Documents kept in the database as uploaded: an opportunity's, a partnership's and a bid's."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from stepchange.commissioning.models.bids import Bid
from stepchange.commissioning.models.opportunities import Opportunity
from stepchange.commissioning.models.partnerships import BiddingPartnership


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
