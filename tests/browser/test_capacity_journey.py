"""Capacity building with the keyboard alone, every page checked with axe: Alice sets up a
briefing of one place; Dave books it and Erin joins the waiting list; Dave cancels and Erin gets
the place; Alice records Erin as having come, and someone without an account; Erin evaluates it;
Alice reads the evaluations and the needs summary after Dave fills his organisation's needs."""

from __future__ import annotations

import datetime

import pytest
from playwright.sync_api import Browser, Page, expect

from stepchange.capacity.models import Attendance, Booking, Evaluation, Event, NeedsAssessment
from tests.browser.conftest import assert_accessible, sign_in, waiting_on_a_busy_machine
from tests.browser.keyboard import follow, press, skip_to_main_content, tab_to, type_into
from tests.personas import PASSWORD, Cast


def signed_in(browser: Browser, base_url: str, username: str) -> Page:
    page = waiting_on_a_busy_machine(browser.new_context(viewport={"width": 1280, "height": 900}).new_page())
    sign_in(page, base_url, username, PASSWORD)
    return page


def choose(page: Page, selector: str) -> None:
    tab_to(page, selector)
    press(page, "Space")


def choose_radio(page: Page, name: str, index: int) -> None:
    """Tab into a radio group (its first button), choose it, then move down to the ``index``th."""
    choose(page, f"#id_{name}_0")
    for _ in range(index):
        press(page, "ArrowDown")
    expect(page.locator(f"#id_{name}_{index}")).to_be_checked()


@pytest.mark.django_db(transaction=True)
def test_an_event_from_set_up_to_evaluation_with_the_keyboard(
    live_server, page: Page, browser: Browser, transactional_db: None, cast: Cast
) -> None:
    base = live_server.url
    today = datetime.date.today()
    alice = signed_in(browser, base, "alice")
    follow(alice, ".govuk-service-navigation__list a[href='/capacity/']")
    assert_accessible(alice)
    skip_to_main_content(alice)
    follow(alice, "a[href='/capacity/events/new/']")
    assert_accessible(alice)
    skip_to_main_content(alice)
    follow(alice, "button[type=submit]")  # nothing filled in: the errors, then put right
    expect(alice.locator(".govuk-error-summary")).to_be_focused()
    assert_accessible(alice)
    choose_radio(alice, "kind", 4)  # training, conference, action learning set, focus group, briefing
    type_into(alice, "#id_title", "Commissioning briefing")
    type_into(alice, "#id_capacity", "1")
    type_into(alice, "#id_place", "Leeds Civic Hall")
    type_into(alice, "#id_dates", f"{today:%d/%m/%Y}")
    follow(alice, "button[type=submit]")
    expect(alice.locator(".govuk-notification-banner--success")).to_be_visible()
    event = Event.objects.get()
    assert_accessible(alice)

    sign_in(page, base, "dave", PASSWORD)
    page.goto(f"{base}/capacity/events/{event.pk}/")
    skip_to_main_content(page)
    follow(page, f"form[action='/capacity/events/{event.pk}/book/'] button")
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("You have a place")
    assert_accessible(page)

    erin = signed_in(browser, base, "erin")
    erin.goto(f"{base}/capacity/events/{event.pk}/")
    skip_to_main_content(erin)
    expect(erin.locator(f"form[action='/capacity/events/{event.pk}/book/'] button")).to_have_text(
        "Join the waiting list"
    )
    follow(erin, f"form[action='/capacity/events/{event.pk}/book/'] button")
    expect(erin.get_by_text("You are number 1 on the waiting list")).to_be_visible()
    assert_accessible(erin)

    page.reload()  # Dave's page, as he left it after booking, shown again
    skip_to_main_content(page)
    follow(page, f"form[action='/capacity/events/{event.pk}/cancel/'] button")
    assert Booking.objects.get(person=cast.erin, cancelled_at__isnull=True).place == 1

    alice.goto(f"{base}/capacity/events/{event.pk}/")
    assert_accessible(alice)  # the bookings, waiting list and attendance tables
    session = event.sessions.get()
    skip_to_main_content(alice)
    follow(alice, f"a[href='/capacity/sessions/{session.pk}/attendance/']")
    assert_accessible(alice)
    choose(alice, "input[name=booked]")
    type_into(alice, "#id_name", "Sam Shah")
    type_into(alice, "#id_organisation_name", "Kirklees Asian Women's Group")
    tab_to(alice, "#id_sector")
    alice.keyboard.press("ArrowDown")
    alice.keyboard.press("ArrowDown")
    follow(alice, "button[type=submit]")
    expect(alice.locator(".govuk-notification-banner--success")).to_contain_text("2 people")
    assert Attendance.objects.count() == 2

    erin.goto(f"{base}/capacity/events/{event.pk}/")
    skip_to_main_content(erin)
    follow(erin, f"a[href='/capacity/events/{event.pk}/evaluate/']")
    assert_accessible(erin)
    for field, index in (("content", 0), ("delivery", 1), ("usefulness", 1)):  # 5, then 4, 3, 2, 1
        choose_radio(erin, field, index)
    type_into(erin, "#id_comments", "Clear on what commissioners will ask of us.")
    follow(erin, "button[type=submit]")
    expect(erin.locator(".govuk-notification-banner--success")).to_be_visible()
    assert Evaluation.objects.get().content == 5

    alice.goto(f"{base}/capacity/events/{event.pk}/evaluations/")
    expect(alice.get_by_text("Clear on what commissioners will ask of us.")).to_be_visible()
    assert_accessible(alice)

    page.goto(f"{base}/capacity/")
    skip_to_main_content(page)
    follow(page, "a[href='/capacity/needs/']")
    assert_accessible(page)
    for theme in ("bidding", "governance", "finance", "partnership", "monitoring"):
        choose_radio(page, f"{theme}_level", 2)  # 1, 2, 3, 4
    follow(page, "button[type=submit]")
    expect(page.locator(".govuk-notification-banner--success")).to_be_visible()
    assert NeedsAssessment.objects.filter(organisation=cast.charity).exists()

    alice.goto(f"{base}/capacity/needs/summary/")
    expect(alice.get_by_text("1 organisation assessed its needs")).to_be_visible()
    assert_accessible(alice)
