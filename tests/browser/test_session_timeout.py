"""Frank is warned before his session ends, and stays signed in without losing what he has typed.

The session is made to last 305 seconds, so the warning (five minutes, 300 seconds, before the end)
shows about five seconds after the page loads. He has typed a figure on a pathway page and not
saved it; "Stay signed in" sends the warning's form without leaving the page, so the figure is
still there, and the session's time starts again (so the warning comes back five seconds later).
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone
from playwright.sync_api import Page, expect

from stepchange.returns import services
from stepchange.returns.models import PrisonReturn, ReturnKind
from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import year_0607
from tests.personas import PASSWORD, Cast

AGE = 305


@pytest.fixture
def short_sessions(settings: Any) -> None:
    settings.SESSION_COOKIE_AGE = AGE


@pytest.mark.django_db(transaction=True)
def test_frank_is_warned_and_stays_signed_in_keeping_what_he_typed(
    live_server: Any, page: Page, transactional_db: None, cast: Cast, short_sessions: None
) -> None:
    today = datetime.date.today()
    the_round = services.round_open(
        actor=cast.grace,
        region=cast.region,
        kind=ReturnKind.PRISON,
        year=year_0607(),
        quarter=1,
        commissioners=[cast.leeds],
        opens_on=today,
        deadline=today + datetime.timedelta(days=30),
    )
    prison_return = PrisonReturn.objects.get(round=the_round)
    sign_in(page, live_server.url, "frank", PASSWORD)
    page.goto(f"{live_server.url}/returns/prison/{prison_return.pk}/pathways/health/")
    notice = page.locator('[data-module="app-session-timeout"]')
    expect(notice).to_be_hidden()
    page.locator("#id_services_running").fill("5")

    expect(notice).to_be_visible()
    expect(notice).to_be_focused()
    expect(notice).to_have_attribute("role", "alert")
    expect(notice).to_contain_text("You will be signed out in 5 minutes if you do nothing.")
    assert_accessible(page)

    before = Session.objects.get().expire_date
    notice.get_by_role("button", name="Stay signed in").click()
    expect(notice).to_be_hidden()
    # The page was not left: what Frank typed is still there, and his session has its time again.
    expect(page.locator("#id_services_running")).to_have_value("5")
    assert page.url.endswith("/pathways/health/")
    renewed = Session.objects.get().expire_date
    assert renewed > before
    assert (renewed - timezone.now()).total_seconds() > AGE - 30
    # And the warning is set again for the session's new end.
    expect(notice).to_be_visible()
