"""ListSelect writes exactly what Django's Select templates write (stepchange/core/widgets.py), and
so do the service's own copies of Django's input.html and select.html
(stepchange/templates/django/forms/widgets/), which write in what Django includes."""

from __future__ import annotations

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates

from stepchange.core.widgets import ListSelect

CHOICES = [("", "All <commissioners>"), ("a&b", 'A & "B"'), (3, "Three")]
GROUPED = [("Group <1>", [("x", "X"), ("y", "Y")]), ("z", "Z")]


@pytest.mark.parametrize("value", ["", "a&b", 3, None, "missing"])
@pytest.mark.parametrize(
    "attrs",
    [None, {"class": "govuk-select govuk-select--error", "aria-describedby": "id-error", "required": True, "x": False}],
)
def test_the_same_html_as_djangos_select(value, attrs):
    assert ListSelect(choices=CHOICES).render("commissioner", value, attrs) == forms.Select(choices=CHOICES).render(
        "commissioner", value, attrs, renderer=DjangoTemplates()
    )


def test_the_same_html_with_option_groups():
    assert ListSelect(choices=GROUPED).render("n", "y") == forms.Select(choices=GROUPED).render(
        "n", "y", renderer=DjangoTemplates()
    )


class EveryKind(forms.Form):
    """A field of each kind the two templates write, with the attributes that change what they write:
    a value that needs escaping, an attribute that is False (left out) or True (written bare)."""

    text = forms.CharField(
        initial='a "quoted" <value> & more',
        widget=forms.TextInput(attrs={"class": "govuk-input", "spellcheck": False, "autofocus": True}),
    )
    number = forms.IntegerField(initial=3)
    email = forms.EmailField()
    hidden = forms.CharField(widget=forms.HiddenInput, initial="v")
    day = forms.DateField(initial="2006-04-01")
    password = forms.CharField(widget=forms.PasswordInput)
    ticked = forms.BooleanField(initial=True)
    upload = forms.FileField()
    choice = forms.ChoiceField(choices=CHOICES, initial="a&b")
    grouped = forms.MultipleChoiceField(choices=GROUPED, initial=["y", "z"])
    off = forms.TypedChoiceField(
        choices=[(1, "one"), (2, "two")], widget=forms.Select(attrs={"class": "k", "disabled": True, "x": False})
    )
    radios = forms.ChoiceField(choices=CHOICES, widget=forms.RadioSelect, initial="")
    boxes = forms.MultipleChoiceField(choices=GROUPED, widget=forms.CheckboxSelectMultiple, initial=["x"])


@pytest.mark.parametrize("data", [None, {"text": "<b>", "number": "x", "choice": "missing", "grouped": ["x"]}])
def test_the_services_input_and_select_templates_write_what_djangos_own_write(data):
    ours = EveryKind(data)  # the service's form renderer: its own templates before Django's
    djangos = EveryKind(data, renderer=DjangoTemplates())  # Django's templates only
    for name in EveryKind.base_fields:
        assert str(ours[name]) == str(djangos[name]), name
