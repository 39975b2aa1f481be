"""Dave, who works for Acorn Housing Trust (a charity), keeps its profile up to date with the
keyboard alone: from the home page to the profile, into the form, past a mistake, and saved."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_accessible, sign_in
from tests.browser.keyboard import follow, press, skip_to_main_content, tab_to, type_into
from tests.personas import PASSWORD, Cast


@pytest.mark.django_db(transaction=True)
def test_dave_updates_his_charitys_profile_with_the_keyboard(
    live_server, page: Page, transactional_db: None, cast: Cast
) -> None:
    sign_in(page, live_server.url, "dave", PASSWORD)

    # From the home page's own link to his organisation, to its profile and the form.
    skip_to_main_content(page)
    follow(page, f"a[href='/organisations/{cast.charity.pk}/']")
    expect(page.get_by_role("heading", level=1)).to_have_text("Acorn Housing Trust")
    assert_accessible(page)
    skip_to_main_content(page)
    follow(page, f"a[href='/organisations/{cast.charity.pk}/edit/']")
    assert_accessible(page)

    # A mistake first: an email address without its @.
    skip_to_main_content(page)
    tab_to(page, "#id_pathways_served_0")  # Accommodation, the first pathway
    page.keyboard.press("Space")
    type_into(page, "#id_description", "Supported housing and tenancy advice for people leaving prison.")
    type_into(page, "#id_contact_name", "Dave")
    type_into(page, "#id_contact_email", "dave at acorn.example")
    follow(page, "button[type=submit]")

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Enter an email address in the correct format, like name@example.com")
    expect(page.locator("#id_contact_email-error")).to_contain_text(
        "Enter an email address in the correct format, like name@example.com"
    )
    expect(page.locator("#id_contact_email")).to_have_attribute("aria-describedby", "id_contact_email-error")
    assert_accessible(page)
    # What Dave got right is still there.
    expect(page.locator("#id_pathways_served_0")).to_be_checked()
    expect(page.locator("#id_contact_name")).to_have_value("Dave")

    # The summary's link takes him to the field; he corrects it and saves.
    press(page, "Tab")
    page.keyboard.press("Enter")
    expect(page.locator("#id_contact_email")).to_be_focused()
    page.keyboard.press("Control+A")
    page.keyboard.type("dave@acorn.example")
    follow(page, "button[type=submit]")

    expect(page.locator(".govuk-notification-banner--success")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Acorn Housing Trust")
    profile = page.locator(".govuk-summary-list")
    expect(profile).to_contain_text("Supported housing and tenancy advice for people leaving prison.")
    expect(profile).to_contain_text("dave@acorn.example")
    pathways = page.locator(".govuk-summary-list__row", has_text="Pathways served")
    expect(pathways.locator("dd")).to_have_text("Accommodation")
    assert_accessible(page)
