"""Dave asks, with the keyboard alone, for his charity to be recorded as BME-led: past a mistake
first (no reason given), then sent. Alice, the regional commissioner, finds the request from the
management index and approves it, also with the keyboard; the profile then says BME-led, and the
change is dated on it."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from stepchange.organisations.models import ProfileChange
from tests.browser.conftest import assert_accessible, sign_in, waiting_on_a_busy_machine
from tests.browser.keyboard import follow, press, skip_to_main_content, tab_to, type_into
from tests.personas import PASSWORD, Cast


@pytest.mark.django_db(transaction=True)
def test_dave_asks_for_a_change_and_alice_approves_it_with_the_keyboard(
    live_server, page: Page, browser: Browser, transactional_db: None, cast: Cast
) -> None:
    sign_in(page, live_server.url, "dave", PASSWORD)
    page.goto(f"{live_server.url}/organisations/{cast.charity.pk}/")
    skip_to_main_content(page)
    follow(page, f"a[href='/organisations/{cast.charity.pk}/ask-for-a-change/']")
    assert_accessible(page)

    # BME-led ticked, but no reason given.
    skip_to_main_content(page)
    tab_to(page, "#id_bme_led")
    press(page, "Space")
    expect(page.locator("#id_bme_led")).to_be_checked()
    follow(page, "button[type=submit]")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(page.locator("#id_reason-error")).to_be_visible()
    assert_accessible(page)

    expect(page.locator("#id_bme_led")).to_be_checked()
    type_into(page, "#id_reason", "Our new board is mostly from Black and minority ethnic communities.")
    follow(page, "button[type=submit]")
    expect(page.locator(".govuk-notification-banner--success")).to_be_visible()
    cast.charity.refresh_from_db()
    assert not cast.charity.bme_led  # nothing changes until the regional team decides

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    alice = waiting_on_a_busy_machine(context.new_page())
    try:
        sign_in(alice, live_server.url, "alice", PASSWORD)
        follow(alice, ".govuk-service-navigation__list a[href='/manage/']")
        skip_to_main_content(alice)
        follow(alice, "a[href='/organisations/change-requests/']")
        assert_accessible(alice)
        skip_to_main_content(alice)
        follow(alice, "a[href^='/organisations/change-requests/']")
        expect(alice.get_by_role("row", name="BME-led")).to_contain_text("No")
        assert_accessible(alice)
        skip_to_main_content(alice)
        tab_to(alice, "#id_decision_0")
        press(alice, "Space")
        follow(alice, "button[type=submit]")
        expect(alice.locator(".govuk-notification-banner--success")).to_be_visible()
    finally:
        context.close()

    cast.charity.refresh_from_db()
    assert cast.charity.bme_led
    assert ProfileChange.objects.get().request is not None
    page.goto(f"{live_server.url}/organisations/{cast.charity.pk}/")
    expect(page.locator(".govuk-summary-list__row", has_text="BME-led").locator("dd")).to_have_text("Yes")
    expect(page.get_by_role("table", name="Changes made")).to_contain_text("BME-led")
    assert_accessible(page)
