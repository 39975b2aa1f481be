"""The monitoring request's forms: asking (a commissioner) and answering (the prime provider)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet

from stepchange.burden.models import MonitoringRequest, Topic
from stepchange.core.forms import Form, HoursField, UKDateField, VersionedForm


class ContractChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.reference}: {obj.title} ({obj.prime.name})"


class AskForm(Form):
    contract = ContractChoice(
        queryset=None,
        label="Contract",
        error_messages={"required": "Choose the contract", "invalid_choice": "Choose one of the contracts listed"},
    )
    period_start = UKDateField(what="start of the period", label="Start of the period")
    period_end = UKDateField(what="end of the period", label="End of the period")
    topics = forms.MultipleChoiceField(
        label="What you are asking for",
        choices=Topic.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Choose the topics, or write your own question below, or both",
        error_messages={"invalid_choice": "Choose topics from the list"},
    )
    own_question = forms.CharField(
        label="Your own question (optional)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    due_on = UKDateField(what="date it is due", label="Due by")

    def __init__(self, *args: Any, contracts: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["contract"]
        field.queryset = contracts


class AnswerForm(VersionedForm):
    """A text box for each question the request asks, then the time it took."""

    hours_taken = HoursField(label="Time answering this request took (hours)")

    def __init__(self, *args: Any, request: MonitoringRequest, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key, question in request.questions():
            self.fields[f"answer-{key}"] = forms.CharField(
                label=question,
                max_length=5000,
                widget=forms.Textarea(attrs={"rows": 4}),
                error_messages={"required": f"Answer: {question}"},
            )
        self.keys = [key for key, _ in request.questions()]
        self.order_fields(["version", *(f"answer-{key}" for key in self.keys), "hours_taken"])

    def answers(self) -> dict[str, str]:
        return {key: self.cleaned_data.get(f"answer-{key}", "") for key in self.keys}

    def hours(self) -> Decimal | None:
        return self.cleaned_data.get("hours_taken")
