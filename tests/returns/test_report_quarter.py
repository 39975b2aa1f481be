"""The quarter on the report pages' form: the returns reports take one (prison-provision up to it,
prison-spend for it), and the form shows it, keeps it and explains a wrong one beside the field."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db


def selected_quarter(page: str) -> str | None:
    select = re.search(r'<select[^>]*id="quarter".*?</select>', page, re.S)
    assert select is not None, "no quarter field on the page"
    chosen = re.search(r'<option value="([^"]*)" selected>', select.group(0))
    return chosen.group(1) if chosen else None


def test_the_prison_provision_form_keeps_the_quarter_chosen_and_the_table_stops_at_it(cast, client):
    page = client.get("/reports/prison-provision/", {"year": "2006-07", "quarter": "Q2"}).content.decode()

    assert selected_quarter(page) == "Q2"
    assert "Services running 2006-07 Q2" in page
    assert "Services running 2006-07 Q3" not in page
    # Not chosen: the whole year.
    whole_year = client.get("/reports/prison-provision/", {"year": "2006-07"}).content.decode()
    assert selected_quarter(whole_year) is None
    assert "Services running 2006-07 Q4" in whole_year


def test_a_wrong_quarter_is_explained_beside_the_field(cast, client):
    response = client.get("/reports/prison-provision/", {"year": "2006-07", "quarter": "Q5"})

    page = response.content.decode()
    assert response.status_code == 400
    assert '<a href="#quarter">The quarter &#x27;Q5&#x27; is not a quarter: write Q1, Q2, Q3 or Q4.</a>' in page
    assert 'id="quarter-error"' in page and "govuk-select--error" in page


def test_a_report_without_quarters_has_no_quarter_field(cast, client):
    page = client.get("/reports/probation-share/", {"at": "2006-10-01"}).content.decode()
    assert 'id="quarter"' not in page
