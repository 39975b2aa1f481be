"""Bob, South Yorkshire's probation contracts manager, fills his area's return from its spreadsheet
template in Chromium: every page of the route passes axe, and the upload is done with the keyboard.

The return lists one live contract, Housing advice at £10,000. Bob's first file corrects it to
£12,500.50 but gives a contract he adds a sector not in the list ("Charity"): nothing is saved and
the error summary and the table name the problem. He corrects the sector and uploads again: the
contract is corrected (spend corrected, £12,500.50) and the new one is added (£7,500, VCS).
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from playwright.sync_api import Page, expect

from stepchange.returns import services
from stepchange.returns.models import ProbationReturn, ReturnKind
from tests.browser.conftest import assert_accessible, sign_in
from tests.browser.keyboard import tab_to
from tests.factories import ContractFactory, year_0607
from tests.personas import PASSWORD, Cast


@pytest.fixture
def sypa_return(transactional_db: None, cast: Cast) -> ProbationReturn:
    ContractFactory.create(
        reference="SY-001",
        title="Housing advice",
        commissioner=cast.sypa,
        prime=cast.charity,
        annual_value=Decimal("10000.00"),
        start=datetime.date(2006, 4, 1),
    )
    today = datetime.date.today()
    the_round = services.round_open(
        actor=cast.alice,
        region=cast.region,
        kind=ReturnKind.PROBATION,
        year=year_0607(),
        quarter=1,
        commissioners=[cast.sypa],
        opens_on=today,
        deadline=today + datetime.timedelta(days=30),
    )
    return ProbationReturn.objects.get(round=the_round)


def upload_with_the_keyboard(page: Page, path: Path) -> None:
    page.set_input_files("#file", str(path))
    page.focus("#file")
    tab_to(page, "form button.govuk-button")
    with page.expect_navigation():
        page.keyboard.press("Enter")


@pytest.mark.django_db(transaction=True)
def test_bob_fills_his_probation_return_from_the_template(
    live_server: Any, page: Page, cast: Cast, sypa_return: ProbationReturn, tmp_path: Path
) -> None:
    sign_in(page, live_server.url, "bob", PASSWORD)
    page.goto(f"{live_server.url}/returns/probation/{sypa_return.pk}/")
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="download the Excel template").click()
    assert download.value.suggested_filename == "probation-return-SYPA-2006-07-Q1.xlsx"
    downloaded = tmp_path / download.value.suggested_filename
    download.value.save_as(downloaded)
    workbook = openpyxl.load_workbook(downloaded)
    sheet = workbook["Contracts"]
    assert sheet["B2"].value == "SY-001 Housing advice"
    sheet["F2"] = 12500.5
    for column, value in zip(
        "BCDEF", ("Hope Trust hostel", "Charity", "Main grant", "Accommodation", 7500), strict=True
    ):
        sheet[f"{column}3"] = value
    filled = tmp_path / "sypa-q1.xlsx"
    workbook.save(filled)

    page.get_by_role("link", name="Upload the completed spreadsheet").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Upload a spreadsheet")
    assert_accessible(page)
    upload_with_the_keyboard(page, filled)
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("The file sypa-q1.xlsx has 1 problem, so nothing from it was saved.")
    expect(summary).to_contain_text("1 value that is not in its list")
    problem = page.locator("#problems tbody tr")
    expect(problem).to_have_count(1)
    expect(problem).to_contain_text("C (Sector)")
    expect(problem).to_contain_text("“Charity”")
    assert_accessible(page)
    assert sypa_return.lines.get().annual_value == Decimal("10000.00")

    sheet["C3"] = "Voluntary and community"
    workbook.save(filled)
    upload_with_the_keyboard(page, filled)
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "The contracts in sypa-q1.xlsx are saved in your draft"
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers before submitting")
    assert_accessible(page)
    assert [(line.title, line.annual_value, line.change, line.sector) for line in sypa_return.lines.all()] == [
        ("Hope Trust hostel", Decimal("7500.00"), "new", "vcs"),
        ("SY-001 Housing advice", Decimal("12500.50"), "corrected", ""),
    ]
