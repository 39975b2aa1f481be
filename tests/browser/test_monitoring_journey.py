"""A monitoring request with the keyboard alone, every page checked with axe: Bob, of South
Yorkshire probation, asks Acorn (the prime of his contract) for monitoring information; Dave, of
Acorn, finds it on his home page, answers it (after a time that is not one is refused) with the
time it took; Bob reads the answer and the time."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from stepchange.burden.models import MonitoringRequest
from tests.browser.conftest import assert_accessible, sign_in, waiting_on_a_busy_machine
from tests.browser.keyboard import follow, press, skip_to_main_content, tab_to, type_into
from tests.factories import ContractFactory
from tests.personas import PASSWORD, Cast


def signed_in(browser: Browser, base_url: str, username: str) -> Page:
    page = waiting_on_a_busy_machine(browser.new_context(viewport={"width": 1280, "height": 900}).new_page())
    sign_in(page, base_url, username, PASSWORD)
    return page


@pytest.mark.django_db(transaction=True)
def test_a_monitoring_request_asked_and_answered_with_its_time_with_the_keyboard(
    live_server, browser: Browser, transactional_db: None, cast: Cast
) -> None:
    base = live_server.url
    ContractFactory.create(reference="SY-ACORN-42", title="Housing advice", commissioner=cast.sypa, prime=cast.charity)
    due = timezone.localdate() + datetime.timedelta(days=14)

    bob = signed_in(browser, base, "bob")
    follow(bob, ".govuk-service-navigation__list a[href='/burden/monitoring/']")
    assert_accessible(bob)
    skip_to_main_content(bob)
    follow(bob, "a[href='/burden/monitoring/ask/']")
    assert_accessible(bob)
    tab_to(bob, "#id_contract")
    bob.keyboard.type("SY-ACORN-42")  # the select's type-ahead
    expect(bob.locator("#id_contract option:checked")).to_contain_text("SY-ACORN-42")
    type_into(bob, "#id_period_start", "1/7/2006")
    type_into(bob, "#id_period_end", "30/9/2006")
    tab_to(bob, "#id_topics_3")  # money spent against the budget
    press(bob, "Space")
    type_into(bob, "#id_own_question", "How many came from HMP Leeds?")
    type_into(bob, "#id_due_on", f"{due.day}/{due.month}/{due.year}")
    follow(bob, "button[type=submit]")
    expect(bob.locator(".govuk-notification-banner--success")).to_contain_text("Monitoring request sent")
    request = MonitoringRequest.objects.get()
    assert request.topics == ["spend"]

    dave = signed_in(browser, base, "dave")
    expect(dave.get_by_text("Answer the monitoring request on SY-ACORN-42")).to_be_visible()
    assert_accessible(dave)
    skip_to_main_content(dave)
    follow(dave, f"a[href='/burden/monitoring/{request.pk}/']")
    assert_accessible(dave)
    skip_to_main_content(dave)
    follow(dave, f"a[href='/burden/monitoring/{request.pk}/answer/']")
    assert_accessible(dave)
    type_into(dave, "#id_answer-spend", "£4,100 of the £5,000 budget.")
    type_into(dave, "#id_answer-own", "Three people.")
    type_into(dave, "#id_hours_taken", "-1")
    follow(dave, "button[type=submit]")
    expect(dave.locator(".govuk-error-summary")).to_be_focused()
    expect(dave.locator(".govuk-error-summary")).to_contain_text("The time must be 0 hours or more")
    assert_accessible(dave)
    type_into(dave, "#id_hours_taken", "2.5")
    follow(dave, "button[type=submit]")
    expect(dave.locator(".govuk-notification-banner--success")).to_contain_text("Your answer is sent")
    request.refresh_from_db()
    assert (request.hours_taken, request.answers["own"]) == (Decimal("2.5"), "Three people.")

    bob.goto(f"{base}/burden/monitoring/{request.pk}/")
    expect(bob.get_by_text("2.5 hours")).to_be_visible()
    expect(bob.get_by_text("£4,100 of the £5,000 budget.")).to_be_visible()
    assert_accessible(bob)
