"""A sub-contracting plan with the keyboard alone, every page checked with axe: Bob drafts South
Yorkshire's plan for 2007-08 (after the errors of an empty planned contract) and submits it; Alice
approves it; Bob revises it in the year, changing the planned value, and the new version says what
changed while the approved one is kept."""

from __future__ import annotations

from decimal import Decimal

import pytest
from playwright.sync_api import Browser, Page, expect

from stepchange.plans.models import Plan, Status
from tests.browser.conftest import assert_accessible, sign_in, waiting_on_a_busy_machine
from tests.browser.keyboard import follow, skip_to_main_content, tab_to, type_into
from tests.factories import MainGrantFactory, TargetFactory
from tests.personas import PASSWORD, Cast
from tests.plans.world import y0708


def signed_in(browser: Browser, base_url: str, username: str) -> Page:
    page = waiting_on_a_busy_machine(browser.new_context(viewport={"width": 1280, "height": 900}).new_page())
    sign_in(page, base_url, username, PASSWORD)
    return page


def choose(page: Page, selector: str) -> None:
    tab_to(page, selector)
    page.keyboard.press("Space")
    expect(page.locator(selector)).to_be_checked()


@pytest.mark.django_db(transaction=True)
def test_a_plan_drafted_submitted_approved_and_revised_with_the_keyboard(
    live_server, browser: Browser, transactional_db: None, cast: Cast
) -> None:
    base = live_server.url
    MainGrantFactory.create(commissioner=cast.sypa, year=y0708(), indicative=Decimal("2000000"), final=None)
    TargetFactory.create(year=y0708(), percentage=Decimal("10"))

    bob = signed_in(browser, base, "bob")
    follow(bob, ".govuk-service-navigation__list a[href='/plans/']")
    assert_accessible(bob)
    skip_to_main_content(bob)
    follow(bob, "a[href='/plans/new/']")
    assert_accessible(bob)
    skip_to_main_content(bob)
    tab_to(bob, "#id_area")
    bob.keyboard.type("South")
    tab_to(bob, "#id_year")
    bob.keyboard.type("2007-08")
    expect(bob.locator("#id_year option:checked")).to_have_text("2007-08")
    follow(bob, "button[type=submit]")
    expect(bob.locator(".govuk-notification-banner--success")).to_be_visible()
    plan = Plan.objects.get()
    assert_accessible(bob)

    follow(bob, f"a[href='/plans/{plan.pk}/planned/add/']")
    skip_to_main_content(bob)
    follow(bob, "button[type=submit]")  # nothing filled in: the errors, then put right
    expect(bob.locator(".govuk-error-summary")).to_be_focused()
    expect(bob.locator(".govuk-error-summary")).to_contain_text("Enter the annual value")
    assert_accessible(bob)
    tab_to(bob, "#id_pathway")
    bob.keyboard.type("Education")
    type_into(bob, "#id_description", "Mentoring of low-risk offenders")
    choose(bob, "#id_sector_0")
    type_into(bob, "#id_annual_value", "150000")
    type_into(bob, "#id_planned_start", "1/7/2007")
    choose(bob, "#id_funding_source_0")
    follow(bob, "button[type=submit]")
    expect(bob.locator(".govuk-notification-banner--success")).to_contain_text("The planned contract is added")
    expect(bob.get_by_text("7.5%")).to_be_visible()  # 150,000 × 100 ÷ 2,000,000
    assert_accessible(bob)
    follow(bob, f"a[href='/plans/{plan.pk}/submit/']")
    assert_accessible(bob)
    skip_to_main_content(bob)
    follow(bob, "button[type=submit]")
    expect(bob.locator(".govuk-notification-banner--success")).to_contain_text("The plan is submitted")

    alice = signed_in(browser, base, "alice")
    expect(alice.get_by_text("South Yorkshire Probation Area: sub-contracting plan 2007-08, version 1")).to_be_visible()
    alice.goto(f"{base}/plans/{plan.pk}/")
    skip_to_main_content(alice)
    follow(alice, f"a[href='/plans/{plan.pk}/approve/']")
    assert_accessible(alice)
    skip_to_main_content(alice)
    follow(alice, "button[type=submit]")
    expect(alice.locator(".govuk-notification-banner--success")).to_contain_text("The plan is approved")
    assert plan.versions.get().status == Status.APPROVED

    bob.goto(f"{base}/plans/{plan.pk}/")
    skip_to_main_content(bob)
    follow(bob, f"a[href='/plans/{plan.pk}/revise/']")
    assert_accessible(bob)
    skip_to_main_content(bob)
    follow(bob, "button[type=submit]")
    expect(bob.locator(".govuk-notification-banner--success")).to_contain_text("Version 2 is started")
    line = plan.versions.get(number=2).planned.get().line
    follow(bob, f"a[href='/plans/{plan.pk}/planned/{line}/']")
    assert_accessible(bob)
    skip_to_main_content(bob)
    type_into(bob, "#id_annual_value", "200000")
    follow(bob, "button[type=submit]")
    expect(bob.get_by_text("What changed from version 1")).to_be_visible()
    expect(bob.get_by_text("Annual value: 150000.00 to 200000.00")).to_be_visible()
    assert_accessible(bob)
    assert plan.versions.get(number=1).planned.get().annual_value == Decimal("150000")
