"""GOV.UK forms of the returns pages. They parse; the services check the rules and write.

An uploaded spreadsheet goes through these same forms (returns/upload.py runs each of its rows
through ``PrisonLineForm``), so that a web return and a spreadsheet return meet exactly the same
rules; the error codes below tell the upload which kind of problem each one is.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from stepchange.core.forms import Form, HoursField, MoneyField, UKDateField, VersionedForm
from stepchange.core.models import FinancialYear, Pathway
from stepchange.organisations.models import Commissioner
from stepchange.returns.checks import Problem, ended_limit, ended_too_many
from stepchange.returns.models import CoordinatorPost, ReturnKind

WHOLE_NUMBER = {
    "invalid": "Enter a whole number, like 0 or 3",
    "min_value": "Enter 0 or more",
    "required": "Enter a number (0 if there are none)",
}


def count_field(label: str, help_text: str = "") -> forms.IntegerField:
    return forms.IntegerField(
        label=label, min_value=0, max_value=9999, error_messages=WHOLE_NUMBER, help_text=help_text
    )


class NamedChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj)


class RoundForm(Form):
    kind = forms.ChoiceField(label="Kind of return", choices=ReturnKind.choices, widget=forms.RadioSelect)
    year = forms.ModelChoiceField(
        label="Financial year", queryset=FinancialYear.objects.all(), empty_label="Choose a year"
    )
    quarter = forms.TypedChoiceField(
        label="Quarter",
        coerce=int,
        choices=[
            (1, "Q1 (April to June)"),
            (2, "Q2 (July to September)"),
            (3, "Q3 (October to December)"),
            (4, "Q4 (January to March)"),
        ],
        widget=forms.RadioSelect,
    )
    commissioners = NamedChoiceField(
        label="Who the round covers",
        queryset=Commissioner.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one probation area or establishment"},
    )
    opens_on = UKDateField(label="Opening date")
    deadline = UKDateField(label="Deadline")

    def __init__(self, *args: Any, kinds: list[str], commissioners: QuerySet[Commissioner], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        fields["kind"].choices = [(k, ReturnKind(k).label) for k in kinds]
        if len(kinds) == 1:
            fields["kind"].initial = kinds[0]
        fields["commissioners"].queryset = commissioners

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind")
        wrong = [c.name for c in data.get("commissioners") or [] if kind and c.kind != kind]
        if wrong:
            self.add_error(
                "commissioners", f"Not a {ReturnKind(str(kind)).label.lower()} commissioner: {', '.join(wrong)}"
            )
        return data


class PrisonLineForm(VersionedForm):
    """A pathway's figures. The organisations delivering on it are changed one at a time, by the
    forms below, so that no form has a field per organisation (a national line names thousands)."""

    services_running = count_field("Services running this quarter")
    services_started = count_field("Services started this quarter")
    services_ended = count_field("Services ended this quarter")
    # Up to £9,999,999,999.99: what the line's column holds (a larger figure is refused, not failed).
    spend = MoneyField(
        label="Spend this quarter (optional)",
        required=False,
        min_value=0,
        max_digits=12,
        help_text="Leave blank if not known",
    )

    def __init__(self, *args: Any, last_running: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Services running on this pathway at the end of last quarter (None: no approved return for it).
        self.last_running = last_running

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        running, started, ended = data.get("services_running"), data.get("services_started"), data.get("services_ended")
        if running is not None and started is not None and started > running:
            self.add_error(
                "services_started",
                ValidationError("Services started cannot be more than services running", code="started_above_running"),
            )
        if (
            started is not None
            and ended is not None
            and ended_too_many(ended=ended, started=started, last_running=self.last_running)
        ):
            limit = ended_limit(last_running=self.last_running, started=started)
            self.add_error(
                "services_ended",
                ValidationError(
                    f"Services ended cannot be more than last quarter's services running ({self.last_running}) "
                    f"and this quarter's started ({started}) together ({limit})",
                    code="ended_above_running_and_started",
                    params={"last_running": self.last_running, "started": started, "limit": limit},
                ),
            )
        return data


class LineOrganisationForm(VersionedForm):
    """One directory organisation to add to, or take off, a pathway (a button's form)."""

    organisation = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class AreaContractButtonForm(VersionedForm):
    """One area-wide contract to add to, or take off, a prison return (a button's form)."""

    contract = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class ProposedRemoveForm(VersionedForm):
    """One proposed organisation to take off a pathway (a button's form)."""

    proposed = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class ProposedAddForm(VersionedForm):
    """An organisation not in the directory, proposed for it as delivering on a pathway."""

    proposed_name = forms.CharField(
        label="Name of the organisation",
        max_length=200,
        error_messages={"required": "Enter the name of the organisation you are proposing"},
    )
    proposed_sector = forms.ChoiceField(
        label="Its sector",
        choices=[("vcs", "Voluntary and community"), ("private", "Private")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the sector of the organisation you are proposing"},
    )


class ListSearchForm(Form):
    """The search box of a list on the pathway page (a GET form)."""

    q = forms.CharField(label="Search by name", required=False, max_length=200)


class CoordinatorPostForm(VersionedForm):
    post = forms.ChoiceField(
        label="VCS co-ordinator post",
        choices=CoordinatorPost.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether the establishment has a VCS co-ordinator post"},
    )
    fte = forms.DecimalField(
        label="FTE of a part-time post",
        required=False,
        max_digits=3,
        decimal_places=2,
        help_text="For a part-time post: a number between 0 and 1, like 0.5",
        error_messages={"invalid": "Enter the FTE as a number, like 0.5"},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        fte = data.get("fte")
        if data.get("post") == CoordinatorPost.PART_TIME and (fte is None or not 0 < fte < 1):
            self.add_error("fte", "Enter the FTE of the part-time post as a number between 0 and 1, like 0.5")
        return data


class AreaContractsForm(VersionedForm):
    """The area-wide contracts of an uploaded return, all at once (the page adds and removes them
    one at a time: a region has thousands)."""

    contracts = NamedChoiceField(
        label="Area-wide contracts delivered in the establishment",
        queryset=Commissioner.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, contracts: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        fields["contracts"].queryset = contracts


class SubmitForm(VersionedForm):
    """Submission: a reason for each warning the checks raised, and the time the return took."""

    hours_taken = HoursField(label="Time this return took (hours)")

    def __init__(self, *args: Any, warnings: list[Problem], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.warnings = warnings
        for warning in warnings:
            self.fields[f"reason-{warning.code}"] = forms.CharField(
                label=warning.message,
                help_text="Say why this is right",
                required=True,
                max_length=500,
                error_messages={"required": "Give a reason for this warning, or go back and change the figures"},
            )

    def hours(self) -> Decimal | None:
        return self.cleaned_data.get("hours_taken")

    def reasons(self) -> dict[str, str]:
        return {w.code: self.cleaned_data.get(f"reason-{w.code}", "") for w in self.warnings}


class ApproveForm(VersionedForm):
    late_reason = forms.CharField(
        label="Why you accept the late return", required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )


class SendBackForm(VersionedForm):
    reason = forms.CharField(
        label="What needs correcting",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Say what needs correcting"},
    )


class ReopenForm(Form):
    reason = forms.CharField(
        label="Why the approved return needs correcting",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Say why the approved return needs correcting"},
    )


class ProbationLineForm(VersionedForm):
    annual_value = MoneyField(label="Annual value at the return date", min_value=0)
    ended = forms.BooleanField(label="This contract had ended by the return date", required=False)


class ProbationAddForm(VersionedForm):
    title = forms.CharField(label="Contract (title and provider)", max_length=200)
    annual_value = MoneyField(label="Annual value", min_value=0)
    sector = forms.ChoiceField(
        label="The prime provider's sector",
        choices=[("vcs", "Voluntary and community"), ("private", "Private"), ("public", "Public")],
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether the prime is voluntary and community, private or public"},
    )
    pathways = forms.ModelMultipleChoiceField(
        label="Its pathways",
        help_text="Select all that apply; the contract profile counts it under each",
        queryset=Pathway.objects.none(),
        to_field_name="code",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose pathways from the list"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["pathways"].queryset = Pathway.objects.order_by("order")  # type: ignore[attr-defined]


class UploadForm(Form):
    """The completed template of a prison return. The file itself is checked by returns/upload.py."""

    file = forms.FileField(
        label="Upload the completed template",
        # An empty file reaches check_upload, whose message says what to do about it.
        allow_empty_file=True,
        max_length=None,
        error_messages={"required": "Choose the completed template to upload", "invalid": "Choose a file to upload"},
    )


class ProposalDecisionForm(Form):
    """What the regional commissioner decides of an organisation proposed in prison returns: it is
    one of the suggested directory organisations, a new one to add, or rejected with a reason."""

    NEW = "new"
    REJECT = "reject"

    decision = forms.ChoiceField(
        label="What is this organisation?",
        widget=forms.RadioSelect,
        error_messages={"required": "Select which organisation it is, that it is new, or that you reject it"},
    )
    name = forms.CharField(
        label="Name in the directory, if it is new",
        max_length=200,
        required=False,
        help_text="As the organisation writes it; you can correct how the prison spelled it.",
    )
    sector = forms.ChoiceField(
        label="Its sector, if it is new",
        choices=[("vcs", "Voluntary and community"), ("private", "Private")],
        widget=forms.RadioSelect,
        required=False,
    )
    charity_number = forms.CharField(label="Charity number, if it is new and has one", max_length=20, required=False)
    company_number = forms.CharField(label="Company number, if it is new and has one", max_length=20, required=False)
    reason = forms.CharField(
        label="Why you reject it, if you do",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="The prison reads this on its return.",
    )

    def __init__(self, *args: Any, suggestions: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [
            (f"org-{s.organisation.pk}", f"It is {s.organisation.name}, in the directory ({s.why})")
            for s in suggestions
        ]
        choices += [(self.NEW, "It is a new organisation: add it to the directory"), (self.REJECT, "Reject it")]
        decision = self.fields["decision"]
        assert isinstance(decision, forms.ChoiceField)
        decision.choices = choices
        self.suggested = {f"org-{s.organisation.pk}": s.organisation for s in suggestions}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        decision = data.get("decision")
        if decision == self.NEW:
            if not (data.get("name") or "").strip():
                self.add_error("name", "Enter the organisation's name as the directory should show it")
            if not data.get("sector"):
                self.add_error("sector", "Select whether the organisation is voluntary and community or private")
        elif decision == self.REJECT and not (data.get("reason") or "").strip():
            self.add_error("reason", "Enter why the organisation is not accepted into the directory")
        return data

    def chosen(self) -> Any:
        """The directory organisation chosen, or None (new, or rejected)."""
        return self.suggested.get(self.cleaned_data["decision"])
