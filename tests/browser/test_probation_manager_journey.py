"""Bob, South Yorkshire's probation contracts manager, adds a contract with the keyboard alone and
watches his area's share of main grant move, on the dashboard and on the report.

South Yorkshire's final main grant for 2006-07 is £2,000,000 and the probation target is 5%.
Returns were made on 1 April and 1 October 2006, so the figures are at 1 October with 1 April as
the baseline. One contract is live from 1 April: £30,000 with Beacon Services Ltd (private).

Before:  counted spend £30,000;  share = 30,000 / 2,000,000 × 100 = 1.5%;  baseline 1.5%, change 0.0
         target £ = 5% × 2,000,000 = £100,000;  gap = 100,000 − 30,000 = £70,000
Bob adds £20,000 a year with Acorn Housing Trust (VCS), main grant, from 1 June 2006 (open-ended):
After:   counted spend 30,000 + 20,000 = £50,000;  share = 50,000 / 2,000,000 × 100 = 2.5%
         (a move of exactly 20,000 / 2,000,000 × 100 = 1.0 point); the baseline stays 1.5% because
         the new contract was not live on 1 April, so the change is +1.0;  gap = 100,000 − 50,000 = £50,000
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_accessible, sign_in
from tests.browser.keyboard import follow, press, skip_to_main_content, tab_to, type_into
from tests.factories import ContractFactory, MainGrantFactory, ProbationReturnFactory, TargetFactory
from tests.personas import PASSWORD, Cast

SYPA = "South Yorkshire Probation Area"

# Header → text of one row of the report's main table, found by its row header, as a sighted reader
# sees it (without the visually hidden words a screen reader also hears on a figure's link).
_ROW_JS = """
(name) => {
  const table = document.querySelector("table.app-report-table");
  const headers = [...table.querySelectorAll("thead th")].map((th) => th.innerText.trim());
  const row = [...table.querySelectorAll("tbody tr")].find((tr) => tr.querySelector("th").innerText.trim() === name);
  if (!row) return null;
  const seen = (cell) => {
    const copy = cell.cloneNode(true);
    copy.querySelectorAll(".govuk-visually-hidden").forEach((hidden) => hidden.remove());
    return copy.textContent.trim();
  };
  const cells = [...row.children].map(seen);
  return Object.fromEntries(headers.map((h, i) => [h, cells[i]]));
}
"""


def report_row(page: Page, name: str) -> dict[str, str]:
    row = page.evaluate(_ROW_JS, name)
    assert row is not None, f"no row for {name} on {page.url}"
    return row


@pytest.fixture
def south_yorkshire(transactional_db: None, cast: Cast) -> Cast:
    MainGrantFactory.create(commissioner=cast.sypa, final=Decimal("2000000"))
    TargetFactory.create(percentage=Decimal("5"))
    ContractFactory.create(
        reference="SYPA-0001",
        commissioner=cast.sypa,
        prime=cast.company,
        annual_value=Decimal("30000"),
        start=datetime.date(2006, 4, 1),
    )
    ProbationReturnFactory.create(commissioner=cast.sypa, as_at=datetime.date(2006, 4, 1))
    ProbationReturnFactory.create(commissioner=cast.sypa, as_at=datetime.date(2006, 10, 1))
    return cast


def dashboard_figures(page: Page) -> dict[str, str]:
    return {
        key: page.locator(f"#own-area-{key}").inner_text()
        for key in ("share", "target-pct", "target-amount", "counted-spend", "gap")
    }


def go_home(page: Page) -> None:
    """Back up the page with Shift+Tab to the service navigation's Home link, and follow it."""
    follow(page, ".govuk-service-navigation__list a[href='/']", backwards=True)


@pytest.mark.django_db(transaction=True)
def test_bob_adds_a_contract_with_the_keyboard_and_sees_his_share_move(
    live_server, page: Page, south_yorkshire: Cast
) -> None:
    sign_in(page, live_server.url, "bob", PASSWORD)

    # The dashboard: South Yorkshire at 1 October 2006, before.
    expect(page.locator("#own-area")).to_contain_text(f"{SYPA} at 1 October 2006")
    assert dashboard_figures(page) == {
        "share": "1.5%",
        "target-pct": "5.0% of main grant",
        "target-amount": "£100,000",
        "counted-spend": "£30,000",
        "gap": "£70,000",
    }
    assert_accessible(page)

    # The report, reached from the dashboard's own link.
    skip_to_main_content(page)
    follow(page, "a[href^='/reports/probation-share/']")
    assert page.url.startswith(live_server.url + "/reports/probation-share/")
    assert report_row(page, SYPA) == {
        "Probation area": SYPA,
        "Main grant": "£2,000,000",
        "Counted spend": "£30,000",
        "Share of main grant": "1.5%",
        "Share at baseline": "1.50%",
        "Change (points)": "0.00",
        "VCS contracts": "0",
        "Private contracts": "1",
        "VCS value": "£0",
        "Private value": "£30,000",
        "Target": "5.0%",
        "Target spend": "£100,000",
        "Gap to target": "£70,000",
    }
    assert_accessible(page)
    # The report's form, downloads and the table (a scrollable region, so focusable) show focus.
    skip_to_main_content(page)
    tab_to(page, ".app-table-scroll")

    # Contracts, back up to the service navigation, then "Add a contract" (a link styled as a button).
    follow(page, ".govuk-service-navigation__list a[href='/contracts/']", backwards=True)
    skip_to_main_content(page)
    follow(page, "a[href='/contracts/new/']")
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a contract")
    assert_accessible(page)

    # The form, with the keyboard: a wrong end date first (before the start).
    skip_to_main_content(page)
    type_into(page, "#id_reference", "SYPA-0456")
    type_into(page, "#id_title", "Housing advice in Sheffield")
    # Bob manages one area only, so it is chosen for him.
    tab_to(page, "#id_commissioner")
    assert page.locator("#id_commissioner option:checked").inner_text() == SYPA
    tab_to(page, "#id_prime")
    page.keyboard.type("Acorn")
    assert page.locator("#id_prime option:checked").inner_text() == "Acorn Housing Trust"
    tab_to(page, "#id_pathways_0")  # Accommodation, the first pathway
    page.keyboard.press("Space")
    type_into(page, "#id_annual_value", "20,000")
    type_into(page, "#id_start", "1/6/2006")
    type_into(page, "#id_end", "1/5/2006")
    tab_to(page, "#id_funding_source_0")  # Main grant, the first funding source
    page.keyboard.press("Space")
    assert page.locator("#id_kind option:checked").inner_text() == "Contract"
    follow(page, "button[type=submit]")

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("The end date must be the same as or after the start date")
    expect(page.locator("#id_end-error")).to_have_text(
        "Error: The end date must be the same as or after the start date"
    )
    assert page.title().startswith("Error: ")
    assert_accessible(page)
    # Nothing was saved, and everything Bob typed is still there.
    expect(page.locator("#id_reference")).to_have_value("SYPA-0456")
    expect(page.locator("#id_pathways_0")).to_be_checked()
    expect(page.locator("#id_funding_source_0")).to_be_checked()

    # The summary's link takes focus to the field at fault; Bob corrects it and saves.
    press(page, "Tab")
    page.keyboard.press("Enter")
    expect(page.locator("#id_end")).to_be_focused()
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    expect(page.locator("#id_end")).to_have_value("")
    follow(page, "button[type=submit]")
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Contract SYPA-0456 added")

    # The dashboard, after: the share moves by exactly one point.
    go_home(page)
    assert dashboard_figures(page) == {
        "share": "2.5%",
        "target-pct": "5.0% of main grant",
        "target-amount": "£100,000",
        "counted-spend": "£50,000",
        "gap": "£50,000",
    }
    skip_to_main_content(page)
    follow(page, "a[href^='/reports/probation-share/']")
    assert report_row(page, SYPA) == {
        "Probation area": SYPA,
        "Main grant": "£2,000,000",
        "Counted spend": "£50,000",
        "Share of main grant": "2.5%",
        "Share at baseline": "1.50%",
        "Change (points)": "+1.00",
        "VCS contracts": "1",
        "Private contracts": "1",
        "VCS value": "£20,000",
        "Private value": "£30,000",
        "Target": "5.0%",
        "Target spend": "£100,000",
        "Gap to target": "£50,000",
    }
    assert_accessible(page)
