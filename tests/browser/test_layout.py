"""The layout every page shares works in a real browser, with a keyboard, and passes axe-core."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_accessible, sign_in
from tests.personas import PASSWORD


@pytest.mark.django_db(transaction=True)
def test_home_page_has_a_skip_link_reached_first_by_keyboard(live_server, page: Page) -> None:
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    # Following the link changes the address when the browser has done it, not when Enter returns.
    expect(page).to_have_url(re.compile(r"#main-content$"))
    assert_accessible(page)


@pytest.mark.django_db(transaction=True)
def test_sign_in_page_shows_an_error_summary_that_takes_focus(live_server, page: Page, cast) -> None:
    page.goto(live_server.url + "/account/sign-in/")
    assert_accessible(page)
    page.get_by_label("Username").fill("bob")
    page.get_by_label("Password").fill("not his password")
    page.get_by_label("Password").press("Enter")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    # GOV.UK Frontend moves focus to the error summary so a screen reader announces it.
    expect(summary).to_be_focused()
    assert_accessible(page)


@pytest.mark.django_db(transaction=True)
def test_a_signed_in_person_sees_who_they_are_and_can_sign_out(live_server, page: Page, cast) -> None:
    sign_in(page, live_server.url, "bob", PASSWORD)
    expect(page.get_by_text("Signed in as Bob")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()
    expect(page.locator(".govuk-phase-banner").get_by_role("link", name="Sign in")).to_be_visible()
