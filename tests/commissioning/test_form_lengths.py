"""A one-line text of a tender form is refused on the form when it is longer than its column, with a
message saying the limit, never left for the database to refuse (PostgreSQL would, with an error page)."""

from __future__ import annotations

import pytest

from stepchange.commissioning.forms import CriterionForm, PartnershipForm, StageForm


@pytest.mark.parametrize(
    ("form_class", "field", "limit", "message"),
    [
        (CriterionForm, "name", 200, "The criterion must be 200 characters or fewer"),
        (PartnershipForm, "name", 200, "The partnership's name must be 200 characters or fewer"),
        (PartnershipForm, "lead_role", 200, "Your role must be 200 characters or fewer"),
        (StageForm, "name", 100, "The stage name must be 100 characters or fewer"),
    ],
)
def test_a_text_one_character_past_its_column_is_refused_on_the_form(form_class, field, limit, message):
    assert form_class(data={field: "a" * limit}).errors.get(field) is None
    assert form_class(data={field: "a" * (limit + 1)}).errors[field] == [message]
