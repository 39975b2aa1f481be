"""Contracts with providers, their sub-contracts, and the grants and targets they are measured by."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import models
from django.db.models import Q

from stepchange.organisations.models import CommissionerKind


class MainGrant(models.Model):
    """A commissioner's main resource grant for a financial year: indicative first, final later."""

    commissioner = models.ForeignKey("organisations.Commissioner", on_delete=models.PROTECT, related_name="grants")
    year = models.ForeignKey("core.FinancialYear", on_delete=models.PROTECT, related_name="+")
    indicative = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    final = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    # The id a region's imported spreadsheet gave it (imports app): unique within that region.
    external_ref = models.CharField(max_length=60, blank=True)
    external_region = models.ForeignKey(
        "core.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["year__start", "commissioner__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["external_region", "external_ref"],
                condition=~Q(external_ref=""),
                name="grant_external_ref_unique_in_region",
            ),
            models.UniqueConstraint(fields=["commissioner", "year"], name="one_grant_per_commissioner_year"),
            models.CheckConstraint(
                condition=Q(indicative__isnull=False) | Q(final__isnull=False), name="grant_has_an_amount"
            ),
            models.CheckConstraint(
                condition=(Q(indicative__isnull=True) | Q(indicative__gt=0)) & (Q(final__isnull=True) | Q(final__gt=0)),
                name="grant_amounts_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.commissioner.code} {self.year}"

    @property
    def amount(self) -> Decimal | None:
        """The final grant where there is one, else the indicative one."""
        return self.final if self.final is not None else self.indicative


class Target(models.Model):
    """The share of main grant a kind of commissioner should spend with VCS and private providers."""

    commissioner_kind = models.CharField(max_length=10, choices=CommissionerKind.choices)
    year = models.ForeignKey("core.FinancialYear", on_delete=models.PROTECT, related_name="+")
    percentage = models.DecimalField(max_digits=5, decimal_places=2)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["year__start", "commissioner_kind"]
        constraints = [
            models.UniqueConstraint(fields=["commissioner_kind", "year"], name="one_target_per_kind_year"),
            models.CheckConstraint(
                condition=Q(percentage__gte=0) & Q(percentage__lte=100), name="target_is_a_percentage"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_commissioner_kind_display()} {self.year}: {self.percentage}%"


class FundingSource(models.TextChoices):
    MAIN_GRANT = "main_grant", "Main grant"
    NEW_INVESTMENT = "new_investment", "New investment"
    CO_COMMISSIONED = "co_commissioned", "Co-commissioned"
    IN_KIND = "in_kind", "In-kind secondment"


class ContractKind(models.TextChoices):
    CONTRACT = "contract", "Contract"
    GRANT = "grant", "Grant"
    SLA = "sla", "Service level agreement"
    SECONDMENT = "secondment", "Secondment"


class Contract(models.Model):
    reference = models.CharField(max_length=40, unique=True)
    title = models.CharField(max_length=200)
    commissioner = models.ForeignKey("organisations.Commissioner", on_delete=models.PROTECT, related_name="contracts")
    prime = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="contracts_held")
    pathways = models.ManyToManyField("core.Pathway", blank=True, related_name="contracts")
    annual_value = models.DecimalField(max_digits=14, decimal_places=2)
    start = models.DateField()
    end = models.DateField(null=True, blank=True)
    funding_source = models.CharField(max_length=20, choices=FundingSource.choices)
    # The programme or funder behind money that is not the main grant.
    funder = models.CharField(max_length=200, blank=True)
    kind = models.CharField(max_length=12, choices=ContractKind.choices, default=ContractKind.CONTRACT)
    # Contract-level detail is shown to the public only when published.
    published = models.BooleanField(default=False)
    notes = models.TextField(blank=True)
    # The id a region's imported spreadsheet gave it (imports app): unique within that region.
    external_ref = models.CharField(max_length=60, blank=True)
    external_region = models.ForeignKey(
        "core.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["commissioner__code", "reference"]
        constraints = [
            models.CheckConstraint(condition=Q(annual_value__gte=0), name="contract_value_not_negative"),
            models.UniqueConstraint(
                fields=["external_region", "external_ref"],
                condition=~Q(external_ref=""),
                name="contract_external_ref_unique_in_region",
            ),
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")), name="contract_ends_after_start"
            ),
            models.CheckConstraint(
                condition=~Q(funding_source="co_commissioned") | ~Q(funder=""),
                name="co_commissioned_names_funder",
            ),
        ]
        indexes = [
            models.Index(fields=["commissioner", "funding_source", "start", "end"]),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    def is_live(self, day: datetime.date) -> bool:
        """Live from start to end, both days included; no end date means open-ended."""
        return self.start <= day and (self.end is None or day <= self.end)


class SubContract(models.Model):
    """Part of a contract passed from its prime to a partner organisation."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="sub_contracts")
    partner = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="sub_contracts")
    value = models.DecimalField(max_digits=14, decimal_places=2)
    # The id a region's imported spreadsheet gave it (imports app): unique within that region.
    external_ref = models.CharField(max_length=60, blank=True)
    external_region = models.ForeignKey(
        "core.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["contract", "partner__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["external_region", "external_ref"],
                condition=~Q(external_ref=""),
                name="sub_contract_external_ref_unique_in_region",
            ),
            models.UniqueConstraint(fields=["contract", "partner"], name="one_sub_contract_per_partner"),
            models.CheckConstraint(condition=Q(value__gte=0), name="sub_contract_value_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.contract.reference} → {self.partner}"
