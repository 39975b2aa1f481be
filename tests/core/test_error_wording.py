"""Error messages say what is wrong with which field, in GOV.UK's words, and a page with errors has
one "Error: " at the start of its title.

``core.forms.Form`` (the base of every app's forms) words Django's default messages: a required
field says what to enter or select, a limit says the field and the number, never "This field is
required." or "Ensure this value is greater than or equal to 0". A message a field was given is kept.
"""

from __future__ import annotations

import re

from django import forms

from stepchange.core.forms import Form, MoneyField


class BidEffortForm(Form):
    hours = forms.IntegerField(label="Hours spent on the bid", min_value=0, max_value=500)
    people = forms.IntegerField(
        label="People who worked on the bid", min_value=1, error_messages={"required": "Enter how many people"}
    )
    email = forms.EmailField(label="Email address")
    note = forms.CharField(label="Note (optional)", max_length=5, required=False)
    sector = forms.ChoiceField(label="Sector", choices=[("vcs", "Voluntary"), ("private", "Private")])
    reason = forms.CharField(label="Why the change is right")
    value = MoneyField(label="Annual value", min_value=0)
    vcs_value = forms.DecimalField(label="VCS value", max_digits=5, decimal_places=2)
    target = forms.DecimalField(label="Target (%)", max_value=100, required=False)


def errors_of(**data: str) -> dict[str, list[str]]:
    form = BidEffortForm(data)
    assert not form.is_valid()
    return {name: [str(message) for message in messages] for name, messages in form.errors.items()}


def test_each_missing_field_is_named_in_its_own_words() -> None:
    errors = errors_of()
    assert errors == {
        "hours": ["Enter the hours spent on the bid"],
        # A message the field was given is kept.
        "people": ["Enter how many people"],
        "email": ["Enter the email address"],
        "sector": ["Select the sector"],
        "reason": ["Enter why the change is right"],
        "value": ["Enter the annual value"],
        "vcs_value": ["Enter the VCS value"],
    }


def test_a_limit_names_the_field_and_the_number() -> None:
    errors = errors_of(
        hours="-1",
        people="0",
        email="not an address",
        note="far too long",
        sector="public",
        reason="Because",
        value="-5",
        vcs_value="1234.5",
    )
    assert errors["hours"] == ["The hours spent on the bid must be 0 or more"]
    assert errors["people"] == ["The people who worked on the bid must be 1 or more"]
    assert errors["email"] == ["Enter an email address in the correct format, like name@example.com"]
    assert errors["note"] == ["The note must be 5 characters or fewer"]
    assert errors["value"] == ["The annual value must be 0 or more"]
    assert errors["vcs_value"] == ["The VCS value has too many digits before the decimal point (at most 3)"]
    assert errors_of(hours="501")["hours"] == ["The hours spent on the bid must be 500 or less"]
    # A "%" of the label survives the limit being filled in.
    assert errors_of(target="101")["target"] == ["The target (%) must be 100 or less"]
    assert errors_of(hours="two")["hours"] == ["The hours spent on the bid must be a whole number, like 3"]
    for messages in errors.values():
        assert not any(m.startswith(("Ensure", "This field")) for m in messages), messages


def _title(html: str) -> str:
    found = re.search(r"<title>(.*?)</title>", html, re.S)
    assert found
    return found.group(1)


def _summary(html: str) -> list[str]:
    found = re.search(r'<ul class="govuk-list govuk-error-summary__list">(.*?)</ul>', html, re.S)
    assert found
    return [re.sub(r"<[^>]+>", "", item).strip() for item in re.findall(r"<li>(.*?)</li>", found.group(1), re.S)]


def test_an_empty_request_for_a_change_names_each_missing_answer_once(cast, client_for) -> None:
    """Dave sends his request for a change with no sector and no reason: the summary says which
    answer is missing for each, and the title starts "Error: " once (it used to read "Error: Error:",
    with "This field is required." twice in the summary)."""
    response = client_for(cast.dave).post(f"/organisations/{cast.charity.pk}/ask-for-a-change/", {"reason": ""})
    html = response.content.decode()
    assert response.status_code == 200
    assert _summary(html) == ["Select the sector", "Enter why the change is right, and what shows it"]
    assert "This field is required" not in html
    title = _title(html)
    assert title.startswith("Error: ") and title.count("Error:") == 1, title


def test_sign_in_with_nothing_typed_says_what_to_enter(client) -> None:
    html = client.post("/account/sign-in/", {"username": "", "password": ""}).content.decode()
    assert _summary(html) == ["Enter the username", "Enter the password"]
    assert _title(html).count("Error:") == 1


def test_a_report_with_a_wrong_date_has_one_error_in_its_title(cast, client) -> None:
    response = client.get("/reports/probation-share/", {"at": "31/2/2006"})
    assert response.status_code == 400
    title = _title(response.content.decode())
    assert title.startswith("Error: ") and title.count("Error:") == 1, title


def test_a_page_without_errors_has_none_in_its_title(cast, client) -> None:
    assert "Error" not in _title(client.get("/reports/probation-share/").content.decode())
