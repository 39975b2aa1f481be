"""Community engagement with the keyboard alone, every page checked with axe: Frank, HMP Leeds's
co-ordinator, finds the establishment's women's requirement a gap, adds a link with a women's
centre (after the errors of an empty form), sees the gap close, and records the link's review."""

from __future__ import annotations

import datetime

import pytest
from playwright.sync_api import Browser, Page, expect

from stepchange.engagement.models import Link
from tests.browser.conftest import assert_accessible, sign_in, waiting_on_a_busy_machine
from tests.browser.keyboard import follow, press, skip_to_main_content, tab_to, type_into
from tests.engagement.world import group, make_requirement
from tests.personas import PASSWORD, Cast


def signed_in(browser: Browser, base_url: str, username: str) -> Page:
    page = waiting_on_a_busy_machine(browser.new_context(viewport={"width": 1280, "height": 900}).new_page())
    sign_in(page, base_url, username, PASSWORD)
    return page


@pytest.mark.django_db(transaction=True)
def test_a_link_added_and_reviewed_with_the_keyboard_closes_the_gap(
    live_server, browser: Browser, transactional_db: None, cast: Cast
) -> None:
    base = live_server.url
    make_requirement(cast.leeds, group_code="women")
    women = group("women")
    frank = signed_in(browser, base, "frank")
    follow(frank, ".govuk-service-navigation__list a[href='/engagement/']")
    assert_accessible(frank)
    skip_to_main_content(frank)
    establishment = f"/engagement/establishments/{cast.leeds.pk}/"
    follow(frank, f"a[href='{establishment}']")
    expect(frank.locator(".govuk-summary-card__title")).to_contain_text("Gap")
    assert_accessible(frank)
    skip_to_main_content(frank)

    follow(frank, f"a[href='{establishment}links/add/']")
    assert_accessible(frank)
    type_into(frank, "#id_started_on", "")
    follow(frank, "button[type=submit]")  # no partner, no start: the errors, then put right
    expect(frank.locator(".govuk-error-summary")).to_be_focused()
    expect(frank.locator(".govuk-error-summary")).to_contain_text("Enter the partner organisation")
    assert_accessible(frank)
    type_into(frank, "#id_partner_name", "Leeds Women's Centre")
    type_into(frank, "#id_purpose", "Support for women visiting partners in the prison")
    tab_to(frank, f"input[name=groups][value='{women.pk}']")
    press(frank, "Space")
    type_into(frank, "#id_started_on", "1/5/2007")
    follow(frank, "button[type=submit]")
    expect(frank.locator(".govuk-notification-banner--success")).to_contain_text("The link is saved")
    expect(frank.locator(".govuk-summary-card__title")).to_contain_text("Covered")
    assert_accessible(frank)
    link = Link.objects.get(partner_name="Leeds Women's Centre")
    assert list(link.groups.all()) == [women]
    assert link.started_on == datetime.date(2007, 5, 1)

    follow(frank, f"a[href='/engagement/links/{link.pk}/']")
    assert_accessible(frank)
    skip_to_main_content(frank)
    follow(frank, f"a[href='/engagement/links/{link.pk}/review/']")
    assert_accessible(frank)
    type_into(frank, "#id_notes", "First review: well used.")
    follow(frank, "button[type=submit]")
    expect(frank.locator(".govuk-notification-banner--success")).to_contain_text("The review is recorded")
    expect(frank.get_by_text("First review: well used.")).to_be_visible()
    assert_accessible(frank)
    assert link.reviews.get().notes == "First review: well used."
