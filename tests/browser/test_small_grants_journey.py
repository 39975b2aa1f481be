"""A small grant with the keyboard alone: Dave finds the round from Funding, applies for his charity
(past a mistake: more than the largest grant), and submits; Alice assesses it, declaring no
conflict, and awards it; Dave reads the award and its reasons. Every page passes axe."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from stepchange.funding.models import ApplicationStatus, GrantApplication
from tests.browser.conftest import assert_accessible, sign_in, waiting_on_a_busy_machine
from tests.browser.keyboard import follow, press, skip_to_main_content, tab_to, type_into
from tests.factories import GrantsRoundFactory
from tests.personas import PASSWORD, Cast


@pytest.mark.django_db(transaction=True)
def test_dave_applies_and_alice_awards_with_the_keyboard(
    live_server, page: Page, browser: Browser, transactional_db: None, cast: Cast
) -> None:
    today = timezone.localdate()
    grants_round = GrantsRoundFactory.create(
        region=cast.region,
        name="Small grants, round 1",
        opens_on=today - datetime.timedelta(days=3),
        closes_on=today + datetime.timedelta(days=3),
        decisions_by=today + datetime.timedelta(days=30),
    )
    sign_in(page, live_server.url, "dave", PASSWORD)
    follow(page, ".govuk-service-navigation__list a[href='/funding/']")
    assert_accessible(page)
    skip_to_main_content(page)
    follow(page, f"a[href='/funding/small-grants/{grants_round.pk}/']")
    assert_accessible(page)
    skip_to_main_content(page)
    follow(page, f"a[href='/funding/small-grants/{grants_round.pk}/apply/']")
    assert_accessible(page)
    skip_to_main_content(page)
    type_into(page, "#id_project_title", "Family visits")
    type_into(page, "#id_summary", "Help for families to visit HMP Leeds.")
    type_into(page, "#id_amount_requested", "6000")
    type_into(page, "#id_start_on", "1/9/2027")
    type_into(page, "#id_end_on", "31/3/2028")
    follow(page, "button[type=submit]")
    expect(page.locator(".govuk-error-summary")).to_be_focused()
    expect(page.locator(".govuk-error-summary")).to_contain_text("largest grant, £5,000.00")
    assert_accessible(page)
    type_into(page, "#id_amount_requested", "4000")
    follow(page, "button[type=submit]")
    expect(page.locator(".govuk-notification-banner--success")).to_be_visible()
    assert_accessible(page)
    follow(page, "main button[type=submit]")  # Submit this application
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Application submitted")
    application = GrantApplication.objects.get()
    assert application.status == ApplicationStatus.SUBMITTED

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    alice = waiting_on_a_busy_machine(context.new_page())
    try:
        sign_in(alice, live_server.url, "alice", PASSWORD)
        alice.goto(f"{live_server.url}/funding/small-grants/{grants_round.pk}/")
        skip_to_main_content(alice)
        follow(alice, f"a[href='/funding/applications/{application.pk}/']")
        assert_accessible(alice)
        skip_to_main_content(alice)
        follow(alice, f"a[href='/funding/applications/{application.pk}/assess/']")
        assert_accessible(alice)
        skip_to_main_content(alice)
        tab_to(alice, "#id_conflict_0")  # No
        press(alice, "Space")
        type_into(alice, "#id_score", "8")
        tab_to(alice, "#id_recommendation_0")  # Award
        press(alice, "Space")
        follow(alice, "button[type=submit]")
        expect(alice.locator(".govuk-notification-banner--success")).to_be_visible()
        # The success banner takes focus: the next Tab is inside the main content.
        follow(alice, f"a[href='/funding/applications/{application.pk}/decide/']")
        assert_accessible(alice)
        skip_to_main_content(alice)
        tab_to(alice, "#id_decision_0")  # Award a grant
        press(alice, "Space")
        type_into(alice, "#id_amount", "3500")
        type_into(alice, "#id_reasons", "A clear plan; part funded.")
        follow(alice, "button[type=submit]")
        expect(alice.locator(".govuk-notification-banner--success")).to_contain_text("the applicant has been told")
    finally:
        context.close()

    page.goto(f"{live_server.url}/funding/applications/{application.pk}/")
    expect(page.locator(".govuk-panel__title")).to_have_text("Awarded £3,500.00")
    expect(page.locator("main")).to_contain_text("A clear plan; part funded.")
    assert_accessible(page)
