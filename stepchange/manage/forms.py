"""GOV.UK forms of the management pages. They parse; the services decide and write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from stepchange.contracts.models import MainGrant, Target
from stepchange.core.forms import Form, MoneyField, UKDateField, VersionedForm
from stepchange.core.models import FinancialYear, Pathway, Region
from stepchange.organisations.models import Commissioner, CommissionerKind, EstablishmentType, Operator
from stepchange.reports.models import Measure, PublishedFigure


class CommissionerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.code})"


class GrantForm(Form):
    commissioner = CommissionerChoiceField(
        label="Probation area", queryset=Commissioner.objects.none(), empty_label="Choose an area"
    )
    year = forms.ModelChoiceField(
        label="Financial year", queryset=FinancialYear.objects.all(), empty_label="Choose a year"
    )
    indicative = MoneyField(label="Indicative grant", required=False, help_text="Leave blank if not yet known")
    final = MoneyField(label="Final grant", required=False, help_text="Leave blank until the final grant is known")

    def __init__(self, *args: Any, commissioners: QuerySet[Commissioner], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        fields["commissioner"].queryset = commissioners


class GrantEditForm(VersionedForm):
    indicative = MoneyField(label="Indicative grant", required=False)
    final = MoneyField(label="Final grant", required=False)

    @classmethod
    def for_grant(cls, grant: MainGrant, data: Any = None) -> GrantEditForm:
        return cls(data, initial={"indicative": grant.indicative, "final": grant.final, "version": grant.version})


PERCENTAGE_ERRORS = {"invalid": "Enter the target as a number, like 5 or 7.5"}


class TargetForm(Form):
    commissioner_kind = forms.ChoiceField(label="Kind of commissioner", choices=CommissionerKind.choices)
    year = forms.ModelChoiceField(
        label="Financial year", queryset=FinancialYear.objects.all(), empty_label="Choose a year"
    )
    percentage = forms.DecimalField(
        label="Target (% of main grant)", max_digits=5, decimal_places=2, error_messages=PERCENTAGE_ERRORS
    )


class TargetEditForm(VersionedForm):
    percentage = forms.DecimalField(
        label="Target (% of main grant)", max_digits=5, decimal_places=2, error_messages=PERCENTAGE_ERRORS
    )

    @classmethod
    def for_target(cls, target: Target, data: Any = None) -> TargetEditForm:
        return cls(data, initial={"percentage": target.percentage, "version": target.version})


class PathwayForm(Form):
    name = forms.CharField(label="Name", max_length=100)
    short_name = forms.CharField(label="Short name", max_length=30, help_text="Used in table headings, like ETE")
    order = forms.IntegerField(label="Position in lists", min_value=1, max_value=32767)
    applies_to_prisons = forms.BooleanField(
        label="Prisons report this pathway in their quarterly returns",
        required=False,
        initial=True,
        help_text="Leave unticked for a probation line, like Unpaid Work",
    )


class PathwayEditForm(PathwayForm, VersionedForm):
    @classmethod
    def for_pathway(cls, pathway: Pathway, data: Any = None) -> PathwayEditForm:
        initial = {f: getattr(pathway, f) for f in ("name", "short_name", "order", "applies_to_prisons", "version")}
        return cls(data, initial=initial)


class RegionTenderPeriodForm(VersionedForm):
    minimum_tender_days = forms.IntegerField(
        label="Minimum tender period in days",
        min_value=1,
        max_value=365,
        help_text="How long each stage of a tender must be open for bids, unless the commissioner records "
        "why it must be shorter. 28 days unless changed.",
        error_messages={
            "required": "Enter the minimum tender period in days",
            "invalid": "Enter the minimum tender period as a whole number of days, like 28",
            "min_value": "The minimum tender period must be at least 1 day",
            "max_value": "The minimum tender period must be 365 days or fewer",
        },
        widget=forms.TextInput(attrs={"class": "govuk-input--width-3", "inputmode": "numeric"}),
    )

    @classmethod
    def for_region(cls, region: Region, data: Any = None) -> RegionTenderPeriodForm:
        return cls(data, initial={"minimum_tender_days": region.minimum_tender_days, "version": region.version})


class PublishedFigureForm(Form):
    measure = forms.ChoiceField(label="Measure", choices=Measure.choices)
    as_at = UKDateField(label="As at")
    region = forms.ModelChoiceField(label="Region", queryset=Region.objects.all(), required=False)
    commissioner = CommissionerChoiceField(
        label="Commissioner", queryset=Commissioner.objects.select_related("organisation"), required=False
    )
    label = forms.CharField(label="Label", max_length=100, required=False, help_text="For a national figure, say")
    value = forms.DecimalField(label="Value", max_digits=16, decimal_places=4)
    printed = forms.CharField(label="As printed", max_length=40, help_text="Exactly as the source prints it")
    source = forms.CharField(label="Source", max_length=300, help_text="The publication, its page or table")

    def __init__(
        self,
        *args: Any,
        regions: QuerySet[Region] | None = None,
        commissioners: QuerySet[Commissioner] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        # A national administrator keeps national totals only: no region or commissioner to choose.
        for name, choices in (("region", regions), ("commissioner", commissioners)):
            if choices is not None and not choices.exists():
                del fields[name]
            elif choices is not None:
                fields[name].queryset = choices


class PublishedFigureEditForm(PublishedFigureForm, VersionedForm):
    @classmethod
    def for_figure(cls, figure: PublishedFigure, data: Any = None, **choices: Any) -> PublishedFigureEditForm:
        initial = {name: getattr(figure, name) for name in ("measure", "as_at", "label", "value", "printed", "source")}
        initial.update(region=figure.region_id, commissioner=figure.commissioner_id, version=figure.version)
        return cls(data, initial=initial, **choices)


class ProbationReturnForm(Form):
    commissioner = CommissionerChoiceField(
        label="Probation area", queryset=Commissioner.objects.none(), empty_label="Choose an area"
    )
    as_at = UKDateField(label="Date of the return")

    def __init__(self, *args: Any, commissioners: QuerySet[Commissioner], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        fields["commissioner"].queryset = commissioners


# Setting up a region -----------------------------------------------------------------------------

CODE_HELP = "Letters, digits and hyphens only, up to 12, like NE or ROM-NE. It cannot be changed later."


class RegionForm(Form):
    code = forms.SlugField(
        label="Code",
        max_length=12,
        help_text=CODE_HELP,
        error_messages={"invalid": "Enter a code of letters, digits and hyphens only, like NE"},
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "spellcheck": "false"}),
    )
    name = forms.CharField(label="Name", max_length=100)


class RegionJoinForm(VersionedForm):
    """The button that puts a region known from published figures on the service."""


class CommissionerForm(Form):
    """A probation area, a prison or the regional team; the kind is the page's."""

    name = forms.CharField(label="Name", max_length=200, help_text="As it is known, like HMP Durham")
    code = forms.SlugField(
        label="Code",
        max_length=12,
        help_text=CODE_HELP,
        error_messages={"invalid": "Enter a code of letters, digits and hyphens only, like NEPA"},
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "spellcheck": "false"}),
    )
    operator = forms.ChoiceField(
        label="Who runs the prison", choices=Operator.choices, widget=forms.RadioSelect, required=False
    )
    establishment_type = forms.ChoiceField(
        label="Type of establishment",
        choices=[("", "Not recorded yet"), *EstablishmentType.choices],
        required=False,
    )

    def __init__(self, *args: Any, kind: str, regions: QuerySet[Region] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        # Someone who sets up several regions (a superuser) says which; a region's commissioner does not.
        if regions is not None and regions.count() > 1:
            fields["region"] = forms.ModelChoiceField(label="Region", queryset=regions, empty_label="Choose a region")
        if kind != CommissionerKind.PRISON:
            del fields["operator"], fields["establishment_type"]
        else:
            fields["operator"].required = True
            fields["operator"].error_messages["required"] = "Select whether the public or the private sector runs it"


class CommissionerEditForm(CommissionerForm, VersionedForm):
    @classmethod
    def for_commissioner(cls, commissioner: Commissioner, data: Any = None) -> CommissionerEditForm:
        form = cls(
            data,
            kind=commissioner.kind,
            initial={
                "name": commissioner.organisation.name,
                "operator": commissioner.operator,
                "establishment_type": commissioner.establishment_type,
                "version": commissioner.organisation.version,
            },
        )
        del form.fields["code"]
        return form


class RegionPathwaysForm(VersionedForm):
    asked = forms.ModelMultipleChoiceField(
        label="Pathways the region's prisons are asked about",
        queryset=Pathway.objects.order_by("order"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Prisons report the ticked pathways in their quarterly returns, and the prison reports list them.",
    )

    @classmethod
    def for_region(cls, region: Region, asked: QuerySet[Pathway], data: Any = None) -> RegionPathwaysForm:
        return cls(data, initial={"asked": list(asked), "version": region.version})


class NationalDashboardForm(Form):
    at = UKDateField(label="As at", required=False, help_text="For example, 1 10 2006. Today if left blank.")
