"""Frank, HMP Leeds's VCS co-ordinator, fills in the Accommodation pathway of his open quarterly
return through the web forms with the keyboard alone: from his returns to the return's task list,
into the pathway, past a mistake first (5 services started of 3 running), then names the
organisations delivering (a directory search and an Add button; a proposed organisation added and
removed with its own button), to check-your-answers, and submitted. The other eight pathways and the co-ordinator post are already in his draft (saved
through the services), so Accommodation is the one task left.
"""

from __future__ import annotations

import datetime
import re

import pytest
from playwright.sync_api import Page, expect

from stepchange.core.models import Pathway
from stepchange.returns import services
from stepchange.returns.models import CoordinatorPost, PrisonReturn, ReturnKind, Status
from tests.browser.conftest import assert_accessible, sign_in
from tests.browser.keyboard import follow, press, skip_to_main_content, tab_to, type_into
from tests.factories import ContractFactory, year_0607
from tests.personas import PASSWORD, Cast


@pytest.fixture
def leeds_return(transactional_db: None, cast: Cast) -> PrisonReturn:
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
    expect(page.locator(".govuk-inset-text")).to_contain_text("Save the figures first")
    assert_accessible(page)
    skip_to_main_content(page)
    type_into(page, "#id_services_running", "3")
    type_into(page, "#id_services_started", "5")
    type_into(page, "#id_services_ended", "0")
    type_into(page, "#id_spend", "1500")
    follow(page, "button[name=then][value=organisations]")

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Services started cannot be more than services running")
    expect(page.locator("#id_services_started-error")).to_contain_text("cannot be more than services running")
    assert page.title().startswith("Error: ")
    assert_accessible(page)
    # What Frank got right is still there.
    expect(page.locator("#id_services_running")).to_have_value("3")

    # The summary's link takes him to the field; he corrects it, saves, and names the organisations.
    press(page, "Tab")
    page.keyboard.press("Enter")
    expect(page.locator("#id_services_started")).to_be_focused()
    page.keyboard.press("Control+A")
    page.keyboard.type("1")
    follow(page, "button[name=then][value=organisations]")
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Accommodation is saved")
    expect(page.locator("#organisations")).to_have_text("VCS organisations delivering on this pathway")
    assert_accessible(page)

    # He searches the directory by name and adds the one he wants with its own button.
    type_into(page, "#search-find", "acorn")
    follow(page, "#add-organisation ~ form button[type=submit]")
    results = page.locator("table", has=page.locator("form[action$='/organisations/add/?find=acorn']"))
    expect(results).to_contain_text("Acorn Housing Trust")
    assert_accessible(page)
    follow(page, "form[action$='/organisations/add/?find=acorn'] button")
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Acorn Housing Trust is added to Accommodation."
    )
    delivering = page.locator("table", has=page.locator("form[action$='/organisations/remove/?find=acorn']"))
    expect(delivering).to_contain_text("Acorn Housing Trust")
    expect(page.locator("caption", has_text="organisation named")).to_have_text("1 organisation named")

    # He proposes a group that is not in the directory, then thinks better of it and removes it.
    type_into(page, "#id_proposed_name", "Leeds Tenants Forum")
    tab_to(page, "#id_proposed_sector_0")
    page.keyboard.press("Space")
    expect(page.locator("#id_proposed_sector_0")).to_be_checked()
    follow(page, "form[action*='/proposed/add/'] button[type=submit]")
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Leeds Tenants Forum is proposed on Accommodation."
    )
    expect(page.locator("caption", has_text="proposed")).to_have_text("1 organisation proposed")
    assert_accessible(page)
    follow(page, "form[action*='/proposed/remove/'] button")
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Leeds Tenants Forum is removed from Accommodation."
    )
    expect(page.locator("#proposed ~ p").first).to_have_text(re.compile("not in the directory yet"))
    expect(page.get_by_text("None proposed.")).to_be_visible()
    assert_accessible(page)

    # Back to the task list, then check and submit.
    follow(page, "a.govuk-back-link", backwards=True)
    expect(page.locator("#task-1-status")).to_have_text("Completed")
    skip_to_main_content(page)
    follow(page, f"a[href='/returns/prison/{pk}/check/']")
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers before submitting")
    accommodation = page.locator(".govuk-summary-list__row", has_text="Accommodation")
    expect(accommodation).to_contain_text("3 running, 1 started, 0 ended; spend £1,500.00")
    expect(accommodation).to_contain_text("Delivered by Acorn Housing Trust")
    expect(accommodation).not_to_contain_text("Leeds Tenants Forum")
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


@pytest.mark.django_db(transaction=True)
def test_frank_names_an_area_wide_contract_from_a_search_with_the_keyboard(
    live_server, page: Page, cast: Cast, leeds_return: PrisonReturn
) -> None:
    """The area-wide contracts page: a search of the region's contracts, an Add button per result,
    a Remove button per contract on the return, and Save; the task list then counts them."""
    ContractFactory.create(reference="YH-RT-001", title="Resettlement advice", commissioner=cast.regional_team)
    ContractFactory.create(reference="YH-RT-002", title="Family visits", commissioner=cast.regional_team)
    pk = leeds_return.pk
    sign_in(page, live_server.url, "frank", PASSWORD)
    page.goto(f"{live_server.url}/returns/prison/{pk}/")
    skip_to_main_content(page)
    follow(page, f"a[href='/returns/prison/{pk}/contracts/']")
    expect(page.get_by_role("heading", level=1)).to_have_text("Area-wide contracts delivered in the establishment")
    assert_accessible(page)

    skip_to_main_content(page)
    type_into(page, "#search-find", "resettlement")
    follow(page, "#add-contract ~ form button[type=submit]")
    expect(page.locator("caption", has_text="not yet on the return")).to_contain_text(
        "1 contract not yet on the return"
    )
    assert_accessible(page)
    follow(page, "form[action*='/contracts/add/'] button")
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "YH-RT-001 Resettlement advice is added to the return."
    )
    expect(page.locator("caption", has_text="on the return").first).to_have_text("1 contract on the return")
    assert_accessible(page)
    follow(page, f"form[action='/returns/prison/{pk}/contracts/'] button[type=submit]")
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("The area-wide contracts are saved")
    expect(page.locator("#contracts-status")).to_have_text("Completed")
    leeds_return.refresh_from_db()
    assert [c.reference for c in leeds_return.area_contracts.all()] == ["YH-RT-001"]
