"""Forms of the commissioning pages: they parse and explain; the services decide and save."""

from __future__ import annotations

from typing import Any

from django import forms

from stepchange.commissioning.models import SCORE_MAX, MemberFlag, OpportunityKind, Rating, RuleKind
from stepchange.contracts.access import commissioners_managed_by
from stepchange.contracts.models import FundingSource
from stepchange.core.forms import Form, MoneyField, UKDateField
from stepchange.core.models import Pathway
from stepchange.organisations import identifiers
from stepchange.organisations.models import Commissioner, CommissionerKind, Listing, Organisation, Sector

DATETIME_FORMATS = ["%d/%m/%Y %H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y", "%Y-%m-%d"]
DATETIME_HINT = "For example, 30/6/2006 12:00"


def datetime_field(label: str, *, what: str, required: bool = True) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        required=required,
        input_formats=DATETIME_FORMATS,
        help_text=DATETIME_HINT,
        error_messages={"required": f"Enter the {what}", "invalid": f"Enter the {what} like 30/6/2006 12:00"},
        widget=forms.TextInput(attrs={"class": "govuk-input--width-20", "autocomplete": "off"}),
    )


def text(
    label: str, *, what: str, required: bool = True, area: bool = False, help_text: str = "", max_length: int = 200
) -> forms.CharField:
    """A text field; a one-line one is as long as its column (200 characters unless given), so an
    over-long value is refused on the form, never by the database."""
    limit = None if area else max_length
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        max_length=limit,
        error_messages={
            "required": f"Enter {what}",
            "max_length": f"{what[0].upper()}{what[1:]} must be {limit} characters or fewer",
        },
        widget=forms.Textarea(attrs={"rows": 5}) if area else forms.TextInput(),
    )


class OpportunityFilterForm(Form):
    pathway = forms.ChoiceField(required=False, label="Pathway")
    area = forms.ChoiceField(required=False, label="Area")
    closing_soon = forms.BooleanField(required=False, label="Closing in the next 14 days")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields  # the stubs type these as plain Field
        fields["pathway"].choices = [("", "Any pathway")] + [(p.code, p.name) for p in Pathway.objects.all()]
        fields["area"].choices = [("", "Any area")] + [
            (c.code, c.name)
            for c in Commissioner.objects.filter(kind=CommissionerKind.PROBATION).select_related("organisation")
        ]


class OpportunityForm(Form):
    commissioner = forms.ModelChoiceField(
        queryset=Commissioner.objects.none(), error_messages={"required": "Choose the commissioner"}
    )
    reference = forms.SlugField(
        max_length=40,
        help_text="Letters, numbers and hyphens, for example twp-2006",
        error_messages={
            "required": "Enter a reference",
            "invalid": "Use only letters, numbers and hyphens in the reference",
        },
    )
    title = text("Title", what="the title")
    description = text("Description", what="a description", area=True)
    kind = forms.ChoiceField(
        choices=OpportunityKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose tender or grant round"},
    )
    pathways = forms.ModelMultipleChoiceField(
        queryset=Pathway.objects.all(), required=False, widget=forms.CheckboxSelectMultiple, to_field_name="code"
    )
    areas = forms.ModelMultipleChoiceField(
        queryset=Commissioner.objects.filter(kind=CommissionerKind.PROBATION),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        to_field_name="code",
    )
    estimated_value = MoneyField(what="estimated annual value", label="Estimated annual value")
    duration_months = forms.IntegerField(
        min_value=1,
        max_value=120,
        label="Duration in months",
        error_messages={"required": "Enter the duration in months"},
    )
    contract_start = UKDateField(label="Earliest contract start", what="earliest contract start")
    funding_source = forms.ChoiceField(
        choices=FundingSource.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose where the money comes from"},
    )
    funder = forms.CharField(required=False, max_length=200)
    clarification_deadline = datetime_field(
        "Clarification questions close", what="clarification deadline", required=False
    )
    answers_published_by = datetime_field("Answers published by", what="date answers are published", required=False)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, user: Any, published: bool = False, **kwargs: Any) -> None:
        """``published``: the opportunity being changed is published, so its commissioner and
        reference are fixed and not offered; a draft's may change."""
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        fields["commissioner"].queryset = commissioners_managed_by(user)
        if published:
            del self.fields["commissioner"]
            del self.fields["reference"]

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        for name in ("commissioner", "reference", "pathways", "areas", "version"):
            data.pop(name, None)
        return data


def short_period_reason() -> forms.CharField:
    return text(
        "Reason for a shorter tender period (if it is shorter)",
        what="the reason",
        required=False,
        area=True,
        help_text="A stage is open for bids from publication (the first) or from when the stage before it "
        "closes. If that is less than the region's minimum tender period, say why it must be shorter.",
    )


class StageForm(Form):
    number = forms.IntegerField(min_value=1, max_value=9, error_messages={"required": "Enter the stage number"})
    name = text("Name", what="the stage name", help_text="For example, outline bid", max_length=100)
    deadline = datetime_field("Deadline", what="deadline")
    short_period_reason = short_period_reason()


class DeadlineForm(Form):
    deadline = datetime_field("New deadline", what="new deadline")
    short_period_reason = short_period_reason()


class QuestionForm(Form):
    text = text("Question", what="the question", area=True)


class CriterionForm(Form):
    name = text("Criterion", what="the criterion")
    weight = forms.IntegerField(
        min_value=1, max_value=100, label="Weight in per cent", error_messages={"required": "Enter the weight"}
    )


class EvaluatorForm(Form):
    evaluator: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        queryset=None,  # type: ignore[arg-type]  # set per request below
        error_messages={"required": "Choose an evaluator"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from stepchange.commissioning.access import evaluator_candidates

        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        fields["evaluator"].queryset = evaluator_candidates().order_by("first_name", "last_name", "username")


class RuleForm(Form):
    kind = forms.ChoiceField(
        choices=RuleKind.choices, widget=forms.RadioSelect, error_messages={"required": "Choose the kind of rule"}
    )
    sector = forms.ChoiceField(
        choices=[("", "–"), *list(Sector.choices)], required=False, label="Sector of the lead (for a sector rule)"
    )
    flag = forms.ChoiceField(
        choices=[("", "–"), *list(MemberFlag.choices)], required=False, label="Specialism (for a specialist rule)"
    )
    number = forms.DecimalField(
        required=False,
        label="Number or amount (for a size or maximum value rule)",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10"}),
    )

    def service_arguments(self) -> dict[str, Any]:
        kind = self.cleaned_data["kind"]
        text_value = (
            self.cleaned_data.get("sector")
            if kind == RuleKind.LEAD_SECTOR
            else (self.cleaned_data.get("flag") if kind == RuleKind.MEMBER_FLAG else "")
        )
        number = self.cleaned_data.get("number") if kind in (RuleKind.MIN_MEMBERS, RuleKind.MAX_VALUE) else None
        return {"kind": kind, "text": text_value or "", "number": number}


class ReasonForm(Form):
    reason = text("Reason", what="the reason", area=True, help_text="Every bidder is told this reason.")


class AnswerForm(Form):
    answer = text("Answer", what="the answer", area=True)


class ChallengeForm(Form):
    grounds = text("Grounds of the challenge", what="the grounds", area=True)


class ClarificationForm(Form):
    question = text(
        "Your question",
        what="your question",
        area=True,
        help_text="The answer is published to everyone; your name is not.",
    )


class RegisteredNumbersMixin:
    """Charity and company numbers entered on a membership, format-checked here and again by the
    service; left blank, the organisation's profile is used."""

    cleaned_data: dict[str, Any]

    def clean_charity_number(self) -> str:
        return identifiers.clean_charity_number(self.cleaned_data.get("charity_number") or "")

    def clean_company_number(self) -> str:
        return identifiers.clean_company_number(self.cleaned_data.get("company_number") or "")


def charity_number_field() -> forms.CharField:
    return forms.CharField(
        label="Registered charity number (optional)",
        required=False,
        max_length=20,
        help_text=f"England and Wales: {identifiers.CHARITY_FORMAT}. Leave blank to use the profile's.",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "spellcheck": "false"}),
    )


def company_number_field() -> forms.CharField:
    return forms.CharField(
        label="Company number (optional)",
        required=False,
        max_length=20,
        help_text=f"Companies House: {identifiers.COMPANY_FORMAT}. Leave blank to use the profile's.",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "spellcheck": "false"}),
    )


class PartnershipForm(RegisteredNumbersMixin, Form):
    name = text("Partnership name", what="the partnership's name")
    lead_role = text("Your organisation's role", what="your role")
    lead_share = forms.DecimalField(
        min_value=0,
        max_value=100,
        decimal_places=2,
        label="Your indicative share, per cent",
        error_messages={"required": "Enter your share"},
    )
    charity_number = charity_number_field()
    company_number = company_number_field()
    constitution = text("Constitution", what="the constitution", area=True, required=False)
    bidding_protocol = text("Joint bidding protocol", what="the protocol", area=True, required=False)


class OrganisationChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        numbers = identifiers.describe(charity_number=obj.charity_number, company_number=obj.company_number)
        return f"{obj.name} ({numbers})" if numbers else obj.name


class InviteForm(RegisteredNumbersMixin, Form):
    organisation = OrganisationChoice(
        queryset=Organisation.objects.exclude(sector=Sector.PUBLIC).filter(listing=Listing.LISTED),
        error_messages={"required": "Choose the organisation"},
    )
    role = text("Role", what="the member's role")
    share = forms.DecimalField(
        min_value=0,
        max_value=100,
        decimal_places=2,
        label="Indicative share, per cent",
        error_messages={"required": "Enter the share"},
    )
    charity_number = charity_number_field()
    company_number = company_number_field()
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)


class BidForm(Form):
    price = MoneyField(what="annual price", label="Annual price", required=False)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, questions: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for question in questions:
            self.fields[f"q{question.number}"] = forms.CharField(
                label=f"Question {question.number}: {question.text}",
                required=False,
                widget=forms.Textarea(attrs={"rows": 6}),
            )

    def answers(self) -> dict[str, str]:
        return {name[1:]: value for name, value in self.cleaned_data.items() if name.startswith("q")}


class DeclarationForm(Form):
    has_conflict = forms.TypedChoiceField(
        choices=[("no", "I have no conflict of interest with this bid"), ("yes", "I have a conflict of interest")],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        label="Conflict of interest",
        error_messages={"required": "Say whether you have a conflict of interest"},
    )
    details = text("Details of the conflict", what="the details", area=True, required=False)


class ScoreForm(Form):
    def __init__(self, *args: Any, criteria: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for criterion in criteria:
            self.fields[f"score_{criterion.pk}"] = forms.IntegerField(
                label=f"{criterion.name} ({criterion.weight}%): score 0 to {SCORE_MAX}",
                min_value=0,
                max_value=SCORE_MAX,
                error_messages={
                    "required": f"Score {criterion.name}",
                    "min_value": f"Score {criterion.name} from 0 to {SCORE_MAX}",
                    "max_value": f"Score {criterion.name} from 0 to {SCORE_MAX}",
                },
                widget=forms.TextInput(attrs={"class": "govuk-input--width-2", "inputmode": "numeric"}),
            )
            self.fields[f"why_{criterion.pk}"] = forms.CharField(
                label=f"Why you gave {criterion.name} this score",
                error_messages={"required": f"Justify the score for {criterion.name}"},
                widget=forms.Textarea(attrs={"rows": 3}),
            )


class ModerationForm(Form):
    moderated_score = forms.DecimalField(
        min_value=0,
        max_value=SCORE_MAX,
        decimal_places=2,
        label="Moderated score",
        error_messages={"required": "Enter the moderated score"},
    )
    note = text("Why the panel agreed this score", what="the reason", area=True)


class SurveyForm(Form):
    clarity = forms.TypedChoiceField(
        choices=Rating.choices,
        coerce=int,
        widget=forms.RadioSelect,
        label="How clear was the specification?",
        error_messages={"required": "Rate the clarity"},
    )
    time_to_form_partnership = forms.TypedChoiceField(
        choices=Rating.choices,
        coerce=int,
        widget=forms.RadioSelect,
        label="Was there enough time to form a partnership?",
        error_messages={"required": "Rate the time to form a partnership"},
    )
    transparency = forms.TypedChoiceField(
        choices=Rating.choices,
        coerce=int,
        widget=forms.RadioSelect,
        label="How transparent was the process?",
        error_messages={"required": "Rate the transparency"},
    )
    effort_hours = forms.IntegerField(
        min_value=0, label="Hours spent on the bid", error_messages={"required": "Enter the hours"}
    )
    effort_people = forms.IntegerField(
        min_value=1, label="People who worked on the bid", error_messages={"required": "Enter how many people"}
    )
    what_to_change = text("What should we change?", what="what to change", area=True, required=False)


class DocumentForm(Form):
    """A document's title, kind and file; the file itself is checked by the service."""

    title = text("Title", what="the document's title")
    kind = forms.ChoiceField(
        label="What kind of document is it?",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what kind of document this is"},
    )
    file = forms.FileField(
        label="Upload a file",
        help_text="A PDF, Word document (.docx), Excel workbook (.xlsx), OpenDocument text (.odt), "
        "or plain text or CSV, at most 5 MB",
        error_messages={"required": "Choose a file to upload", "empty": "The file is empty. Choose another."},
    )

    def __init__(self, *args: Any, kinds: Any, title_required: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        fields["kind"].choices = kinds
        fields["title"].required = title_required
        if not title_required:
            fields["title"].help_text = "Leave it empty to call it by its kind"
