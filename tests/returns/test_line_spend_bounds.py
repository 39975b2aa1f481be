"""A prison line's spend is refused, in words, when it is larger than the line can hold.

The column holds 12 digits with 2 after the point (up to £9,999,999,999.99). The form took 14, so a
larger figure passed the form and failed in the database (PostgreSQL refuses it) with a server error.
"""

from __future__ import annotations

from django import forms
from django.db import models

from stepchange.returns.forms import PrisonLineForm
from stepchange.returns.models import PrisonReturnLine


def _form(spend: str) -> PrisonLineForm:
    return PrisonLineForm(
        data={"services_running": "1", "services_started": "0", "services_ended": "0", "spend": spend, "version": "1"}
    )


def test_the_largest_spend_the_line_holds_is_taken() -> None:
    form = _form("9999999999.99")
    assert form.is_valid(), form.errors
    column = PrisonReturnLine._meta.get_field("spend")
    spend = form.fields["spend"]
    assert isinstance(column, models.DecimalField) and isinstance(spend, forms.DecimalField)
    assert column.max_digits == spend.max_digits == 12


def test_a_larger_spend_is_refused_with_a_message() -> None:
    form = _form("10000000000.00")
    assert not form.is_valid()
    assert form.errors["spend"]
    assert all("digit" in message or "large" in message for message in form.errors["spend"]), form.errors
