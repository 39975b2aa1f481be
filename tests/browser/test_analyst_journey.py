"""Grace, the area office analyst, opens HMP Leeds's submitted return and returns it for correction
with the keyboard alone: from the returns to the round, to the return, to the sign-off page. She
first presses the button without a reason; the error summary takes focus and its link takes her to
the reason, which she writes, and the return goes back to Frank with her reason on it.
"""

from __future__ import annotations

import datetime

import pytest
from playwright.sync_api import Page, expect

from stepchange.returns import services
from stepchange.returns.models import PrisonReturn, ReturnKind, Status
from tests.browser.conftest import assert_accessible, sign_in
from tests.browser.keyboard import follow, press, skip_to_main_content
from tests.factories import fill_prison_return, year_0607
from tests.personas import PASSWORD, Cast

REASON = "Accommodation shows 4 services started but only 3 running; please check the figures."


@pytest.fixture
def submitted_return(transactional_db: None, cast: Cast) -> PrisonReturn:
    """Open today (the live server runs on today's date), filled in and submitted by Frank."""
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
    the_return = fill_prison_return(
        PrisonReturn.objects.get(round=the_round), cast.frank, figures={"accommodation": (3, 1, 0, None)}
    )
    services.return_submit(actor=cast.frank, the_return=the_return, expected_version=the_return.version)
    the_return.refresh_from_db()
    assert the_return.status == Status.SUBMITTED
    return the_return


@pytest.mark.django_db(transaction=True)
def test_grace_returns_a_submitted_prison_return_for_correction_with_the_keyboard(
    live_server, page: Page, cast: Cast, submitted_return: PrisonReturn
) -> None:
    pk = submitted_return.pk
    the_round = submitted_return.round
    assert the_round is not None
    sign_in(page, live_server.url, "grace", PASSWORD)

    # Returns, from the service navigation (before the skip link's target, so Tab from the top).
    follow(page, ".govuk-service-navigation__list a[href='/returns/']")
    assert_accessible(page)
    skip_to_main_content(page)
    follow(page, f"a[href='/returns/rounds/{the_round.pk}/']")
    assert_accessible(page)
    skip_to_main_content(page)
    follow(page, f"a[href='/returns/prison/{pk}/']")
    expect(page.get_by_role("heading", level=1)).to_have_text("HMP Leeds 2006-07 Q1")
    expect(page.locator(".govuk-summary-list").first).to_contain_text("Submitted")
    assert_accessible(page)

    # Return for correction, with no reason first.
    skip_to_main_content(page)
    follow(page, f"a[href='/returns/prison/{pk}/send-back/']")
    assert_accessible(page)
    skip_to_main_content(page)
    follow(page, "button[type=submit]")

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Say what needs correcting")
    expect(page.locator("#id_reason-error")).to_contain_text("Say what needs correcting")
    expect(page.locator("#id_reason")).to_have_attribute("aria-describedby", "id_reason-error")
    assert page.title().startswith("Error: ")
    assert_accessible(page)

    # The summary's link takes her to the reason; she writes it and sends the return back.
    press(page, "Tab")
    page.keyboard.press("Enter")
    expect(page.locator("#id_reason")).to_be_focused()
    page.keyboard.type(REASON)
    follow(page, "button[type=submit]")

    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "The return has been sent back with your reason."
    )
    expect(page.locator(".govuk-inset-text")).to_contain_text(f"Returned for correction: {REASON}")
    assert_accessible(page)
    submitted_return.refresh_from_db()
    assert submitted_return.status == Status.RETURNED
    assert submitted_return.returned_reason == REASON
