"""Template filters that give Django form fields GOV.UK markup, and format money and shares."""

from __future__ import annotations

import copy
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django import forms, template
from django.utils.safestring import SafeString

register = template.Library()


@register.filter
def widget_kind(field: forms.BoundField) -> str:
    widget = field.field.widget
    if isinstance(widget, forms.HiddenInput):
        return "hidden"
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.Select):
        return "select"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if getattr(field.field, "is_money", False):
        return "money"
    return "input"


_CLASSES = {
    "select": "govuk-select",
    "textarea": "govuk-textarea",
    "input": "govuk-input",
    "money": "govuk-input govuk-input--width-10",
}


@register.filter
def govuk_widget(field: forms.BoundField, kind: str) -> SafeString:
    css = _CLASSES.get(kind, "govuk-input")
    if field.errors:
        css += (
            " govuk-select--error"
            if kind == "select"
            else (" govuk-textarea--error" if kind == "textarea" else " govuk-input--error")
        )
    extra = field.field.widget.attrs.get("class")
    if extra:
        css += " " + extra
    described = []
    if field.help_text:
        described.append(f"{field.auto_id}-hint")
    if field.errors:
        described.append(f"{field.auto_id}-error")
    attrs: dict[str, Any] = {"class": css}
    if described:
        attrs["aria-describedby"] = " ".join(described)
    widget = field.field.widget
    if isinstance(widget, forms.NumberInput):
        whole = isinstance(field.field, forms.IntegerField) and not isinstance(
            field.field, (forms.DecimalField, forms.FloatField)
        )
        widget = _as_text_input(widget, integer=whole)
    return field.as_widget(widget=widget, attrs=attrs)


def _as_text_input(widget: forms.NumberInput, *, integer: bool) -> forms.NumberInput:
    """GOV.UK asks for a text input with ``inputmode`` rather than ``type="number"``: a number input
    silently drops what it cannot parse ("two million", "1,900,000" in some browsers), so the
    server never sees the mistake and cannot explain it (WCAG 3.3.1), and it changes its value
    when a person scrolls over it. The field still validates the number on the server."""
    text = copy.deepcopy(widget)
    text.input_type = "text"
    for attr in ("step", "min", "max"):
        text.attrs.pop(attr, None)
    text.attrs.update({"inputmode": "numeric" if integer else "decimal", "spellcheck": "false"})
    return text


def _decimal(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def round_half_up(value: Decimal, places: int) -> Decimal:
    """Half-up rounding, once, on the unrounded value, for display only."""
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


@register.filter
def pounds(value: Any, places: int = 0) -> str:
    """£1,234 (or £1,234.56 with places=2); a dash where there is no value."""
    number = _decimal(value)
    if number is None:
        return "–"
    rounded = round_half_up(number, int(places))
    sign = "−" if rounded < 0 else ""
    return f"{sign}£{abs(rounded):,.{int(places)}f}"


@register.filter
def percent(value: Any, places: int = 1) -> str:
    number = _decimal(value)
    if number is None:
        return "–"
    return f"{round_half_up(number, int(places)):.{int(places)}f}%"


@register.filter
def points(value: Any, places: int = 2) -> str:
    number = _decimal(value)
    if number is None:
        return "–"
    rounded = round_half_up(number, int(places))
    if rounded == 0:
        return f"{abs(rounded):.{int(places)}f}"  # no change has no sign
    return f"{'+' if rounded > 0 else '−'}{abs(rounded):.{int(places)}f}"
