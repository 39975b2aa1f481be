"""A standing consortium with the keyboard alone, every page checked with axe: Alice sets one up
(after the errors of an empty form), adds Acorn as its lead member; Dave, of Acorn, then changes
its governance and records a member leaving."""

from __future__ import annotations

import datetime

import pytest
from playwright.sync_api import Browser, Page, expect

from stepchange.consortia.models import Consortium, ConsortiumMember
from tests.browser.conftest import assert_accessible, sign_in, waiting_on_a_busy_machine
from tests.browser.keyboard import follow, press, skip_to_main_content, tab_to, type_into
from tests.factories import OrganisationFactory
from tests.personas import PASSWORD, Cast


def signed_in(browser: Browser, base_url: str, username: str) -> Page:
    page = waiting_on_a_busy_machine(browser.new_context(viewport={"width": 1280, "height": 900}).new_page())
    sign_in(page, base_url, username, PASSWORD)
    return page


@pytest.mark.django_db(transaction=True)
def test_a_consortium_set_up_and_run_with_the_keyboard(
    live_server, browser: Browser, transactional_db: None, cast: Cast
) -> None:
    base = live_server.url
    calder = OrganisationFactory.create(name="Calder Mentoring", region=cast.region)
    alice = signed_in(browser, base, "alice")
    follow(alice, ".govuk-service-navigation__list a[href='/consortia/']")
    assert_accessible(alice)
    skip_to_main_content(alice)
    follow(alice, "a[href='/consortia/new/']")
    assert_accessible(alice)
    skip_to_main_content(alice)
    follow(alice, "button[type=submit]")  # no name: the error, then put right
    expect(alice.locator(".govuk-error-summary")).to_be_focused()
    expect(alice.locator(".govuk-error-summary")).to_contain_text("Enter the name")
    assert_accessible(alice)
    type_into(alice, "#id_name", "MOVE Consortium")
    type_into(alice, "#id_formed_on", "1/9/2006")
    type_into(alice, "#id_bidding_protocol", "The lead member bids; every member agrees the price.")
    follow(alice, "button[type=submit]")
    expect(alice.locator(".govuk-notification-banner--success")).to_be_visible()
    consortium = Consortium.objects.get()
    assert consortium.formed_on == datetime.date(2006, 9, 1)

    # The success banner takes focus, inside the main content: the next Tab goes on from there.
    follow(alice, f"a[href='/consortia/{consortium.pk}/']")
    assert_accessible(alice)
    skip_to_main_content(alice)
    for name, role, lead in (("Acorn Housing Trust", "Lead, housing", True), ("Calder Mentoring", "Mentoring", False)):
        follow(alice, f"a[href='/consortia/{consortium.pk}/members/add/']")
        assert_accessible(alice)
        tab_to(alice, "#id_organisation")
        alice.keyboard.type(name)  # the select's type-ahead
        expect(alice.locator("#id_organisation option:checked")).to_have_text(name)
        type_into(alice, "#id_role", role)
        if lead:
            tab_to(alice, "#id_is_lead")
            press(alice, "Space")
        type_into(alice, "#id_joined_on", "2/10/2006")
        follow(alice, "button[type=submit]")
        expect(alice.locator(".govuk-notification-banner--success")).to_contain_text("The member is added")
    assert_accessible(alice)
    expect(alice.get_by_text("Lead member", exact=True)).to_be_visible()

    dave = signed_in(browser, base, "dave")
    dave.goto(f"{base}/consortia/{consortium.pk}/")
    skip_to_main_content(dave)
    follow(dave, f"a[href='/consortia/{consortium.pk}/change/']")
    assert_accessible(dave)
    type_into(dave, "#id_governance", "Quarterly meetings, chaired in turn.")
    follow(dave, "button[type=submit]")
    expect(dave.locator(".govuk-notification-banner--success")).to_be_visible()
    calder_member = ConsortiumMember.objects.get(organisation=calder)
    follow(dave, f"a[href='/consortia/{consortium.pk}/members/{calder_member.pk}/leave/']")
    assert_accessible(dave)
    type_into(dave, "#id_left_on", "31/3/2007")
    follow(dave, "button[type=submit]")
    expect(dave.locator(".govuk-notification-banner--success")).to_contain_text("Calder Mentoring")
    expect(dave.get_by_text("Former members")).to_be_visible()
    assert_accessible(dave)
    consortium.refresh_from_db()
    assert consortium.governance == "Quarterly meetings, chaired in turn."
    calder_member.refresh_from_db()
    assert calder_member.left_on == datetime.date(2007, 3, 31)
