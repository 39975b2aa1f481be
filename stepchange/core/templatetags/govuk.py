"""Template filters that give Django form fields GOV.UK markup, and format money and shares.

The money and share filters are core.money's functions: code that formats or rounds outside a
template imports them from there, never from this module."""

from __future__ import annotations

import copy
from typing import Any

from django import forms, template
from django.utils.safestring import SafeString

from stepchange.core.money import percent, points, pounds

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


# Money and shares, formatted by the one set of rules in core.money.
register.filter("pounds", pounds)
register.filter("percent", percent)
register.filter("points", points)


class _ErrorPrefixNode(template.Node):
    def __init__(self, nodelist: template.NodeList) -> None:
        self.nodelist = nodelist

    def render(self, context: template.Context) -> str:
        return "Error: " if self.nodelist.render(context).strip() else ""


@register.tag
def error_prefix(parser: Any, token: Any) -> _ErrorPrefixNode:
    """``{% error_prefix %}…{% enderror_prefix %}``: "Error: " when what is inside renders to
    anything but blank space, nothing otherwise.

    The one place a page's title gets its "Error: " (GOV.UK asks for it when a page shows an error
    summary). base.html puts the ``page_has_errors`` block inside it; a page whose errors are not
    only its ``form``'s overrides that block to say whether it has any, never writes "Error: "
    itself, so no title reads "Error: Error:".
    """
    nodelist = parser.parse(("enderror_prefix",))
    parser.delete_first_token()
    return _ErrorPrefixNode(nodelist)
