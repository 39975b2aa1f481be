"""The forms of governance: a plan, an objective, an action (new, or its progress), a progress
note, a group, a member, a meeting, a paper, a decision (with the action it adds)."""

from __future__ import annotations

from typing import Any

from django import forms

from stepchange.core.forms import Form, UKDateField, VersionedForm
from stepchange.governance import figures
from stepchange.governance.models import Group, MemberRole, MemberSector, Objective, Rag, Status
from stepchange.governance.selectors import people_of, probation_areas_of


def _person_label(user: Any) -> str:
    name = user.get_full_name() or user.get_username()
    return f"{name} ({user.organisation.name})" if user.organisation_id else str(name)


class PlanForm(Form):
    title = forms.CharField(
        label="Title", max_length=200, help_text="For example, Reducing re-offending action plan, VCS pathway"
    )


class ObjectiveForm(Form):
    number = forms.IntegerField(label="Number", min_value=1, max_value=999)
    title = forms.CharField(label="Objective", max_length=500, widget=forms.Textarea(attrs={"rows": 3}))


class ActionFieldsForm(Form):
    """The fields of a new action: on its own page, and on a meeting's decision."""

    title = forms.CharField(label="Action", max_length=500, widget=forms.Textarea(attrs={"rows": 3}))
    owner_user = forms.ModelChoiceField(label="Owner on the service (optional)", queryset=people_of(0), required=False)
    owner_name = forms.CharField(
        label="Or the owner's name, if they are not on the service (optional)", max_length=200, required=False
    )
    due_on = UKDateField(label="Due on")
    status = forms.ChoiceField(label="Status", choices=Status.choices, initial=Status.NOT_STARTED)
    rag = forms.ChoiceField(label="RAG rating", choices=Rag.choices, initial=Rag.AMBER)
    figure = forms.ChoiceField(
        label="Live figure it is measured by (optional)", choices=figures.FIGURE_CHOICES, required=False
    )
    figure_area = forms.ModelChoiceField(
        label="Probation area (for an area's share)", queryset=probation_areas_of(0), required=False
    )
    target = forms.DecimalField(
        label="Target value (optional)",
        help_text="A share as a percentage, like 5 for 5%; a number of contracts as a whole number",
        max_digits=14,
        decimal_places=2,
        required=False,
    )

    def __init__(self, *args: Any, region_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        owner = self.fields["owner_user"]
        owner.queryset = people_of(region_id).select_related("organisation")  # type: ignore[attr-defined]
        owner.label_from_instance = _person_label  # type: ignore[attr-defined]
        self.fields["figure_area"].queryset = probation_areas_of(region_id)  # type: ignore[attr-defined]
        self.fields["target"].widget.input_type = "text"  # type: ignore[attr-defined]
        self.fields["target"].widget.attrs.update({"inputmode": "decimal"})


class ActionUpdateForm(VersionedForm):
    status = forms.ChoiceField(label="Status", choices=Status.choices)
    rag = forms.ChoiceField(label="RAG rating", choices=Rag.choices)
    due_on = UKDateField(label="Due on")


QUARTERS = [
    (1, "Q1 (April to June)"),
    (2, "Q2 (July to September)"),
    (3, "Q3 (October to December)"),
    (4, "Q4 (January to March)"),
]


class NoteForm(VersionedForm):
    year = forms.RegexField(
        label="Financial year",
        regex=r"^\d{4}-\d{2}$",
        max_length=7,
        help_text="For example, 2006-07",
        error_messages={"invalid": "Enter the financial year like 2006-07"},
    )
    quarter = forms.TypedChoiceField(label="Quarter", choices=QUARTERS, coerce=int)
    text = forms.CharField(label="Progress this quarter", max_length=10000, widget=forms.Textarea(attrs={"rows": 5}))
    rag = forms.ChoiceField(label="RAG rating at this quarter", choices=Rag.choices)

    def clean_year(self) -> str:
        year = str(self.cleaned_data["year"])
        if (int(year[:4]) + 1) % 100 != int(year[5:]):
            raise forms.ValidationError("Enter the financial year like 2006-07: the second year follows the first")
        return year


class GroupForm(Form):
    name = forms.CharField(label="Name", max_length=200)
    kind = forms.ChoiceField(label="Kind of group", choices=Group.Kind.choices)
    purpose = forms.CharField(
        label="Purpose (optional)", required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )


class MemberForm(Form):
    user = forms.ModelChoiceField(label="Person on the service (optional)", queryset=people_of(0), required=False)
    name = forms.CharField(
        label="Or the member's name, if they are not on the service (optional)", max_length=200, required=False
    )
    organisation_name = forms.CharField(label="Their organisation (optional)", max_length=200, required=False)
    sector = forms.ChoiceField(label="Sector", choices=MemberSector.choices)
    role = forms.ChoiceField(label="Role in the group", choices=MemberRole.choices, initial=MemberRole.MEMBER)
    joined_on = UKDateField(label="Joined on")

    def __init__(self, *args: Any, region_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = people_of(region_id).select_related("organisation")  # type: ignore[attr-defined]
        self.fields["user"].label_from_instance = _person_label  # type: ignore[attr-defined]


class MeetingForm(Form):
    held_on = UKDateField(label="Held on")
    title = forms.CharField(label="Title", max_length=200, help_text="For example, Quarterly meeting")
    minutes = forms.CharField(
        label="Minutes (optional)", required=False, max_length=50000, widget=forms.Textarea(attrs={"rows": 6})
    )


class PaperForm(Form):
    title = forms.CharField(label="Title", max_length=200)
    file = forms.FileField(
        label="File", help_text="A PDF, Word (.docx), OpenDocument text, spreadsheet or plain text file"
    )


class DecisionForm(ActionFieldsForm):
    """A decision; with an objective chosen, the action it adds to the plan."""

    text = forms.CharField(label="Decision", max_length=10000, widget=forms.Textarea(attrs={"rows": 4}))
    objective = forms.ModelChoiceField(
        label="Objective of the action it adds (optional)", queryset=Objective.objects.none(), required=False
    )
    field_order = ["text", "objective"]

    def __init__(self, *args: Any, region_id: int, objectives: Any, **kwargs: Any) -> None:
        super().__init__(*args, region_id=region_id, **kwargs)
        self.fields["objective"].queryset = objectives  # type: ignore[attr-defined]
        for name in ("title", "due_on"):
            self.fields[name].required = False
        self.fields["title"].label = "Action arising (optional)"
        self.fields["due_on"].label = "Action due on"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("objective") is not None:
            if not (data.get("title") or "").strip():
                self.add_error("title", "Enter the action arising from the decision")
            if data.get("due_on") is None and "due_on" not in self.errors:
                self.add_error("due_on", "Enter the date the action is due on")
        return data
