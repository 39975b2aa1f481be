"""The forms of plans: starting one, its planned contracts, the money beside the target, and the
decisions on a version."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from stepchange.contracts.models import Contract, FundingSource
from stepchange.core.forms import Form, MoneyField, UKDateField, VersionedForm
from stepchange.core.models import FinancialYear, Pathway
from stepchange.organisations.models import Commissioner
from stepchange.plans.models import IntendedSector, OtherKind


class PlanCreateForm(Form):
    area = forms.ModelChoiceField(label="Probation area", queryset=Commissioner.objects.none())
    year = forms.ModelChoiceField(label="Financial year", queryset=FinancialYear.objects.none())

    def __init__(self, *args: Any, areas: QuerySet[Commissioner], years: QuerySet[FinancialYear], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas  # type: ignore[attr-defined]
        self.fields["area"].label_from_instance = lambda c: c.name  # type: ignore[attr-defined]
        self.fields["year"].queryset = years  # type: ignore[attr-defined]


class NotesForm(VersionedForm):
    notes = forms.CharField(
        label="Notes (optional)",
        required=False,
        max_length=20000,
        help_text="The plan's context: priorities, commitments, what it depends on",
        widget=forms.Textarea(attrs={"rows": 6}),
    )


class PlannedContractForm(VersionedForm):
    pathway = forms.ModelChoiceField(label="Pathway", queryset=Pathway.objects.order_by("order"))
    description = forms.CharField(label="Description", max_length=300, help_text="What the contract would deliver")
    sector = forms.ChoiceField(
        label="Sector of the intended provider", choices=IntendedSector.choices, widget=forms.RadioSelect
    )
    annual_value = MoneyField(what="annual value", label="Annual value")
    planned_start = UKDateField(what="planned start date", label="Planned start date")
    funding_source = forms.ChoiceField(
        label="Funding source",
        choices=[(k, v) for k, v in FundingSource.choices if k != FundingSource.IN_KIND],
        widget=forms.RadioSelect,
        help_text="Only main grant money counts toward the target",
    )
    funder = forms.CharField(
        label="Funder (optional)", required=False, max_length=200, help_text="Needed for co-commissioned money"
    )
    contract = forms.ModelChoiceField(
        label="Contract let for it (optional)",
        required=False,
        queryset=Contract.objects.none(),
        help_text="Once the contract is let, link it: its own record then decides what counts",
    )

    def __init__(self, *args: Any, area_contracts: QuerySet[Contract], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["contract"].queryset = area_contracts.order_by("reference")  # type: ignore[attr-defined]
        self.fields["contract"].empty_label = "Not let yet"  # type: ignore[attr-defined]


class OtherMoneyForm(VersionedForm):
    kind = forms.ChoiceField(label="What it is", choices=OtherKind.choices, widget=forms.RadioSelect)
    party = forms.CharField(
        label="Partner or funder", max_length=200, help_text="The partner staff are seconded to, or the funder"
    )
    description = forms.CharField(label="Description", max_length=300)
    annual_value = MoneyField(what="annual value", label="Annual value")


class ConfirmForm(VersionedForm):
    """A button that acts on a version read at ``version``."""


class SendBackForm(VersionedForm):
    reason = forms.CharField(
        label="Why is the plan sent back?", max_length=5000, widget=forms.Textarea(attrs={"rows": 5})
    )
