"""Forms of the contract pages: they parse and explain; the services decide and save."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from stepchange.contracts.access import commissioners_managed_by
from stepchange.contracts.listing import NOT_NAMED
from stepchange.contracts.models import ContractKind, FundingSource
from stepchange.core.forms import DATE_HINT, Form, MoneyField, UKDateField
from stepchange.core.models import FinancialYear, Pathway, Region
from stepchange.core.periods import DateOutsideAnyYear, check_holdable
from stepchange.core.widgets import ListSelect
from stepchange.organisations.models import Commissioner, CommissionerKind, Listing, Organisation, Sector


class ContractForm(Form):
    reference = forms.CharField(
        max_length=40,
        help_text="The commissioner's own reference, for example SYPA-0123",
        error_messages={"required": "Enter the contract reference"},
        widget=forms.TextInput(attrs={"class": "govuk-input--width-20"}),
    )
    title = forms.CharField(
        max_length=200,
        help_text="What the service does, in a few words",
        error_messages={"required": "Enter a title for the contract"},
    )
    commissioner = forms.ModelChoiceField(
        queryset=Commissioner.objects.none(),
        empty_label="Choose a commissioner",
        error_messages={
            "required": "Choose the commissioner",
            "invalid_choice": "Choose a commissioner whose contracts you manage",
        },
    )
    prime = forms.ModelChoiceField(
        label="Prime provider",
        queryset=Organisation.objects.none(),
        empty_label="Choose the lead provider",
        help_text="The organisation that holds the contract",
        error_messages={
            "required": "Choose the prime provider",
            "invalid_choice": "Choose a prime provider from the list",
        },
    )
    pathways = forms.ModelMultipleChoiceField(
        queryset=Pathway.objects.none(),
        to_field_name="code",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply",
        error_messages={
            "invalid_choice": "“%(value)s” is not a pathway; choose pathways from the list",
            "invalid_pk_value": "“%(pk)s” is not a pathway; choose pathways from the list",
        },
    )
    annual_value = MoneyField(what="annual value", label="Annual value", help_text="In pounds, for a full year")
    start = UKDateField(label="Start date", what="start date")
    end = UKDateField(
        label="End date", what="end date", required=False, help_text=f"Leave empty if open-ended. {DATE_HINT}"
    )
    funding_source = forms.ChoiceField(
        choices=FundingSource.choices,
        widget=forms.RadioSelect,
        help_text="Only main-grant money counts toward the target",
        error_messages={"required": "Choose where the money comes from", "invalid_choice": "Choose a funding source"},
    )
    funder = forms.CharField(
        max_length=200,
        required=False,
        help_text="The programme or funder, when the money is not the main grant",
    )
    kind = forms.ChoiceField(
        label="Kind of agreement",
        choices=ContractKind.choices,
        initial=ContractKind.CONTRACT,
        error_messages={"required": "Choose the kind of agreement", "invalid_choice": "Choose the kind of agreement"},
    )
    published = forms.BooleanField(
        label="Publish this contract",
        required=False,
        help_text="Anyone, signed out included, can then see it",
    )
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        managed = commissioners_managed_by(user).order_by("kind", "code")
        field = self.fields["commissioner"]
        field.queryset = managed  # type: ignore[attr-defined]
        if len(managed) == 1 and not self.initial.get("commissioner"):
            self.initial["commissioner"] = managed[0].pk
        # A registration waiting for the regional team's check is not in the directory yet.
        self.fields["prime"].queryset = Organisation.objects.filter(listing=Listing.LISTED).order_by("name")  # type: ignore[attr-defined]
        self.fields["pathways"].queryset = Pathway.objects.order_by("order")  # type: ignore[attr-defined]

    def clean_start(self) -> datetime.date:
        start: datetime.date = self.cleaned_data["start"]
        try:
            check_holdable(start)
        except DateOutsideAnyYear as outside:
            raise ValidationError(str(outside)) from outside
        return start

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", "The end date must be the same as or after the start date")
        if data.get("funding_source") == FundingSource.CO_COMMISSIONED and not (data.get("funder") or "").strip():
            self.add_error("funder", "Enter the funder of co-commissioned money, for example the drug action team")
        return data

    def service_arguments(self) -> dict[str, Any]:
        """The cleaned data as the service's keyword arguments."""
        data = dict(self.cleaned_data)
        data.pop("version", None)
        data["pathways"] = list(data["pathways"])
        return data


class SubContractForm(Form):
    partner = forms.ModelChoiceField(
        queryset=Organisation.objects.none(),
        empty_label="Choose the partner",
        help_text="The organisation the prime passes this part of the work to",
        error_messages={"required": "Choose the partner", "invalid_choice": "Choose a partner from the list"},
    )
    value = MoneyField(what="sub-contract value", label="Annual value", help_text="In pounds, for a full year")
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, contract: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = Organisation.objects.exclude(pk=contract.prime_id).order_by("name")  # type: ignore[attr-defined]


class ContractFilterForm(Form):
    """The list's filters; every field optional, a bad value explained rather than a failure."""

    commissioner = forms.ModelChoiceField(
        label="Commissioner",
        queryset=Commissioner.objects.none(),
        to_field_name="code",
        required=False,
        empty_label="All commissioners",
        error_messages={"invalid_choice": "Choose a commissioner from the list"},
        widget=ListSelect,
    )
    pathway = forms.ModelChoiceField(
        queryset=Pathway.objects.none(),
        widget=ListSelect,
        to_field_name="code",
        required=False,
        empty_label="All pathways",
        error_messages={"invalid_choice": "Choose a pathway from the list"},
    )
    sector = forms.ChoiceField(
        label="Prime's sector",
        choices=[("", "All sectors"), *Sector.choices],
        required=False,
        error_messages={"invalid_choice": "Choose a sector from the list"},
    )
    funding = forms.ChoiceField(
        label="Funding source",
        choices=[("", "All funding sources"), *FundingSource.choices],
        required=False,
        error_messages={"invalid_choice": "Choose a funding source from the list"},
    )
    live_on = UKDateField(label="Live on", what="date the contracts are live on", required=False)
    # The filters a report's figure links with, so that the list shows exactly the rows it sums.
    region = forms.ModelChoiceField(
        label="Region",
        queryset=Region.objects.none(),
        to_field_name="code",
        required=False,
        empty_label="All regions",
        error_messages={"invalid_choice": "Choose a region from the list"},
    )
    commissioner_kind = forms.ChoiceField(
        label="Commissioned by",
        choices=[("", "Every kind of commissioner"), *CommissionerKind.choices],
        required=False,
        error_messages={"invalid_choice": "Choose a kind of commissioner from the list"},
    )
    counts = forms.ChoiceField(
        label="Counts toward the area's target",
        choices=[("", "Counted or not"), ("yes", "Counts toward the target"), ("no", "Does not count")],
        required=False,
        error_messages={"invalid_choice": "Choose whether the contracts count toward the target from the list"},
    )
    funder = forms.CharField(
        label="Funder or programme",
        help_text=f"Exactly as recorded; “{NOT_NAMED}” for contracts that name none",
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    year = forms.ModelChoiceField(
        label="Live during the financial year",
        queryset=FinancialYear.objects.none(),
        to_field_name="name",
        required=False,
        empty_label="Any year",
        error_messages={"invalid_choice": "Choose a financial year from the list"},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("live_on") and data.get("year"):
            self.add_error("year", "Choose either a date the contracts are live on or a financial year, not both")
        return data

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.order_by("name")  # type: ignore[attr-defined]
        self.fields["year"].queryset = FinancialYear.objects.order_by("start")  # type: ignore[attr-defined]
        # Only what the options show: the list's filter offers every commissioner in the country.
        commissioners = (
            Commissioner.objects.select_related("organisation")
            .only("code", "organisation__name")
            .order_by("organisation__name")
        )
        self.fields["commissioner"].queryset = commissioners  # type: ignore[attr-defined]
        self.fields["pathway"].queryset = Pathway.objects.order_by("order")  # type: ignore[attr-defined]
