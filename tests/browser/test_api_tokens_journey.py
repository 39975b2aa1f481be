"""API tokens with the keyboard alone, every page checked with axe: Bob makes a token from Your
account (after the error of an empty name), sees it once, his program reads with it, he revokes
it and it stops working."""

from __future__ import annotations

import pytest
from django.test import Client
from playwright.sync_api import Browser, expect

from stepchange.api.models import ApiToken
from tests.browser.conftest import assert_accessible, sign_in, waiting_on_a_busy_machine
from tests.browser.keyboard import follow, skip_to_main_content, type_into
from tests.personas import PASSWORD, Cast


@pytest.mark.django_db(transaction=True)
def test_a_token_made_used_and_revoked_with_the_keyboard(
    live_server, browser: Browser, transactional_db: None, cast: Cast
) -> None:
    base = live_server.url
    bob = waiting_on_a_busy_machine(browser.new_context(viewport={"width": 1280, "height": 900}).new_page())
    sign_in(bob, base, "bob", PASSWORD)
    bob.goto(f"{base}/account/you/")
    skip_to_main_content(bob)
    follow(bob, "a[href='/account/api-tokens/']")
    assert_accessible(bob)
    expect(bob.get_by_text("You have no tokens.")).to_be_visible()
    skip_to_main_content(bob)
    follow(bob, "button[type=submit]")  # no name: the error, then put right
    expect(bob.locator(".govuk-error-summary")).to_be_focused()
    expect(bob.locator(".govuk-error-summary")).to_contain_text("Enter a name for the token")
    assert_accessible(bob)
    type_into(bob, "#id_name", "Contracts system")
    follow(bob, "button[type=submit]")
    expect(bob.locator(".govuk-panel")).to_contain_text("Copy it now: it is not shown again.")
    assert_accessible(bob)
    token = bob.locator("#new-token").inner_text()
    assert token.startswith("sc_")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert api.get("/api/v1/returns/probation/").status_code == 200

    bob.reload()  # shown once: not again
    expect(bob.locator(".govuk-panel")).to_have_count(0)
    expect(bob.locator("table")).to_contain_text("Contracts system")
    skip_to_main_content(bob)
    follow(bob, "button.govuk-button--warning")
    expect(bob.locator(".govuk-notification-banner--success")).to_contain_text("The token Contracts system is revoked")
    assert_accessible(bob)
    assert api.get("/api/v1/returns/probation/").status_code == 401
    assert ApiToken.objects.get().revoked_at is not None
