"""Quentin subscribes to Yorkshire and Humberside's bulletin with the keyboard alone, past a
mistake first (no kind of news ticked), and confirms from the e-mail's link; Alice, the regional
commissioner, drafts the next digest, writes its introduction and sends it, also with the
keyboard. Every page passes axe."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from stepchange.bulletins.models import Bulletin, Delivery, Subscriber
from tests.browser.conftest import assert_accessible, sign_in
from tests.browser.keyboard import follow, press, skip_to_main_content, tab_to, type_into
from tests.factories import OpportunityFactory
from tests.personas import PASSWORD, Cast


@pytest.mark.django_db(transaction=True)
def test_quentin_subscribes_and_alice_sends_the_digest_with_the_keyboard(
    live_server, page: Page, transactional_db: None, cast: Cast, smtp
) -> None:
    OpportunityFactory.create(commissioner=cast.sypa, title="Housing advice", pathways=["accommodation"])
    page.goto(f"{live_server.url}/bulletins/YH/")
    assert_accessible(page)
    skip_to_main_content(page)
    follow(page, "a[href='/bulletins/YH/subscribe/']")
    assert_accessible(page)

    type_into(page, "#id_email", "quentin@example.org")
    follow(page, "button[type=submit]")
    expect(page.locator(".govuk-error-summary")).to_be_focused()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose at least one kind of news")
    assert_accessible(page)

    tab_to(page, "#id_kinds_0")
    press(page, "Space")
    tab_to(page, "input[name=pathways][value=accommodation]")
    press(page, "Space")
    follow(page, "button[type=submit]")
    expect(page.locator("h1")).to_have_text("Check your email")
    assert_accessible(page)

    [mail] = smtp.to("quentin@example.org")
    found = re.search(r"http://localhost:8000(/bulletins/confirm/\S+)", smtp.body(mail))
    assert found
    page.goto(live_server.url + found.group(1))
    assert_accessible(page)
    skip_to_main_content(page)
    follow(page, "button[type=submit]")
    expect(page.locator(".govuk-panel__title")).to_have_text("You are subscribed")
    assert Subscriber.objects.get(email="quentin@example.org").is_active

    sign_in(page, live_server.url, "alice", PASSWORD)
    page.goto(f"{live_server.url}/bulletins/YH/")
    skip_to_main_content(page)
    follow(page, "a[href='/bulletins/YH/team/']")
    expect(page.locator("main")).to_contain_text("1 confirmed subscriber.")
    assert_accessible(page)
    skip_to_main_content(page)
    follow(page, "button[type=submit]")
    expect(page.locator("main")).to_contain_text("Housing advice")
    assert_accessible(page)

    type_into(page, "#id_intro", "One new tender this week.")
    follow(page, "button[type=submit]")
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("The digest is saved.")
    follow(page, "form[action$='/send/'] button")
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "The digest is being sent to 1 subscriber."
    )
    assert_accessible(page)
    digest = Bulletin.objects.get()
    assert digest.intro == "One new tender this week."
    assert Delivery.objects.filter(bulletin=digest, subscriber__email="quentin@example.org").count() == 1

    # The digest is in the archive; Quentin's own pages (from his messages' links) pass axe too.
    page.goto(f"{live_server.url}/bulletins/YH/")
    skip_to_main_content(page)
    follow(page, f"a[href='/bulletins/YH/{digest.pk}/']")
    expect(page.locator("main")).to_contain_text("One new tender this week.")
    assert_accessible(page)
    quentin = Subscriber.objects.get(email="quentin@example.org")
    page.goto(f"{live_server.url}/bulletins/subscription/{quentin.token}/")
    expect(page.locator("input[name=pathways][value=accommodation]")).to_be_checked()
    assert_accessible(page)
    skip_to_main_content(page)
    follow(page, f"a[href='/bulletins/subscription/{quentin.token}/unsubscribe/']")
    assert_accessible(page)
    skip_to_main_content(page)
    follow(page, "button[type=submit]")
    expect(page.locator(".govuk-panel__title")).to_have_text("You have unsubscribed")
    assert_accessible(page)
    quentin.refresh_from_db()
    assert quentin.unsubscribed_at is not None
