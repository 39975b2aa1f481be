"""What the API shows of each thing: read-only shapes, and the write requests' shapes (which
only carry the data to the forms and services that check it)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from stepchange.commissioning.models import Bid, Opportunity
from stepchange.contracts.models import Contract, SubContract
from stepchange.organisations.models import Organisation
from stepchange.returns.models import PrisonReturnLine, ProbationReturnLine


class OrganisationSerializer(serializers.ModelSerializer[Organisation]):
    region: Any = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    size_band = serializers.CharField(
        read_only=True, help_text="micro, small, medium, large or major; empty if not known"
    )
    website = serializers.CharField(read_only=True)

    class Meta:
        model = Organisation
        fields = [
            "id",
            "name",
            "sector",
            "charity_number",
            "company_number",
            "region",
            "bme_led",
            "women_specific",
            "user_led",
            "infrastructure_body",
            "size_band",
            "description",
            "website",
        ]
        read_only_fields = fields


class SubContractSerializer(serializers.ModelSerializer[SubContract]):
    partner: Any = serializers.PrimaryKeyRelatedField(read_only=True)
    partner_name = serializers.CharField(source="partner.name", read_only=True)

    class Meta:
        model = SubContract
        fields = ["id", "partner", "partner_name", "value"]
        read_only_fields = fields


class ContractSerializer(serializers.ModelSerializer[Contract]):
    commissioner: Any = serializers.SlugRelatedField(slug_field="code", read_only=True)
    commissioner_id = serializers.IntegerField(read_only=True)
    prime_name = serializers.CharField(source="prime.name", read_only=True)
    pathways: Any = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    sub_contracts = SubContractSerializer(many=True, read_only=True)
    notes = serializers.SerializerMethodField()

    class Meta:
        model = Contract
        fields = [
            "id",
            "reference",
            "title",
            "commissioner",
            "commissioner_id",
            "prime",
            "prime_name",
            "pathways",
            "annual_value",
            "start",
            "end",
            "funding_source",
            "funder",
            "kind",
            "published",
            "notes",
            "sub_contracts",
            "version",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_notes(self, contract: Contract) -> str | None:
        """The notes, for those who see the contract because of their work; null for the rest."""
        worked_with: set[int] = self.context.get("worked_with", set())
        return contract.notes if contract.pk in worked_with else None


class ContractWriteSerializer(serializers.Serializer[Any]):
    """A contract as sent: checked by the contract form of the pages, then saved by its service."""

    reference = serializers.CharField()
    title = serializers.CharField()
    commissioner = serializers.IntegerField(help_text="The commissioner's id")
    prime = serializers.IntegerField(help_text="The prime provider's organisation id")
    pathways = serializers.ListField(child=serializers.CharField(), required=False, help_text="Pathway codes")
    annual_value = serializers.CharField(help_text="Pounds and pence, e.g. 12500.00")
    start = serializers.CharField(help_text="ISO date, e.g. 2006-04-01")
    end = serializers.CharField(required=False, allow_blank=True)
    funding_source = serializers.CharField()
    funder = serializers.CharField(required=False, allow_blank=True)
    kind = serializers.CharField(required=False)
    published = serializers.BooleanField(required=False)
    notes = serializers.CharField(required=False, allow_blank=True)


class ContractUpdateSerializer(serializers.Serializer[Any]):
    """A change: any of the contract's fields (those left out stay as they are), and the version."""

    reference = serializers.CharField(required=False)
    title = serializers.CharField(required=False)
    commissioner = serializers.IntegerField(required=False)
    prime = serializers.IntegerField(required=False)
    pathways = serializers.ListField(child=serializers.CharField(), required=False)
    annual_value = serializers.CharField(required=False)
    start = serializers.CharField(required=False)
    end = serializers.CharField(required=False, allow_blank=True)
    funding_source = serializers.CharField(required=False)
    funder = serializers.CharField(required=False, allow_blank=True)
    kind = serializers.CharField(required=False)
    published = serializers.BooleanField(required=False)
    notes = serializers.CharField(required=False, allow_blank=True)
    version = serializers.IntegerField(
        required=False,
        help_text="The contract's version as read: a stale one is refused (409). Needed unless If-Match is sent",
    )


class PrisonLineSerializer(serializers.ModelSerializer[PrisonReturnLine]):
    pathway: Any = serializers.SlugRelatedField(slug_field="code", read_only=True)
    organisations: Any = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = PrisonReturnLine
        fields = ["pathway", "services_running", "services_started", "services_ended", "spend", "organisations"]
        read_only_fields = fields


class ProbationLineSerializer(serializers.ModelSerializer[ProbationReturnLine]):
    pathways: Any = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    # Codes, empty where the line does not say (as a return's sheet may leave them).
    change = serializers.CharField(read_only=True)
    sector = serializers.CharField(read_only=True)
    funding_source = serializers.CharField(read_only=True)

    class Meta:
        model = ProbationReturnLine
        fields = [
            "id",
            "contract",
            "title",
            "recorded_value",
            "annual_value",
            "change",
            "sector",
            "pathways",
            "funding_source",
        ]
        read_only_fields = fields


class _ReturnSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField(read_only=True)
    commissioner = serializers.CharField(source="commissioner.code", read_only=True)
    year = serializers.SerializerMethodField()
    quarter = serializers.SerializerMethodField()
    status = serializers.CharField(read_only=True)
    deadline = serializers.DateField(read_only=True, allow_null=True)
    submitted_at = serializers.DateTimeField(read_only=True, allow_null=True)
    approved_at = serializers.DateTimeField(read_only=True, allow_null=True)
    returned_at = serializers.DateTimeField(read_only=True, allow_null=True)
    version = serializers.IntegerField(read_only=True)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_year(self, the_return: Any) -> str | None:
        return the_return.round.year.name if the_return.round_id else None

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_quarter(self, the_return: Any) -> int | None:
        return the_return.round.quarter if the_return.round_id else None


class PrisonReturnSerializer(_ReturnSerializer):
    pass


class PrisonReturnDetailSerializer(_ReturnSerializer):
    lines = PrisonLineSerializer(many=True, read_only=True)
    coordinator_post = serializers.CharField(read_only=True)
    coordinator_fte = serializers.DecimalField(max_digits=3, decimal_places=2, read_only=True, allow_null=True)


class ProbationReturnSerializer(_ReturnSerializer):
    pass


class ProbationReturnDetailSerializer(_ReturnSerializer):
    lines = ProbationLineSerializer(many=True, read_only=True)


class PrisonLineWriteSerializer(serializers.Serializer[Any]):
    pathway = serializers.CharField(help_text="The pathway's code")
    services_running = serializers.IntegerField()
    services_started = serializers.IntegerField()
    services_ended = serializers.IntegerField()
    spend = serializers.CharField(required=False, allow_blank=True, allow_null=True, help_text="Pounds, or empty")


class CoordinatorWriteSerializer(serializers.Serializer[Any]):
    post = serializers.ChoiceField(choices=["none", "part_time", "full_time"])
    fte = serializers.CharField(required=False, allow_blank=True, allow_null=True, help_text="For a part-time post")


class PrisonLinesWriteSerializer(serializers.Serializer[Any]):
    version = serializers.IntegerField(help_text="The return's version as read: a stale one is refused (409)")
    lines = PrisonLineWriteSerializer(many=True, required=False)
    coordinator = CoordinatorWriteSerializer(required=False, help_text="The VCS co-ordinator post")


class SubmitSerializer(serializers.Serializer[Any]):
    version = serializers.IntegerField(help_text="The return's version as read: a stale one is refused (409)")
    nil = serializers.BooleanField(required=False, default=False)
    reasons = serializers.DictField(
        child=serializers.CharField(allow_blank=True),
        required=False,
        help_text="A reason for each warning the checks raise, by the warning's code",
    )


class OpportunitySerializer(serializers.ModelSerializer[Opportunity]):
    commissioner: Any = serializers.SlugRelatedField(slug_field="code", read_only=True)
    pathways: Any = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = Opportunity
        fields = [
            "id",
            "reference",
            "title",
            "description",
            "kind",
            "commissioner",
            "pathways",
            "estimated_value",
            "duration_months",
            "contract_start",
            "funding_source",
            "published_at",
            "cancelled_at",
        ]
        read_only_fields = fields


class BidSerializer(serializers.ModelSerializer[Bid]):
    """What a bid's list says of it: whose, for what, and where it stands; never its content
    (answers, price, documents), which stays on the pages that may unseal it."""

    opportunity = serializers.IntegerField(source="stage.opportunity_id", read_only=True)
    stage = serializers.IntegerField(source="stage.number", read_only=True)
    partnership = serializers.CharField(source="partnership.name", read_only=True)
    status = serializers.CharField(source="status_label", read_only=True)

    class Meta:
        model = Bid
        fields = ["id", "opportunity", "stage", "partnership", "status", "submitted_at"]
        read_only_fields = fields


class ReportSummarySerializer(serializers.Serializer[Any]):
    name = serializers.CharField()
    title = serializers.CharField()
    description = serializers.CharField()
    takes = serializers.ListField(child=serializers.CharField())
    signed_in_only = serializers.BooleanField()


class ErrorItemSerializer(serializers.Serializer[Any]):
    field = serializers.CharField(allow_null=True)
    message = serializers.CharField()


class ErrorSerializer(serializers.Serializer[Any]):
    status = serializers.IntegerField()
    title = serializers.CharField()
    errors = ErrorItemSerializer(many=True)  # type: ignore[assignment]  # a field of the shape, not .errors
