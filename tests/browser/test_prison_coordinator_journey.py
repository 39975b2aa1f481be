"""Frank, HMP Leeds's VCS co-ordinator, fills in the Accommodation pathway of his open quarterly
return through the web forms with the keyboard alone: from his returns to the return's task list,
into the pathway, past a mistake first (5 services started of 3 running), to check-your-answers,
and submitted. The other eight pathways and the co-ordinator post are already in his draft (saved
through the services), so Accommodation is the one task left.
"""

from __future__ import annotations

import datetime

import pytest
from playwright.sync_api import Page, expect

from stepchange.core.models import Pathway
from stepchange.returns import services
from stepchange.returns.models import CoordinatorPost, PrisonReturn, ReturnKind, Status
from tests.browser.conftest import assert_accessible, sign_in
from tests.browser.keyboard import follow, press, skip_to_main_content, tab_to, type_into
from tests.personas import PASSWORD, Cast
from tests.returns.conftest import year_0607


@pytest.fixture
def leeds_return(reference_data: None, cast: Cast) -> PrisonReturn:
    """Open today (the live server runs on today's date); every pathway but Accommodation saved."""
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
    the_return = PrisonReturn.objects.get(round=the_round)
    for pathway in Pathway.objects.filter(applies_to_prisons=True).exclude(code="accommodation").order_by("order"):
        the_return.refresh_from_db()
        services.prison_line_save(
            actor=cast.frank,
            prison_return=the_return,
            expected_version=the_return.version,
            pathway=pathway,
            organisations=[],
            proposed=[],
            services_running=2,
            services_started=0,
            services_ended=0,
            spend=None,
        )
    the_return.refresh_from_db()
    services.coordinator_post_save(
        actor=cast.frank,
        prison_return=the_return,
        expected_version=the_return.version,
        post=CoordinatorPost.FULL_TIME,
        fte=None,
    )
    the_return.refresh_from_db()
    return the_return


@pytest.mark.django_db(transaction=True)
def test_frank_fills_in_a_pathway_and_submits_his_return_with_the_keyboard(
    live_server, page: Page, cast: Cast, leeds_return: PrisonReturn
) -> None:
    pk = leeds_return.pk
    sign_in(page, live_server.url, "frank", PASSWORD)

    # Returns, from the service navigation (before the skip link's target, so Tab from the top).
    follow(page, ".govuk-service-navigation__list a[href='/returns/']")
    assert_accessible(page)
    skip_to_main_content(page)
    follow(page, f"a[href='/returns/prison/{pk}/']")
    expect(page.get_by_role("heading", level=1)).to_have_text("HMP Leeds 2006-07 Q1")
    expect(page.locator("#task-1-status")).to_have_text("Not started")
    assert_accessible(page)

    # Accommodation, the one task left, with more services started than running.
    skip_to_main_content(page)
    follow(page, f"a[href='/returns/prison/{pk}/pathways/accommodation/']")
    expect(page.get_by_role("heading", level=1)).to_have_text("Accommodation")
    assert_accessible(page)
    skip_to_main_content(page)
    tab_to(page, "#id_organisations_0")  # Acorn Housing Trust, the region's VCS organisation
    page.keyboard.press("Space")
    type_into(page, "#id_services_running", "3")
    type_into(page, "#id_services_started", "5")
    type_into(page, "#id_services_ended", "0")
    type_into(page, "#id_spend", "1500")
    follow(page, "button[type=submit]")

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Services started cannot be more than services running")
    expect(page.locator("#id_services_started-error")).to_contain_text("cannot be more than services running")
    assert page.title().startswith("Error: ")
    assert_accessible(page)
    # What Frank got right is still there.
    expect(page.locator("#id_organisations_0")).to_be_checked()
    expect(page.locator("#id_services_running")).to_have_value("3")

    # The summary's link takes him to the field; he corrects it and saves.
    press(page, "Tab")
    page.keyboard.press("Enter")
    expect(page.locator("#id_services_started")).to_be_focused()
    page.keyboard.press("Control+A")
    page.keyboard.type("1")
    follow(page, "button[type=submit]")

    # Saved, he is taken on to the next pathway; back to the task list, then check and submit.
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Accommodation is saved")
    assert_accessible(page)
    follow(page, "a.govuk-back-link")
    expect(page.locator("#task-1-status")).to_have_text("Completed")
    skip_to_main_content(page)
    follow(page, f"a[href='/returns/prison/{pk}/check/']")
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers before submitting")
    accommodation = page.locator(".govuk-summary-list__row", has_text="Accommodation")
    expect(accommodation).to_contain_text("3 running, 1 started, 0 ended; spend £1,500.00")
    expect(accommodation).to_contain_text("Delivered by Acorn Housing Trust")
    assert_accessible(page)
    skip_to_main_content(page)
    follow(page, "button[type=submit]")

    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Your return is submitted for approval."
    )
    assert_accessible(page)
    leeds_return.refresh_from_db()
    assert leeds_return.status == Status.SUBMITTED
    assert leeds_return.submitted_by == cast.frank
