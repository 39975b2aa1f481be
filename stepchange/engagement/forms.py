"""The forms of community engagement: a link's ten fields and tags, its review, its end, a
requirement, an action."""

from __future__ import annotations

from typing import Any

from django import forms

from stepchange.core.forms import Form, UKDateField, VersionedForm
from stepchange.core.models import Pathway
from stepchange.engagement.models import ActionStatus, Priority, ServedGroup
from stepchange.organisations.models import Listing, Organisation


def _text(label: str, help_text: str = "", *, rows: int = 3) -> forms.CharField:
    return forms.CharField(
        label=label, required=False, max_length=5000, help_text=help_text, widget=forms.Textarea(attrs={"rows": rows})
    )


def _prison_pathways() -> Any:
    return Pathway.objects.filter(applies_to_prisons=True).order_by("order")


class LinkForm(VersionedForm):
    """``version`` is 0 for a new link. ``suggestions`` (directory organisations with a similar
    name, in words) are offered beside the directory organisation."""

    partner_name = forms.CharField(label="Partner organisation", max_length=200)
    organisation = forms.ModelChoiceField(
        label="Directory organisation (optional)",
        queryset=Organisation.objects.none(),
        required=False,
        empty_label="Not in the directory",
    )
    partner_contact = _text("Partner's contact details (optional)", "Name, telephone, email or address")
    establishment_contact = forms.CharField(
        label="Contact point in the establishment (optional)", max_length=200, required=False
    )
    partner_nature = _text("Nature of the partner organisation (optional)", "For example, a BME-led community group")
    purpose = _text("Purpose of the contact or joint work (optional)")
    benefits = _text("Benefits to the establishment (optional)")
    partner_funding = _text("Funding or benefits given to the partner (optional)")
    contact_nature = _text("Nature of the contact or joint work (optional)")
    contact_details = _text("Details and dates of contact (optional)")
    evaluation = _text("Evaluation of the contact to date (optional)")
    future_plans = _text("Plans for future contact (optional)")
    groups = forms.ModelMultipleChoiceField(
        label="Groups it serves (optional)",
        queryset=ServedGroup.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    pathways = forms.ModelMultipleChoiceField(
        label="Pathways (optional)",
        queryset=Pathway.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    started_on = UKDateField(
        label="Started on",
        help_text="For example, 27/3/2007",
        error_messages={"required": "Enter the day the link started"},
    )

    def __init__(self, *args: Any, suggestions: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(listing=Listing.LISTED).order_by("name")  # type: ignore[attr-defined]
        self.fields["pathways"].queryset = _prison_pathways()  # type: ignore[attr-defined]
        if suggestions:
            self.fields["organisation"].help_text = "The directory has a similar name: " + "; ".join(suggestions)


class ReviewForm(VersionedForm):
    reviewed_on = UKDateField(label="Reviewed on", error_messages={"required": "Enter the day of the review"})
    notes = _text("What the review found (optional)", rows=5)


class EndForm(VersionedForm):
    ended_on = UKDateField(label="Ended on", error_messages={"required": "Enter the day the link ended"})
    reason = _text("Why it ended (optional)")


class RequirementForm(Form):
    group = forms.ModelChoiceField(
        label="Group (choose a group or a pathway)",
        queryset=ServedGroup.objects.all(),
        required=False,
        empty_label="No group: a pathway",
    )
    pathway = forms.ModelChoiceField(
        label="Pathway (choose a group or a pathway)",
        queryset=Pathway.objects.none(),
        required=False,
        empty_label="No pathway: a group",
    )
    description = _text("What the establishment needs")
    priority = forms.ChoiceField(label="Priority", choices=Priority.choices, widget=forms.RadioSelect)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["pathway"].queryset = _prison_pathways()  # type: ignore[attr-defined]
        self.fields["description"].required = True

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("group") is None and data.get("pathway") is None:
            self.add_error("group", "Choose a group or a pathway")
        elif data.get("group") is not None and data.get("pathway") is not None:
            self.add_error("group", "Choose either a group or a pathway, not both")
        return data


class ActionForm(VersionedForm):
    """``version`` is 0 for a new action."""

    description = forms.CharField(label="Action", max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    owner = forms.CharField(label="Owner", max_length=200, help_text="Who sees it done")
    due_on = UKDateField(label="Due by", error_messages={"required": "Enter the day the action is due"})
    status = forms.ChoiceField(label="Status", choices=ActionStatus.choices, widget=forms.RadioSelect)


class ApproveForm(Form):
    comment = _text("Comment (optional)", "What the establishment should know about its review", rows=4)
