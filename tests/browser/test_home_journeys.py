"""From the home page to a task with the keyboard alone, no address typed: Alice, the regional
commissioner, to a probation return waiting for her review; Dave, a provider, to his partnership's
bid in progress; each page checked with axe. Sign out, in the service navigation, takes focus
visibly like the navigation's links."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from stepchange.returns import services as returns_services
from stepchange.returns.models import ProbationReturn
from tests.browser.conftest import assert_accessible, sign_in
from tests.browser.keyboard import follow, skip_to_main_content, tab_to
from tests.commissioning.world import build_tender
from tests.factories import open_q1
from tests.personas import PASSWORD, Cast


@pytest.mark.django_db(transaction=True)
def test_alice_goes_from_home_to_the_return_waiting_for_her_review(
    live_server, page: Page, transactional_db: None, cast: Cast
) -> None:
    probation = ProbationReturn.objects.get(round=open_q1(cast), commissioner=cast.sypa)
    returns_services.return_submit(actor=cast.bob, the_return=probation, expected_version=probation.version)
    sign_in(page, live_server.url, "alice", PASSWORD)
    page.goto(live_server.url + "/")
    review = page.locator("#todo-returns-review")
    expect(review).to_contain_text("South Yorkshire Probation Area: Probation returns 2006-07 Q1")
    expect(page.locator("#todo-returns-overdue")).to_contain_text("No return is overdue.")
    assert_accessible(page)

    skip_to_main_content(page)
    follow(page, f"#todo-returns-review a[href='/returns/probation/{probation.pk}/']")
    assert page.url.endswith(f"/returns/probation/{probation.pk}/")
    expect(page.get_by_role("link", name="Approve")).to_be_visible()
    assert_accessible(page)

    # Back home through the service navigation, and Sign out is reached there like its links.
    follow(page, ".govuk-service-navigation__list a[href='/']")
    tab_to(page, ".govuk-service-navigation__list button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator(".govuk-phase-banner").get_by_role("link", name="Sign in")).to_be_visible()


@pytest.mark.django_db(transaction=True)
def test_dave_goes_from_home_to_his_bid_in_progress(
    live_server, page: Page, transactional_db: None, cast: Cast
) -> None:
    tender = build_tender(cast)
    sign_in(page, live_server.url, "dave", PASSWORD)
    page.goto(live_server.url + "/")
    bids = page.locator("#todo-bids")
    expect(bids).to_contain_text("Acorn Women's Partnership: Women's services, stage 1 (Outline)")
    expect(bids).to_contain_text("Submitted")
    assert_accessible(page)

    skip_to_main_content(page)
    url = f"/opportunities/partnerships/{tender.partnership.pk}/stages/1/bid/"
    follow(page, f"#todo-bids a[href='{url}']")
    assert page.url.endswith(url)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_accessible(page)
