"""The funding pages' forms. Each hands the service its cleaned data; the service keeps the rules
(and says which field broke one), so the forms only read what was typed."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from stepchange.core.forms import Form, HoursField, MoneyField, UKDateField
from stepchange.core.models import Pathway, Region
from stepchange.core.widgets import ListSelect
from stepchange.funding.models import BidOutcome, FundingStream, Recommendation
from stepchange.organisations.models import Commissioner, Organisation


class _Versioned(Form):
    """The version a record was read at (none for a new one), for the stale-edit check."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, instance: Any = None, **kwargs: Any) -> None:
        if instance is not None and "initial" not in kwargs:
            # Filled from the record; a bound form (a POST) reads what was sent instead.
            kwargs["initial"] = {name: getattr(instance, name, None) for name in self.base_fields}
        super().__init__(*args, **kwargs)
        self.instance = instance

    def clean_version(self) -> int:
        version = self.cleaned_data.get("version")
        if self.instance is not None and version is None:
            raise forms.ValidationError("The form is missing its version; open the page again.")
        return int(version or 0)


def _region_field(regions: QuerySet[Region]) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(queryset=regions, label="Region", empty_label=None)


class StreamForm(_Versioned):
    funder = forms.CharField(max_length=200, help_text="For example, The Tudor Trust or the Big Lottery Fund")
    programme = forms.CharField(max_length=200)
    opens_on = UKDateField(what="date it opens", label="Opens on (optional)", required=False)
    deadline = UKDateField(
        what="deadline",
        label="Deadline (optional)",
        required=False,
        help_text="Leave empty if bids are taken at any time",
    )
    amount_min = MoneyField(what="smallest amount", label="Smallest amount (optional)", required=False)
    amount_max = MoneyField(what="largest amount", label="Largest amount (optional)", required=False)
    eligibility = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), help_text="Who may bid, and for what")
    url = forms.URLField(label="Web page (optional)", required=False, assume_scheme="https")
    pathways = forms.ModelMultipleChoiceField(
        queryset=Pathway.objects.all(), widget=forms.CheckboxSelectMultiple, required=False, label="Pathways (optional)"
    )
    areas = forms.ModelMultipleChoiceField(
        queryset=Commissioner.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Areas (optional)",
        help_text="Leave all unticked if the stream is open across the region",
    )

    def __init__(
        self, *args: Any, regions: QuerySet[Region], instance: FundingStream | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, instance=instance, **kwargs)
        if instance is not None:
            self.initial["pathways"] = list(instance.pathways.all())
            self.initial["areas"] = list(instance.areas.all())
            area_regions: Any = [instance.region_id]
        else:
            self.fields = {"region": _region_field(regions), **self.fields}
            area_regions = regions
        self.fields["areas"].queryset = (  # type: ignore[attr-defined]
            Commissioner.objects.filter(region__in=area_regions).exclude(kind="regional").select_related("organisation")
        )


class HelpedBidForm(_Versioned):
    submitted_on = UKDateField(what="date the bid was made")
    amount_asked = MoneyField(what="amount asked for")
    helped_by = forms.CharField(
        max_length=200, label="Who helped", help_text="A person or body, for example the CRISP development worker"
    )
    help_given = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, label="Help given (optional)"
    )
    outcome = forms.ChoiceField(choices=BidOutcome.choices, widget=forms.RadioSelect, initial=BidOutcome.WAITING)
    amount_awarded = MoneyField(what="amount awarded", label="Amount awarded (only if won)", required=False)

    def __init__(
        self,
        *args: Any,
        organisations: QuerySet[Organisation] | None = None,
        streams: QuerySet[FundingStream] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if self.instance is None:
            assert organisations is not None and streams is not None
            self.fields = {
                "organisation": forms.ModelChoiceField(queryset=organisations, widget=ListSelect),
                "stream": forms.ModelChoiceField(queryset=streams, label="Funding stream", widget=ListSelect),
                **self.fields,
            }


class RoundForm(_Versioned):
    name = forms.CharField(max_length=200, help_text="For example, Small grants 2006-07, round 1")
    budget = MoneyField(what="budget")
    max_award = MoneyField(what="largest grant", label="Largest grant")
    opens_on = UKDateField(what="opening date")
    closes_on = UKDateField(what="closing date")
    decisions_by = UKDateField(what="date decisions are made by", label="Decisions by")
    criteria = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}), help_text="What applications are assessed against"
    )

    def __init__(self, *args: Any, regions: QuerySet[Region] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance is None:
            assert regions is not None
            self.fields = {"region": _region_field(regions), **self.fields}


class ApplicationForm(_Versioned):
    project_title = forms.CharField(max_length=200)
    summary = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}), help_text="What you will do, for whom, and how it meets the criteria"
    )
    amount_requested = MoneyField(what="amount asked for", label="Amount asked for")
    start_on = UKDateField(what="start date", label="Start date")
    end_on = UKDateField(what="end date", label="End date")
    hours_taken = HoursField(label="Time this application took (hours)")


class AssessmentForm(Form):
    conflict = forms.TypedChoiceField(
        label="Do you have a conflict of interest with this applicant?",
        choices=[("no", "No"), ("yes", "Yes")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        help_text="For example, you are a trustee, staff member or relative of someone there",
    )
    conflict_details = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, label="If yes, what is it?"
    )
    score = forms.IntegerField(
        min_value=0,
        max_value=10,
        required=False,
        label="Score (0 to 10), if no conflict",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-2", "inputmode": "numeric"}),
    )
    recommendation = forms.ChoiceField(
        choices=Recommendation.choices,
        widget=forms.RadioSelect,
        required=False,
        label="Your recommendation, if no conflict",
    )
    comments = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False, label="Comments (optional)")


class DecisionForm(Form):
    decision = forms.TypedChoiceField(
        choices=[("award", "Award a grant"), ("decline", "Decline")],
        coerce=lambda value: value == "award",
        widget=forms.RadioSelect,
    )
    amount = MoneyField(what="amount to award", label="Amount to award (if awarding)", required=False)
    reasons = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), help_text="The applicant is told these")
