"""ListSelect writes exactly what Django's Select templates write (stepchange/core/widgets.py)."""

from __future__ import annotations

import pytest
from django import forms

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
        "commissioner", value, attrs
    )


def test_the_same_html_with_option_groups():
    assert ListSelect(choices=GROUPED).render("n", "y") == forms.Select(choices=GROUPED).render("n", "y")
