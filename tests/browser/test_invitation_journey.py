"""Dave invites Ivy to his charity and Ivy chooses her own password, each with the keyboard alone.

The invitation travels through a real SMTP server on 127.0.0.1; Ivy opens the link it carries.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import assert_accessible, sign_in, waiting_on_a_busy_machine
from tests.browser.keyboard import follow, skip_to_main_content, tab_to, type_into
from tests.personas import PASSWORD, Cast

CHOSEN = "ivy chose this herself 2006"


@pytest.mark.django_db(transaction=True)
def test_dave_invites_ivy_and_she_chooses_her_password_with_the_keyboard(
    live_server, page: Page, browser: Browser, transactional_db: None, cast: Cast, smtp
) -> None:
    sign_in(page, live_server.url, "dave", PASSWORD)

    # From the service navigation to his organisation's people, and the invitation form.
    tab_to(page, "a.govuk-service-navigation__link[href='/account/people/']")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your organisation’s people")
    assert_accessible(page)
    skip_to_main_content(page)
    follow(page, "a[href='/account/people/invite/']")
    assert_accessible(page)
    skip_to_main_content(page)
    type_into(page, "#id_username", "ivy")
    type_into(page, "#id_first_name", "Ivy")
    type_into(page, "#id_email", "ivy@example.org")
    follow(page, "button[type=submit]")

    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("ivy@example.org")
    expect(page.locator("table")).to_contain_text("Invited")
    assert_accessible(page)

    # Ivy, in her own browser, opens the link in her email.
    [message] = smtp.to("ivy@example.org")
    link = re.search(r"https?://\S+/account/invitation/\S+", smtp.body(message))
    assert link
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    ivy = waiting_on_a_busy_machine(context.new_page())
    ivy.goto(link.group(0).replace("http://testserver", live_server.url))
    expect(ivy.get_by_role("heading", level=1)).to_have_text("Choose your password")
    assert_accessible(ivy)
    skip_to_main_content(ivy)
    type_into(ivy, "#id_new_password1", CHOSEN)
    type_into(ivy, "#id_new_password2", CHOSEN)
    follow(ivy, "button[type=submit]")

    expect(ivy.locator(".govuk-notification-banner--success")).to_contain_text("Your password has been set")
    assert ivy.url.endswith("/account/sign-in/")
    assert_accessible(ivy)
    sign_in(ivy, live_server.url, "ivy", CHOSEN)
    expect(ivy.locator(".govuk-phase-banner")).to_contain_text("Signed in as Ivy")
    context.close()
