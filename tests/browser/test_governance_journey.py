"""An action plan and a meeting with the keyboard alone, every page checked with axe: Alice sets up
the plan (after the error of an empty form), adds an objective and an action linked to the region's
weighted share, notes its progress; then sets up the steering group, records a meeting, and
records a decision there that adds an action to the plan."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from playwright.sync_api import Browser, Page, expect

from stepchange.core.periods import year_containing
from stepchange.governance.models import Action, ActionPlan, Group, Meeting, ProgressNote
from tests.browser.conftest import assert_accessible, sign_in, waiting_on_a_busy_machine
from tests.browser.keyboard import follow, skip_to_main_content, tab_to, type_into
from tests.factories import ContractFactory, MainGrantFactory
from tests.personas import PASSWORD, Cast


def signed_in(browser: Browser, base_url: str, username: str) -> Page:
    page = waiting_on_a_busy_machine(browser.new_context(viewport={"width": 1280, "height": 900}).new_page())
    sign_in(page, base_url, username, PASSWORD)
    return page


def choose(page: Page, selector: str, text: str) -> None:
    """A select's option by the select's type-ahead."""
    tab_to(page, selector)
    page.keyboard.type(text)
    expect(page.locator(f"{selector} option:checked")).to_contain_text(text)


def saved(page: Page, text: str) -> None:
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(text)
    assert_accessible(page)


@pytest.mark.django_db(transaction=True)
def test_a_plan_and_a_meeting_run_with_the_keyboard(
    live_server, browser: Browser, transactional_db: None, cast: Cast
) -> None:
    # South Yorkshire: £1,000,000 with Acorn against a grant of £20,000,000 = 5.0%, the region's
    # weighted share too (West Yorkshire has no grant this year, so is left out).
    MainGrantFactory.create(
        commissioner=cast.sypa, year=year_containing(datetime.date.today()), final=Decimal("20000000.00")
    )
    ContractFactory.create(commissioner=cast.sypa, prime=cast.charity, annual_value=Decimal("1000000.00"))
    base = live_server.url
    alice = signed_in(browser, base, "alice")
    follow(alice, ".govuk-service-navigation__list a[href='/governance/']")
    assert_accessible(alice)
    follow(alice, "a[href='/governance/plans/new/']")
    skip_to_main_content(alice)
    follow(alice, "button[type=submit]")  # no title: the error, then put right
    expect(alice.locator(".govuk-error-summary")).to_be_focused()
    assert_accessible(alice)
    type_into(alice, "#id_title", "VCS pathway action plan")
    follow(alice, "button[type=submit]")
    saved(alice, "The action plan is set up")
    plan = ActionPlan.objects.get()

    follow(alice, f"a[href='/governance/plans/{plan.pk}/']")
    follow(alice, f"a[href='/governance/plans/{plan.pk}/objectives/add/']")
    assert_accessible(alice)
    type_into(alice, "#id_title", "Improve offenders' access to VCS services")
    follow(alice, "button[type=submit]")
    saved(alice, "The objective is added")
    objective = plan.objectives.get()

    follow(alice, f"a[href='/governance/plans/{plan.pk}/objectives/{objective.pk}/actions/add/']")
    assert_accessible(alice)
    type_into(alice, "#id_title", "Raise the probation share to 5%")
    type_into(alice, "#id_owner_name", "Clinks representative")
    type_into(alice, "#id_due_on", "31/3/2030")
    choose(alice, "#id_figure", "The region's share of main grant, w")
    type_into(alice, "#id_target", "5")
    follow(alice, "button[type=submit]")
    saved(alice, "The action is added")
    expect(alice.locator("main")).to_contain_text("5.0%")
    expect(alice.locator("main")).to_contain_text("Met")
    action = Action.objects.get()
    assert (action.figure, action.target) == ("region-weighted-share", Decimal("5.00"))

    follow(alice, f"a[href='/governance/actions/{action.pk}/']")
    assert_accessible(alice)
    follow(alice, f"a[href='/governance/actions/{action.pk}/progress/']")
    assert_accessible(alice)
    type_into(alice, "#id_year", "2006-07")
    choose(alice, "#id_quarter", "Q3")
    type_into(alice, "#id_text", "The areas' plans are drafted.")
    choose(alice, "#id_rag", "Green")
    follow(alice, "button[type=submit]")
    saved(alice, "The progress note is saved")
    expect(alice.locator("main")).to_contain_text("2006-07 Q3")
    note = ProgressNote.objects.get()
    assert (note.quarter_label, note.rag) == ("2006-07 Q3", "green")

    alice.goto(f"{base}/governance/")
    follow(alice, "a[href='/governance/groups/new/']")
    assert_accessible(alice)
    type_into(alice, "#id_name", "Step Change Steering Group")
    follow(alice, "button[type=submit]")
    saved(alice, "The group is set up")
    group = Group.objects.get()
    follow(alice, f"a[href='/governance/groups/{group.pk}/']")
    follow(alice, f"a[href='/governance/groups/{group.pk}/meetings/add/']")
    assert_accessible(alice)
    type_into(alice, "#id_held_on", "15/3/2007")
    type_into(alice, "#id_title", "Last Step Change meeting")
    follow(alice, "button[type=submit]")
    saved(alice, "The meeting is recorded")
    meeting = Meeting.objects.get()

    follow(alice, f"a[href='/governance/meetings/{meeting.pk}/']")
    assert_accessible(alice)
    follow(alice, f"a[href='/governance/meetings/{meeting.pk}/decisions/add/']")
    assert_accessible(alice)
    type_into(alice, "#id_text", "Fold the steering group into the VCS Pathway Action Team.")
    choose(alice, "#id_objective", "Objective 1")
    type_into(alice, "#id_title", "Re-configure the VCS Pathway Action Team")
    type_into(alice, "#id_owner_name", "Reducing re-offending manager")
    type_into(alice, "#id_due_on", "30/6/2007")
    follow(alice, "button[type=submit]")
    saved(alice, "The decision is recorded")
    expect(alice.locator("main")).to_contain_text("Action arising: Re-configure the VCS Pathway Action Team")
    arising = Action.objects.get(title="Re-configure the VCS Pathway Action Team")
    assert (arising.meeting, arising.objective) == (meeting, objective)
