"""Charity and company numbers are checked where they are entered, and the message says what a
valid one looks like; what is kept is the number as the register writes it."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from stepchange.organisations import identifiers
from tests.organisations.test_profile_edit import profile


@pytest.mark.parametrize(
    ("entered", "kept"),
    [
        ("226171", "226171"),  # an older charity: 6 digits
        ("1099999", "1099999"),
        ("1099999-1", "1099999-1"),  # a charity linked to 1099999
        (" 1099 999 ", "1099999"),
        ("", ""),
    ],
)
def test_charity_numbers_of_england_and_wales(entered, kept):
    assert identifiers.clean_charity_number(entered) == kept


@pytest.mark.parametrize("entered", ["12345", "12345678", "1099999-", "1099999/1", "SC012345", "CH1099999"])
def test_a_wrong_charity_number_is_refused_naming_the_format(entered):
    with pytest.raises(ValidationError) as refused:
        identifiers.clean_charity_number(entered)
    assert refused.value.messages == [
        "Enter a registered charity number in England and Wales as 6 or 7 digits, with -1, -2 ... after "
        "them for a linked charity, for example 1099999 or 1099999-1"
    ]


@pytest.mark.parametrize(
    ("entered", "kept"),
    [("04567890", "04567890"), ("SC123456", "SC123456"), ("sc 123456", "SC123456"), ("OC301234", "OC301234")],
)
def test_company_numbers(entered, kept):
    assert identifiers.clean_company_number(entered) == kept


@pytest.mark.parametrize("entered", ["4567890", "123456789", "XX123456", "SC12345", "SC1234567", "0456789O"])
def test_a_wrong_company_number_is_refused_naming_the_format(entered):
    with pytest.raises(ValidationError, match="Enter a company number as 8 characters: 8 digits, or 2 letters"):
        identifiers.clean_company_number(entered)


def test_dave_cannot_save_a_mistyped_charity_number_on_his_profile(cast, client_for):
    dave = client_for(cast.dave)
    url = f"/organisations/{cast.charity.pk}/edit/"
    page = dave.post(url, profile(cast.charity, charity_number="10999", company_number="4567890")).content.decode()
    assert "Enter a registered charity number in England and Wales as 6 or 7 digits" in page
    assert "Enter a company number as 8 characters" in page
    cast.charity.refresh_from_db()
    assert (cast.charity.charity_number, cast.charity.company_number, cast.charity.version) == ("", "", 1)

    dave.post(url, profile(cast.charity, charity_number="1099 999", company_number="04567890"))
    cast.charity.refresh_from_db()
    assert (cast.charity.charity_number, cast.charity.company_number) == ("1099999", "04567890")
