"""Frank, HMP Leeds's VCS co-ordinator, fills his quarterly return from the spreadsheet template in
Chromium; Grace, the area office analyst, approves it and sees the regional report change.

Frank downloads the template from his return's page and fills it in (here, with openpyxl, as Excel
would): every pathway, Accommodation 3 running, 1 started, 0 ended, £1,500, delivered by Acorn
Housing Trust; Health £300 of spend but no services (a warning, which he confirms with a reason);
the other five pathways (of the seven asked of prisons) 2 running, nothing started or ended; a full-time co-ordinator post. His
first upload has one mistake (Accommodation: 4 started of 3 running), so nothing is saved and the
error summary says so; he corrects the file and uploads it again, confirms the warning and submits.

The prison-provision report for 2006-07 counts approved returns only. Before Grace approves:
no row for HMP Leeds and "Missing 1 of 1 returns". After: HMP Leeds's Accommodation row shows 3
running in Q1; the region's Q1 total is 3 + 0 (Health) + 5 × 2 = 13 services running, 1 new service
started (Accommodation's) and 1 full-time co-ordinator post.
"""

from __future__ import annotations

import datetime
import re
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from playwright.sync_api import Page, expect

from stepchange.returns import services
from stepchange.returns.models import PrisonReturn, ReturnKind, Status
from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import year_0607
from tests.personas import PASSWORD, Cast
from tests.returns.workbooks import add_rows, fill_every_pathway, set_figures

ACCOMMODATION = "Accommodation"

# The cells of one row of the report's main table, found by the establishment and pathway it names.
_ROW_JS = """
([name, pathway]) => {
  const table = document.querySelector("table.app-report-table");
  const headers = [...table.querySelectorAll("thead th")].map((th) => th.innerText.trim());
  const row = [...table.querySelectorAll("tbody tr")].find((tr) => {
    const cells = [...tr.children].map((c) => c.innerText.trim());
    return cells[0] === name && cells.includes(pathway);
  });
  if (!row) return null;
  return Object.fromEntries(headers.map((h, i) => [h, row.children[i].innerText.trim()]));
}
"""


@pytest.fixture
def leeds_return(transactional_db: None, cast: Cast) -> PrisonReturn:
    # The round is open now (the live server runs on today's date), so the return is not late.
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
    return PrisonReturn.objects.get(round=the_round)


def upload_file(page: Page, path: Path) -> None:
    page.set_input_files("#file", str(path))
    with page.expect_navigation():
        page.get_by_role("button", name="Upload and check").click()


def report_row(page: Page, name: str, pathway: str) -> dict[str, str] | None:
    row: dict[str, str] | None = page.evaluate(_ROW_JS, [name, pathway])
    return row


@pytest.mark.django_db(transaction=True)
def test_frank_fills_his_return_from_the_template_and_grace_approves_it(
    live_server: Any, page: Page, cast: Cast, leeds_return: PrisonReturn, tmp_path: Path
) -> None:
    return_url = f"{live_server.url}/returns/prison/{leeds_return.pk}/"
    sign_in(page, live_server.url, "frank", PASSWORD)
    page.goto(return_url)
    expect(page.get_by_role("heading", level=1)).to_have_text("HMP Leeds 2006-07 Q1")
    assert_accessible(page)

    # The template, from the return's page.
    with page.expect_download() as download:
        page.get_by_role("link", name="download the Excel template").click()
    assert download.value.suggested_filename == "prison-return-LEEDS-2006-07-Q1.xlsx"
    downloaded = tmp_path / download.value.suggested_filename
    download.value.save_as(downloaded)
    workbook = openpyxl.load_workbook(downloaded)
    fill_every_pathway(workbook, running=2)
    set_figures(workbook, ACCOMMODATION, 3, 4, 0, 1500)  # the mistake: 4 started of 3 running
    set_figures(workbook, "Health", 0, 0, 0, 300)
    add_rows(workbook, "Delivery", (ACCOMMODATION, "Acorn Housing Trust"))
    add_rows(workbook, "Organisations", ("Acorn Housing Trust", None))
    workbook["Establishment"]["B2"] = "Full time"
    filled = tmp_path / "leeds-q1.xlsx"
    workbook.save(filled)

    # The upload page, and the first upload: refused, nothing saved.
    page.get_by_role("link", name="Upload the completed spreadsheet").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Upload a spreadsheet")
    assert_accessible(page)
    upload_file(page, filled)
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("The file leeds-q1.xlsx has 1 problem, so nothing from it was saved.")
    expect(summary).to_contain_text("1 pathway with more services started than running")
    assert page.title().startswith("Error: ")
    problem = page.locator("#problems tbody tr")
    expect(problem).to_have_count(1)
    expect(problem).to_contain_text("Lines")
    expect(problem).to_contain_text("C (Services started)")
    expect(problem).to_contain_text("“4”")
    expect(problem).to_contain_text("At most the services running (3)")
    assert_accessible(page)
    # The summary's link takes focus to the file input.
    summary.get_by_role("link").first.click()
    expect(page.locator("#file")).to_be_focused()
    assert not leeds_return.lines.exists()

    # Corrected and uploaded again: saved, and on to check the answers.
    set_figures(workbook, ACCOMMODATION, 3, 1, 0, 1500)
    workbook.save(filled)
    upload_file(page, filled)
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "The figures in leeds-q1.xlsx are saved in your draft"
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers before submitting")
    assert_accessible(page)
    warning = page.get_by_label("Health: spend is reported but no services are running.")
    warning.fill("A mentoring scheme paid for this quarter that starts in July")
    page.get_by_role("button", name="Submit the return").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Your return is submitted for approval."
    )
    expect(page.locator(".govuk-summary-list")).to_contain_text("Submitted")
    expect(page.locator("table").last).to_contain_text("Figures uploaded from a spreadsheet")
    assert_accessible(page)
    leeds_return.refresh_from_db()
    assert leeds_return.status == Status.SUBMITTED

    # Grace: the report does not count the return yet.
    page.context.clear_cookies()
    sign_in(page, live_server.url, "grace", PASSWORD)
    report_url = f"{live_server.url}/reports/prison-provision/?year=2006-07"
    page.goto(report_url)
    expect(page.locator("main")).to_contain_text("Missing 1 of 1 returns (not yet approved): HMP Leeds Q1.")
    assert report_row(page, "HMP Leeds", ACCOMMODATION) is None
    assert_accessible(page)

    # She approves it from the return's page.
    page.goto(return_url)
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("link", name="Approve", exact=True).click()
    assert_accessible(page)
    page.get_by_role("button", name="Approve the return").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("The return is approved")

    # And the regional report has the uploaded figures.
    page.goto(report_url)
    expect(page.locator("main")).to_contain_text("All 1 returns asked for are approved.")
    row = report_row(page, "HMP Leeds", ACCOMMODATION)
    assert row is not None
    assert row["Services running 2006-07 Q1"] == "3"
    assert row["New services started in the period"] == "1"
    health = report_row(page, "HMP Leeds", "Health")
    assert health is not None and health["Services running 2006-07 Q1"] == "0"
    totals = page.locator("main").inner_text()
    # 3 (Accommodation) + 0 (Health) + 5 × 2 (the other pathways) = 13; one new service started.
    assert re.search(r"Services running in the region, 2006-07 Q1\s+13\n", totals)
    assert re.search(r"New services started\s+1\n", totals)
    assert re.search(r"Full-time co-ordinator posts\s+1\n", totals)
    assert_accessible(page)
