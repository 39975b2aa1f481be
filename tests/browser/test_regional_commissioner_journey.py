"""Alice, the regional commissioner, records South Yorkshire's main grant for 2006-07, and Nadia,
the national administrator, the probation target for that year (national data, which Alice only
reads), with the keyboard alone, each past a mistake first: a final grant written in words, a
target written in words. Both are text inputs, so the mistake reaches the server and is
explained; a number input would have dropped it silently and saved a grant with no final figure.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_accessible, sign_in
from tests.browser.keyboard import follow, press, skip_to_main_content, tab_to, type_into
from tests.personas import PASSWORD, Cast

SYPA = "South Yorkshire Probation Area"


def correct_the_field_named_in_the_summary(page: Page, field: str, text: str) -> None:
    """From the focused error summary, its first link takes focus to the field; retype it."""
    press(page, "Tab")
    page.keyboard.press("Enter")
    expect(page.locator(field)).to_be_focused()
    page.keyboard.press("Control+A")
    page.keyboard.type(text)


@pytest.mark.django_db(transaction=True)
def test_alice_records_a_main_grant_with_the_keyboard(
    live_server, page: Page, transactional_db: None, cast: Cast
) -> None:
    sign_in(page, live_server.url, "alice", PASSWORD)

    # Manage, from the service navigation (before the skip link's target, so Tab from the top).
    follow(page, ".govuk-service-navigation__list a[href='/manage/']")
    assert_accessible(page)
    skip_to_main_content(page)
    follow(page, "a[href='/manage/grants/']")
    assert_accessible(page)
    skip_to_main_content(page)
    follow(page, "a[href='/manage/grants/new/']")
    assert_accessible(page)

    # The grant, with a final grant that is not a number.
    skip_to_main_content(page)
    tab_to(page, "#id_commissioner")
    page.keyboard.type("South")
    assert page.locator("#id_commissioner option:checked").inner_text() == f"{SYPA} (SYPA)"
    tab_to(page, "#id_year")
    page.keyboard.type("2006-07")
    assert page.locator("#id_year option:checked").inner_text() == "2006-07"
    type_into(page, "#id_indicative", "1,900,000")
    type_into(page, "#id_final", "two million")
    follow(page, "button[type=submit]")

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Enter an amount in pounds, like 1900000 or 1900000.50")
    expect(page.locator("#id_final-error")).to_contain_text("Enter an amount in pounds")
    assert page.title().startswith("Error: ")
    assert_accessible(page)
    expect(page.locator("#id_indicative")).to_have_value("1,900,000")

    correct_the_field_named_in_the_summary(page, "#id_final", "2,000,000")
    follow(page, "button[type=submit]")
    expect(page.locator(".govuk-notification-banner--success")).to_be_visible()
    expect(page.get_by_role("row", name=SYPA)).to_contain_text("Final £2,000,000")
    assert_accessible(page)


@pytest.mark.django_db(transaction=True)
def test_nadia_records_a_target_with_the_keyboard(live_server, page: Page, transactional_db: None, cast: Cast) -> None:
    sign_in(page, live_server.url, "nadia", PASSWORD)

    # Manage, then Targets, with a percentage in words first.
    follow(page, ".govuk-service-navigation__list a[href='/manage/']")
    assert_accessible(page)
    skip_to_main_content(page)
    follow(page, "a[href='/manage/targets/']")
    skip_to_main_content(page)
    follow(page, "a[href='/manage/targets/new/']")
    assert_accessible(page)
    skip_to_main_content(page)
    tab_to(page, "#id_commissioner_kind")
    page.keyboard.type("Probation")
    assert page.locator("#id_commissioner_kind option:checked").inner_text() == "Probation area"
    tab_to(page, "#id_year")
    page.keyboard.type("2006-07")
    type_into(page, "#id_percentage", "five")
    follow(page, "button[type=submit]")

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Enter the target as a number, like 5 or 7.5")
    expect(page.locator("#id_percentage-error")).to_contain_text("Enter the target as a number")
    assert_accessible(page)

    correct_the_field_named_in_the_summary(page, "#id_percentage", "5")
    follow(page, "button[type=submit]")
    expect(page.locator(".govuk-notification-banner--success")).to_be_visible()
    row = page.get_by_role("row", name="2006-07 Probation area")
    expect(row).to_contain_text("5%")
    assert_accessible(page)
