"""The subscriber's choices and the team's edit of a digest."""

from __future__ import annotations

from typing import Any

from django import forms

from stepchange.bulletins import sources
from stepchange.core.forms import Form, VersionedForm
from stepchange.core.models import Pathway, Region
from stepchange.organisations.models import Commissioner, CommissionerKind


class ChoicesForm(Form):
    kinds = forms.MultipleChoiceField(
        label="What do you want to hear about?",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one kind of news"},
    )
    pathways = forms.ModelMultipleChoiceField(
        label="Pathways",
        help_text="Leave all unticked to hear about every pathway.",
        queryset=Pathway.objects.order_by("order"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        to_field_name="code",
    )
    areas = forms.ModelMultipleChoiceField(
        label="Areas",
        help_text="Leave all unticked to hear about the whole region.",
        queryset=Commissioner.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        to_field_name="code",
    )
    wants_alerts = forms.BooleanField(
        label="Also e-mail me each new item as soon as it is published",
        help_text="Otherwise you get only the regular digest.",
        required=False,
    )

    def __init__(self, *args: Any, region: Region, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kinds = self.fields["kinds"]
        assert isinstance(kinds, forms.MultipleChoiceField)
        kinds.choices = [(source.key, source.label) for source in sources.declared_sources()]
        areas = self.fields["areas"]
        assert isinstance(areas, forms.ModelMultipleChoiceField)
        areas.queryset = Commissioner.objects.filter(region=region, kind=CommissionerKind.PROBATION).select_related(
            "organisation"
        )


class SubscribeForm(ChoicesForm):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.com",
        },
    )
    field_order = ["email", "kinds", "pathways", "areas", "wants_alerts"]


class PreferencesForm(VersionedForm, ChoicesForm):
    pass


class DigestForm(VersionedForm):
    title = forms.CharField(label="Title", max_length=200, error_messages={"required": "Enter the title"})
    intro = forms.CharField(
        label="Introduction",
        help_text="Shown above the items, in every message and in the archive.",
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
    )


class ConfirmSendForm(VersionedForm):
    """The send button carries the version the team member read the draft at."""
