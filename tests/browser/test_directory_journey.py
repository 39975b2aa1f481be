"""Fay registers her project with the keyboard alone, signed out: past a mistake first (a company
number of the wrong shape), then with a service in South Yorkshire. It is not listed until Alice,
the regional commissioner, finds it from the management index and approves it, also with the
keyboard; then anyone finds it, and the gap view counts it. Every page passes axe."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from stepchange.core.models import Pathway
from stepchange.organisations.models import Listing, Organisation
from tests.browser.conftest import assert_accessible, sign_in, waiting_on_a_busy_machine
from tests.browser.keyboard import follow, press, skip_to_main_content, tab_to, type_into
from tests.personas import PASSWORD, Cast


@pytest.mark.django_db(transaction=True)
def test_fay_registers_and_alice_lists_her_project_with_the_keyboard(
    live_server, page: Page, browser: Browser, transactional_db: None, cast: Cast
) -> None:
    housing = Pathway.objects.get(code="accommodation")
    page.goto(f"{live_server.url}/organisations/")
    skip_to_main_content(page)
    follow(page, "a[href='/account/register/']")
    assert_accessible(page)

    skip_to_main_content(page)
    type_into(page, "#id_name", "Don Valley Women's Project")
    tab_to(page, "#id_sector_0")
    press(page, "Space")
    type_into(page, "#id_company_number", "ZZ12")
    tab_to(page, "#id_region")
    page.keyboard.type("Yorkshire")  # a focused select takes the option whose name is typed
    tab_to(page, "#id_women_specific")
    press(page, "Space")
    tab_to(page, f"#id_pathway_{housing.pk}_0")  # the first probation area, South Yorkshire
    press(page, "Space")
    type_into(page, "#id_first_name", "Fay")
    type_into(page, "#id_username", "fay")
    type_into(page, "#id_email", "fay@donvalley.example.org")
    follow(page, "button[type=submit]")
    expect(page.locator(".govuk-error-summary")).to_be_focused()
    expect(page.locator("#id_company_number-error")).to_contain_text("8 characters")
    assert_accessible(page)

    type_into(page, "#id_company_number", "")
    follow(page, "button[type=submit]")
    expect(page.locator(".govuk-panel__title")).to_contain_text("Don Valley Women's Project is registered")
    assert_accessible(page)
    project = Organisation.objects.get(name="Don Valley Women's Project")
    assert project.listing == Listing.WAITING
    page.goto(f"{live_server.url}/organisations/?q=don+valley")
    expect(page.locator("main")).to_contain_text("No organisation matches these filters.")

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    alice = waiting_on_a_busy_machine(context.new_page())
    try:
        sign_in(alice, live_server.url, "alice", PASSWORD)
        follow(alice, ".govuk-service-navigation__list a[href='/manage/']")
        skip_to_main_content(alice)
        follow(alice, "a[href='/organisations/registrations/']")
        assert_accessible(alice)
        skip_to_main_content(alice)
        follow(alice, f"a[href='/organisations/registrations/{project.pk}/']")
        assert_accessible(alice)
        skip_to_main_content(alice)
        tab_to(alice, "#id_decision_0")
        press(alice, "Space")
        follow(alice, "button[type=submit]")
        expect(alice.locator(".govuk-notification-banner--success")).to_be_visible()
    finally:
        context.close()

    page.goto(f"{live_server.url}/organisations/?q=don+valley")
    expect(page.get_by_role("link", name="Don Valley Women's Project")).to_be_visible()
    page.goto(f"{live_server.url}/organisations/gaps/?region=YH")
    assert_accessible(page)
    accommodation = page.get_by_role("row", name="Accommodation")
    expect(accommodation.locator("td").first).to_contain_text("1")
