"""The form that asks for a pack: which quarter."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms

from stepchange.core.forms import Form
from stepchange.core.periods import Quarter
from stepchange.pack.selectors import buildable_quarters


class BuildPackForm(Form):
    quarter = forms.ChoiceField(
        label="Quarter",
        help_text="A quarter of the financial year that has ended. The figures are as they stood on the day after it.",
    )

    def __init__(self, *args: Any, today: datetime.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.quarters = {q.label: q for q in buildable_quarters(today)}
        field = self.fields["quarter"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "Choose a quarter")] + [
            (label, f"{label} ({q.start:%-d %B %Y} to {q.end:%-d %B %Y})") for label, q in self.quarters.items()
        ]
        field.error_messages["invalid_choice"] = "Choose a quarter that has ended from the list"
        field.error_messages["required"] = "Choose the quarter the pack is for"

    def chosen(self) -> Quarter:
        return self.quarters[self.cleaned_data["quarter"]]
