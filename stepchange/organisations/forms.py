"""Forms of the directory: its filters and an organisation's profile."""

from __future__ import annotations

from typing import Any

from django import forms

from stepchange.core.forms import Form, ModelForm, VersionedForm
from stepchange.core.models import Pathway, Region
from stepchange.organisations import identifiers
from stepchange.organisations.models import (
    PROTECTED_FIELDS,
    Commissioner,
    CommissionerKind,
    Organisation,
    Sector,
    SizeBand,
)
from stepchange.organisations.selectors import FLAGS


class DirectoryFilterForm(Form):
    q = forms.CharField(label="Name contains", required=False, max_length=100)
    sector = forms.ChoiceField(label="Sector", required=False, choices=[("", "Any sector"), *Sector.choices])
    size_band = forms.ChoiceField(label="Size", required=False, choices=[("", "Any size"), *SizeBand.choices])
    pathway = forms.ModelChoiceField(
        label="Pathway served", required=False, queryset=Pathway.objects.all(), empty_label="Any pathway"
    )
    flags = forms.MultipleChoiceField(
        label="Only organisations that are", required=False, choices=FLAGS, widget=forms.CheckboxSelectMultiple
    )


class OrganisationForm(ModelForm):
    """The whole profile; ``version`` is the one the form was read at, for the stale-edit check."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    website = forms.URLField(label="Website", required=False, max_length=200, assume_scheme="https")

    class Meta:
        model = Organisation
        fields = [
            "name",
            "sector",
            "charity_number",
            "company_number",
            "region",
            "areas_served",
            "pathways_served",
            "bme_led",
            "women_specific",
            "user_led",
            "infrastructure_body",
            "size_band",
            "description",
            "contact_name",
            "contact_email",
            "website",
        ]
        widgets = {
            "areas_served": forms.CheckboxSelectMultiple,
            "pathways_served": forms.CheckboxSelectMultiple,
            "sector": forms.RadioSelect,
        }
        labels = {"charity_number": "Registered charity number", "company_number": "Company number"}
        help_texts = {
            "charity_number": f"England and Wales: {identifiers.CHARITY_FORMAT}",
            "company_number": f"Companies House: {identifiers.COMPANY_FORMAT}",
        }

    def __init__(self, *args: Any, regions: Any = None, protected_editable: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields  # the stubs type these as plain Field
        if "areas_served" in fields:
            fields["areas_served"].queryset = Commissioner.objects.select_related("organisation")
            fields["areas_served"].label_from_instance = lambda commissioner: commissioner.name
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
        if not protected_editable:
            # Neither shown nor read from a POST: the organisation's people ask for these instead.
            for name in PROTECTED_FIELDS:
                del fields[name]
            return
        # Radios have no blank choice; the sector is required.
        fields["sector"].choices = Sector.choices
        fields["region"].queryset = regions if regions is not None else Region.objects.all()

    def clean_charity_number(self) -> str:
        return identifiers.clean_charity_number(self.cleaned_data.get("charity_number") or "")

    def clean_company_number(self) -> str:
        return identifiers.clean_company_number(self.cleaned_data.get("company_number") or "")

    def profile_fields(self) -> dict[str, Any]:
        """The cleaned profile without the version, ready for the service."""
        return {name: self.cleaned_data[name] for name in self.Meta.fields if name in self.fields}

    def clean_version(self) -> int:
        version = self.cleaned_data.get("version")
        if self.instance.pk and version is None:
            raise forms.ValidationError("The form is missing its version; open the page again.")
        return int(version or 0)


class ChangeRequestForm(Form):
    """A provider's request to change protected fields, shown with the values recorded now."""

    sector = forms.ChoiceField(label="Sector", choices=Sector.choices, widget=forms.RadioSelect)
    region = forms.ModelChoiceField(label="Region", queryset=Region.objects.all(), required=False)
    size_band = forms.ChoiceField(label="Size", choices=[("", "Not recorded"), *SizeBand.choices], required=False)
    bme_led = forms.BooleanField(label="BME-led", required=False)
    women_specific = forms.BooleanField(label="Women-specific", required=False)
    user_led = forms.BooleanField(label="User-led", required=False)
    reason = forms.CharField(
        label="Why the change is right, and what shows it",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="For example, the governing document or the annual accounts that show it.",
    )
    evidence = forms.FileField(
        label="Evidence (optional)",
        required=False,
        help_text="A PDF, Word, OpenDocument or Excel file, or plain text, of at most 5 MB.",
    )

    @classmethod
    def for_organisation(cls, organisation: Organisation, data: Any = None, files: Any = None) -> ChangeRequestForm:
        initial = {name: getattr(organisation, name) for name in PROTECTED_FIELDS}
        initial["region"] = organisation.region_id
        return cls(data, files, initial=initial)

    def asked(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in PROTECTED_FIELDS}


class ChangeDecisionForm(Form):
    decision = forms.ChoiceField(
        label="Your decision",
        choices=[("approve", "Approve: make the change"), ("refuse", "Refuse")],
        widget=forms.RadioSelect,
    )
    effective_on = forms.DateField(
        label="Effective from (if approved)",
        required=False,
        input_formats=["%Y-%m-%d", "%d/%m/%Y", "%d %B %Y"],
        help_text="For example, 1/4/2006. Leave blank for today.",
        error_messages={"invalid": "Enter a real date, like 1/4/2006"},
    )
    refusal_reason = forms.CharField(
        label="Reason (if refused)",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="The organisation is shown it.",
    )


class ServicesForm(VersionedForm):
    """The services an organisation offers: for each pathway, the probation areas it offers it in.
    Saved only if the profile is still at the version read (two of its people editing at once)."""

    def __init__(self, *args: Any, offered: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.pathways = list(Pathway.objects.all())
        self.areas = list(
            Commissioner.objects.filter(kind=CommissionerKind.PROBATION)
            .select_related("organisation")
            .order_by("organisation__name")
        )
        chosen: dict[int, list[str]] = {}
        for pathway_id, area_id in offered:
            chosen.setdefault(pathway_id, []).append(str(area_id))
        for pathway in self.pathways:
            self.fields[f"pathway_{pathway.pk}"] = forms.MultipleChoiceField(
                label=pathway.name,
                required=False,
                choices=[(str(area.pk), area.name) for area in self.areas],
                widget=forms.CheckboxSelectMultiple,
                initial=chosen.get(pathway.pk, []),
            )

    def offers(self) -> list[tuple[Pathway, Commissioner]]:
        areas = {str(area.pk): area for area in self.areas}
        return [
            (pathway, areas[area_id])
            for pathway in self.pathways
            for area_id in self.cleaned_data.get(f"pathway_{pathway.pk}") or []
        ]


class DecisionForm(Form):
    """The regional team's decision on a registration or a claim."""

    decision = forms.ChoiceField(
        label="Your decision", choices=[("approve", "Approve"), ("refuse", "Refuse")], widget=forms.RadioSelect
    )
    refusal_reason = forms.CharField(
        label="Reason (if refused)",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="The person who asked is e-mailed it.",
    )


class ClaimForm(Form):
    reason = forms.CharField(
        label="Who you are in the organisation, and how the regional team can check it",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="For example, your role and a telephone number at the organisation the team can ring.",
    )


class MergeForm(Form):
    kept = forms.ChoiceField(label="Which organisation is kept", widget=forms.RadioSelect)

    def __init__(self, *args: Any, pair: tuple[Organisation, Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.pair = pair
        fields: dict[str, Any] = self.fields
        fields["kept"].choices = [(str(org.pk), f"Keep {org.name}; merge the other into it") for org in pair]
        fields["kept"].help_text = "The other's contracts, sub-contracts, partnerships, people and requests move to it."

    def kept_and_duplicate(self) -> tuple[Organisation, Organisation]:
        first, second = self.pair
        return (first, second) if self.cleaned_data["kept"] == str(first.pk) else (second, first)


class GapRegionForm(Form):
    region = forms.ModelChoiceField(label="Region", queryset=Region.objects.all(), to_field_name="code", required=False)


class SelfRegistrationForm(OrganisationForm):
    """An organisation registering itself: its profile and the services it offers (for each pathway,
    the probation areas). Its areas and pathways served are those of its services."""

    class Meta(OrganisationForm.Meta):
        fields = [
            "name",
            "sector",
            "charity_number",
            "company_number",
            "region",
            "size_band",
            "bme_led",
            "women_specific",
            "user_led",
            "infrastructure_body",
            "description",
            "contact_name",
            "contact_email",
            "website",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        fields["region"].required = True
        fields["region"].empty_label = "Choose the region"
        self.pathways = list(Pathway.objects.all())
        self.areas = list(
            Commissioner.objects.filter(kind=CommissionerKind.PROBATION)
            .select_related("organisation")
            .order_by("organisation__name")
        )
        for pathway in self.pathways:
            fields[f"pathway_{pathway.pk}"] = forms.MultipleChoiceField(
                label=f"{pathway.name}: the probation areas you offer it in",
                required=False,
                choices=[(str(area.pk), area.name) for area in self.areas],
                widget=forms.CheckboxSelectMultiple,
            )

    def offers(self) -> list[tuple[Pathway, Commissioner]]:
        areas = {str(area.pk): area for area in self.areas}
        return [
            (pathway, areas[area_id])
            for pathway in self.pathways
            for area_id in self.cleaned_data.get(f"pathway_{pathway.pk}") or []
        ]

    def clean_name(self) -> str:
        # The profile's uniqueness check says nothing that helps a registrant; this says what to do.
        name = (self.cleaned_data.get("name") or "").strip()
        if Organisation.objects.filter(name__iexact=name).exists():
            raise forms.ValidationError(
                "An organisation of that name is already in the directory; sign in and claim it instead of registering it"
            )
        return name
