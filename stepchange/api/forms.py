"""The token page's form: a name for a new token."""

from __future__ import annotations

from django import forms

from stepchange.core.forms import Form


class TokenForm(Form):
    name = forms.CharField(
        label="Name of the token",
        max_length=100,
        help_text="Say what will use it, for example: prison records system",
        error_messages={"required": "Enter a name for the token"},
    )
