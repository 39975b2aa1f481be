"""A region set up from nothing, through the pages, with the keyboard alone, every page checked by
axe-core: Nadia, the national administrator, adds the East Midlands and invites its first regional
commissioner, Emma; Emma chooses her password, signs in, and adds the region's probation area,
prison and regional team, invites the probation area's contracts manager and records its main
grant, indicative then final.

The invitations travel through a real SMTP server on 127.0.0.1.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from stepchange.contracts.models import MainGrant
from stepchange.core.models import Pathway, Region, pathways_asked_of_prisons
from stepchange.organisations.models import Commissioner
from tests.browser.conftest import assert_accessible, sign_in
from tests.browser.keyboard import follow, press, skip_to_main_content, tab_to, type_into
from tests.personas import PASSWORD, Cast

EMMA_CHOSE = "emma chose this for the east midlands"


def pick(page: Page, selector: str, label: str) -> None:
    """Reach a select with the keyboard, then choose the option by its label."""
    tab_to(page, selector)
    expect(page.locator(selector)).to_be_focused()
    page.select_option(selector, label=label)


def saved(page: Page, text: str) -> None:
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(text)
    assert_accessible(page)


def add_commissioner(page: Page, kind: str, name: str, code: str, *, operator: str | None = None) -> None:
    follow(page, f"a[href='/manage/commissioners/new/{kind}/']")
    assert_accessible(page)
    skip_to_main_content(page)
    type_into(page, "#id_name", name)
    type_into(page, "#id_code", code)
    if operator is not None:
        tab_to(page, f"input[name=operator][value={operator}]")
        page.keyboard.press("Space")
        expect(page.locator(f"input[name=operator][value={operator}]")).to_be_checked()
        pick(page, "#id_establishment_type", "Local")
    follow(page, "button[type=submit]")


@pytest.mark.django_db(transaction=True)
def test_nadia_then_emma_set_up_the_east_midlands_with_the_keyboard(
    live_server, page: Page, browser: Browser, transactional_db: None, cast: Cast, smtp
) -> None:
    # Nadia adds the region.
    sign_in(page, live_server.url, "nadia", PASSWORD)
    page.goto(f"{live_server.url}/manage/")
    assert_accessible(page)
    skip_to_main_content(page)
    follow(page, "a[href='/manage/service-regions/']")
    expect(page.get_by_role("heading", level=1)).to_have_text("Regions on the service")
    assert_accessible(page)
    skip_to_main_content(page)
    follow(page, "a[href='/manage/service-regions/new/']")
    assert_accessible(page)
    skip_to_main_content(page)
    type_into(page, "#id_code", "EM")
    type_into(page, "#id_name", "Yorkshire and Humberside")
    follow(page, "button[type=submit]")
    # A name already on the service is refused, with the error summary taking focus.
    expect(page.locator(".govuk-error-summary")).to_contain_text("Yorkshire and Humberside is already on the service")
    assert page.title().startswith("Error: ")
    assert_accessible(page)
    type_into(page, "#id_name", "East Midlands")
    follow(page, "button[type=submit]")
    saved(page, "Invite its first regional commissioner next")
    region = Region.objects.get(code="EM")
    assert region.holds_contracts

    # ... and invites its first regional commissioner.
    follow(page, f"a[href='/manage/service-regions/{region.pk}/invite/']")
    expect(page.get_by_role("heading", level=1)).to_have_text("Invite the first regional commissioner of East Midlands")
    assert_accessible(page)
    skip_to_main_content(page)
    type_into(page, "#id_username", "emma")
    type_into(page, "#id_first_name", "Emma")
    type_into(page, "#id_last_name", "Hart")
    type_into(page, "#id_email", "emma@example.org")
    follow(page, "button[type=submit]")
    saved(page, "emma@example.org")
    expect(page.locator("table")).to_contain_text("Has a regional commissioner")

    # The national figures list the new region, with nothing recorded yet.
    page.goto(f"{live_server.url}/manage/national/")
    expect(page.locator("table")).to_contain_text("East Midlands")
    assert_accessible(page)

    # Emma, in her own browser, chooses her password and signs in.
    [message] = smtp.to("emma@example.org")
    link = re.search(r"https?://\S+/account/invitation/\S+", smtp.body(message))
    assert link
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    emma = context.new_page()
    emma.goto(link.group(0).replace("http://testserver", live_server.url))
    assert_accessible(emma)
    skip_to_main_content(emma)
    type_into(emma, "#id_new_password1", EMMA_CHOSE)
    type_into(emma, "#id_new_password2", EMMA_CHOSE)
    follow(emma, "button[type=submit]")
    sign_in(emma, live_server.url, "emma", EMMA_CHOSE)

    # Her region's commissioners: a probation area, a prison, the regional team.
    emma.goto(f"{live_server.url}/manage/")
    expect(emma.get_by_role("heading", level=1)).to_have_text("Manage the region")
    skip_to_main_content(emma)
    follow(emma, "a[href='/manage/commissioners/']")
    assert_accessible(emma)
    add_commissioner(emma, "probation-area", "Derbyshire Probation Area", "DPA")
    saved(emma, "A probation area has been added")
    add_commissioner(emma, "prison", "HMP Nottingham", "SYPA", operator="public")
    # SYPA is South Yorkshire's code: refused beside the field.
    expect(emma.locator(".govuk-error-summary")).to_contain_text("The code SYPA is already used")
    assert_accessible(emma)
    type_into(emma, "#id_code", "NOTT")
    follow(emma, "button[type=submit]")
    saved(emma, "A prison has been added")
    add_commissioner(emma, "regional-team", "Regional Offender Manager, East Midlands", "ROM-EM")
    saved(emma, "The regional team has been added")
    table = emma.locator("main")
    expect(table).to_contain_text("HMP Nottingham")
    expect(table).not_to_contain_text("South Yorkshire Probation Area")
    assert {c.code for c in Commissioner.objects.filter(region=region)} == {"DPA", "NOTT", "ROM-EM"}
    prison = Commissioner.objects.get(code="NOTT")
    follow(emma, f"a[href='/manage/commissioners/{prison.pk}/edit/']")
    assert_accessible(emma)
    skip_to_main_content(emma)
    # Tab reaches the checked radio of a group; the arrow keys move to (and choose) the next.
    tab_to(emma, "input[name=operator][value=public]")
    emma.keyboard.press("ArrowDown")
    expect(emma.locator("input[name=operator][value=private]")).to_be_checked()
    follow(emma, "button[type=submit]")
    saved(emma, "Prison NOTT has been changed")
    expect(emma.locator("main")).to_contain_text("Private sector")

    # The pathways its prisons are asked about: Unpaid Work as well as the national seven.
    emma.goto(f"{live_server.url}/manage/regions/")
    assert_accessible(emma)
    skip_to_main_content(emma)
    follow(emma, f"a[href='/manage/regions/{region.pk}/pathways/']")
    assert_accessible(emma)
    skip_to_main_content(emma)
    unpaid_work = Pathway.objects.get(code="unpaid-work")
    tab_to(emma, f"input[name=asked][value='{unpaid_work.pk}']")
    emma.keyboard.press("Space")
    follow(emma, "button[type=submit]")
    saved(emma, "The pathways asked of the region's prisons have been saved")
    assert "unpaid-work" in [p.code for p in pathways_asked_of_prisons(region)]

    # The probation area's contracts manager, invited from the users pages.
    emma.goto(f"{live_server.url}/manage/users/")
    assert_accessible(emma)
    skip_to_main_content(emma)
    follow(emma, "a[href='/manage/users/new/']")
    assert_accessible(emma)
    skip_to_main_content(emma)
    type_into(emma, "#id_username", "derek")
    type_into(emma, "#id_first_name", "Derek")
    type_into(emma, "#id_email", "derek@example.org")
    pick(emma, "#id_role", "Probation contracts manager")
    pick(emma, "#id_organisation", "Derbyshire Probation Area")
    follow(emma, "button[type=submit]")
    saved(emma, "derek@example.org")
    expect(emma.locator("table")).to_contain_text("Derek")
    expect(emma.locator("table")).not_to_contain_text("Alice")
    assert smtp.to("derek@example.org")

    # Its main grant for 2006-07: indicative first, final later.
    emma.goto(f"{live_server.url}/manage/grants/")
    assert_accessible(emma)
    skip_to_main_content(emma)
    follow(emma, "a[href='/manage/grants/new/']")
    assert_accessible(emma)
    skip_to_main_content(emma)
    pick(emma, "#id_commissioner", "Derbyshire Probation Area (DPA)")
    pick(emma, "#id_year", "2006-07")
    type_into(emma, "#id_indicative", "9,500,000")
    follow(emma, "button[type=submit]")
    saved(emma, "The main grant has been added")
    grant = MainGrant.objects.get(commissioner__code="DPA")
    follow(emma, f"a[href='/manage/grants/{grant.pk}/edit/']")
    assert_accessible(emma)
    skip_to_main_content(emma)
    type_into(emma, "#id_final", "9,612,000.50")
    press(emma, "Tab")
    follow(emma, "button[type=submit]")
    saved(emma, "The main grant has been changed")
    grant.refresh_from_db()
    assert str(grant.final) == "9612000.50"
    context.close()
