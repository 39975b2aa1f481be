"""The form fields every app's forms share: an amount of money, a date written the British way,
and the hidden version a stale save is refused by. Each app's own forms are built from these and
never borrowed from another app."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

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


class VersionedForm(forms.Form):
    """Carries the version the record was read at, so a stale save can be refused."""

    version = forms.IntegerField(widget=forms.HiddenInput)
