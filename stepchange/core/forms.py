"""The form fields every app's forms share: an amount of money, a date written the British way,
and the hidden version a stale save is refused by; and ``Form``, the base of every app's forms,
which words Django's default error messages the GOV.UK way. Each app's own forms are built from
these and never borrowed from another app."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import pretty_name

# Day first, or ISO; never month first.
DATE_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d", "%d %B %Y", "%d %b %Y"]
DATE_HINT = "For example, 1/4/2006"


class MoneyField(forms.DecimalField):
    """Pounds and pence, shown with a £ prefix; tolerates the £ sign and thousands commas people type.

    Named by ``what`` ("annual value"), the field is money that cannot be negative: its messages
    say which amount is missing or wrong, and a negative amount is refused ("The annual value
    cannot be negative"). Unnamed, it says "Enter an amount in pounds" and takes its bounds from
    ``min_value`` (a grant's own rule, that it is more than £0, is its service's).
    """

    is_money = True

    def __init__(self, *, what: str | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("max_digits", 14)
        kwargs.setdefault("decimal_places", 2)
        if what is None:
            kwargs.setdefault("error_messages", {"invalid": "Enter an amount in pounds, like 1900000 or 1900000.50"})
        super().__init__(**kwargs)
        self.what = what
        if what is not None:
            self.error_messages.update(
                {
                    "required": f"Enter the {what}",
                    "invalid": f"Enter the {what} as a number of pounds, like 24500 or 24500.50",
                    "max_decimal_places": f"Enter the {what} in pounds and pence, with at most 2 digits after the point",
                    "max_digits": f"The {what} is too large",
                    "max_whole_digits": f"The {what} is too large",
                }
            )
        # A text input with a decimal keypad, as GOV.UK asks (core/templatetags/govuk.py says why).
        self.widget.input_type = "text"
        self.widget.attrs.update({"inputmode": "decimal", "spellcheck": "false"})
        self.widget.attrs.pop("step", None)

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            value = value.strip().replace(",", "").removeprefix("£").strip()
        return super().to_python(value)

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        attrs.pop("step", None)
        return attrs

    def validate(self, value: Any) -> None:
        super().validate(value)
        if self.what is not None and value is not None and value < 0:
            raise ValidationError(f"The {self.what} cannot be negative")


class UKDateField(forms.DateField):
    """A date written the British way or as ISO; never read month-first.

    Named by ``what`` ("start date"), its messages say which date is missing or wrong and it reads
    day-month-year with dashes too. Unnamed, it says "Enter a real date" and its hint shows both
    ways of writing a date.
    """

    def __init__(self, *, what: str | None = None, **kwargs: Any) -> None:
        if what is None:
            kwargs.setdefault("input_formats", ["%Y-%m-%d", "%d/%m/%Y", "%d %B %Y", "%d %b %Y"])
            kwargs.setdefault("help_text", "For example, 1/10/2006 or 2006-10-01")
            kwargs.setdefault("error_messages", {"invalid": "Enter a real date, like 1/10/2006"})
        else:
            kwargs.setdefault("input_formats", DATE_FORMATS)
            kwargs.setdefault("help_text", DATE_HINT)
            kwargs.setdefault(
                "error_messages",
                {"required": f"Enter the {what}", "invalid": f"Enter the {what} as a real date, like 1/4/2006"},
            )
            kwargs.setdefault(
                "widget", forms.TextInput(attrs={"class": "govuk-input--width-10", "autocomplete": "off"})
            )
        super().__init__(**kwargs)


HOURS_HINT = "Optional. Roughly how many hours it took your organisation in all, like 3 or 2.5. Leave it blank if you would rather not say."


class HoursField(forms.DecimalField):
    """How long a piece of work for the region took, in hours: never required, and a blank is "not
    said" (None), never 0. Up to 9999.9 hours, to one decimal place; 0 or more."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", "Time this took (hours)")
        kwargs.setdefault("help_text", HOURS_HINT)
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_digits", 5)
        kwargs.setdefault("decimal_places", 1)
        kwargs.setdefault(
            "error_messages",
            {
                "invalid": "Enter the time as a number of hours, like 3 or 2.5",
                "min_value": "The time must be 0 hours or more",
                "max_digits": "The time must be less than 10,000 hours",
                "max_whole_digits": "The time must be less than 10,000 hours",
                "max_decimal_places": "Enter the time to at most one decimal place, like 2.5",
            },
        )
        kwargs.setdefault("min_value", 0)
        super().__init__(**kwargs)
        self.widget.input_type = "text"
        self.widget.attrs.update({"inputmode": "decimal", "spellcheck": "false", "class": "govuk-input--width-5"})
        self.widget.attrs.pop("step", None)
        self.widget.attrs.pop("min", None)

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            value = value.strip().removesuffix("hours").removesuffix("hrs").strip()
        return super().to_python(value)

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        attrs.pop("step", None)
        attrs.pop("min", None)
        return attrs


def _django_defaults(field: forms.Field) -> dict[str, str]:
    """The messages Django itself gives a field of this class, before anyone words them."""
    messages: dict[str, str] = {}
    for cls in reversed(type(field).__mro__):
        messages.update({code: str(text) for code, text in getattr(cls, "default_error_messages", {}).items()})
    return messages


def _the(label: str) -> str:
    """A label as the middle of a sentence: "Annual value" → "the annual value", "VCS value" → "the
    VCS value", "Your email" → "your email"; a trailing "(optional)" and colon are dropped."""
    label = label.removesuffix("(optional)").strip().rstrip(":").strip()
    first = label.split(" ", 1)[0]
    if not (len(first) > 1 and first[1].isupper()):  # an acronym keeps its capitals
        label = label[:1].lower() + label[1:]
    if label.split(" ", 1)[0] in {"the", "a", "an", "your", "who", "what", "which", "how", "when", "why", "whether"}:
        return label
    return f"the {label}"


def _sentence(label: str) -> str:
    the = _the(label)
    return the[:1].upper() + the[1:]


def govuk_error_messages(field: forms.Field, name: str) -> dict[str, str]:
    """GOV.UK wording for Django's default messages, naming the field: "Enter the annual value",
    "The hours must be 0 or more", never "This field is required." or "Ensure this value is
    greater than or equal to 0". A field's own message is never replaced (see ``Form``)."""
    label = str(field.label or pretty_name(name))
    the, sentence = _the(label), _sentence(label)
    choosing = isinstance(field, forms.ChoiceField | forms.ModelChoiceField | forms.BooleanField)
    if isinstance(field, forms.FileField):
        required = f"Select {the}"
    elif label.endswith("?"):
        required = f"Answer the question: {label}"
    else:
        required = f"{'Select' if choosing else 'Enter'} {the}"
    # A limit's message is filled in with the limit by Django (message % params), so a "%" of the
    # label ("Target (%)") is doubled there; a message with no limit is shown as it is.
    limited = sentence.replace("%", "%%")
    messages = {
        "required": required,
        "min_value": f"{limited} must be %(limit_value)s or more",
        "max_value": f"{limited} must be %(limit_value)s or less",
        "step_size": f"{limited} must be a multiple of %(limit_value)s",
        "min_length": f"{limited} must be %(limit_value)d characters or more",
        "max_length": f"{limited} must be %(limit_value)d characters or fewer",
        "max_digits": f"{limited} has too many digits (at most %(max)s)",
        "max_decimal_places": f"{limited} has too many digits after the decimal point (at most %(max)s)",
        "max_whole_digits": f"{limited} has too many digits before the decimal point (at most %(max)s)",
        "empty": f"{sentence} is empty: select a file with something in it",
        "missing": f"Select {the}",
    }
    if isinstance(field, forms.FileField):
        messages["max_length"] = "The file's name must be %(max)d characters or fewer"
    if isinstance(field, forms.BooleanField):
        messages["required"] = f"Tick the box to say: {label}"
    if isinstance(field, forms.EmailField):
        messages["invalid"] = "Enter an email address in the correct format, like name@example.com"
    elif isinstance(field, forms.URLField):
        messages["invalid"] = "Enter a web address in the correct format, like https://www.example.org"
    elif isinstance(field, forms.IntegerField):
        messages["invalid"] = f"{sentence} must be a whole number, like 3"
    elif isinstance(field, forms.DecimalField | forms.FloatField):
        messages["invalid"] = f"{sentence} must be a number, like 3 or 2.5"
    elif isinstance(field, forms.DateField):
        messages["invalid"] = f"{sentence} must be a real date, like 1/4/2006"
    return messages


class GovukErrorMessages:
    """Words each field's messages the GOV.UK way where the field still has Django's own.

    The one place Django's default messages are turned into specific ones: a form of any app gets
    it by being a ``core.forms.Form`` (or ``VersionedForm``). A message a field was given (its
    ``error_messages``, or ``MoneyField``'s named ones) is kept; the messages of the limits Django
    checks with validators (min_value, max_length, ...) are set only where the field has none.
    """

    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            defaults = _django_defaults(field)
            for code, text in govuk_error_messages(field, name).items():
                current = field.error_messages.get(code)
                if current is None or str(current) == defaults.get(code) or str(current) == "":
                    field.error_messages[code] = text


class Form(GovukErrorMessages, forms.Form):
    """The base of every app's forms: Django's form with GOV.UK error messages."""


class ModelForm(GovukErrorMessages, forms.ModelForm):
    """A model form with GOV.UK error messages."""


class VersionedForm(Form):
    """Carries the version the record was read at, so a stale save can be refused."""

    version = forms.IntegerField(widget=forms.HiddenInput)
