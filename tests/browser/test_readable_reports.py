"""The probation share report read on a laptop (1280 px) and on a phone (390 px), on the demo.

The table has thirteen columns; the figures a reader comes for are the share, the target and the
gap. At 1280 px the table shows eight columns, Target and Gap to target among them, with no
sideways scrolling; ticking "Show all 13 columns" brings back the other five. At 390 px each area's
row stacks, each figure on a line after its column's name, so Target and Gap are on the screen
too. Both pass axe-core, and the page puts the answer (totals and chart) and the table within about
two screens, before the workings.
"""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import assert_accessible, waiting_on_a_busy_machine
from tests.browser.keyboard import press, tab_to

REPORT = "/reports/probation-share/?region=YH&at=2006-10-01"
WEST_YORKSHIRE = "West Yorkshire Probation Area"

# Where each cell of West Yorkshire's row is drawn, by its column's heading.
_BOXES_JS = """
(name) => {
  const table = document.querySelector("table.app-report-table");
  const headers = [...table.querySelectorAll("thead th")].map((th) => th.textContent.trim());
  const row = [...table.querySelectorAll("tbody tr")].find((tr) => tr.querySelector("th").textContent.trim() === name);
  const box = (el) => { const r = el.getBoundingClientRect(); return {left: r.left, right: r.right, width: r.width, height: r.height}; };
  return Object.fromEntries([...row.children].map((cell, i) => [headers[i], box(cell)]));
}
"""


def row_boxes(page: Page) -> dict[str, dict[str, float]]:
    boxes: dict[str, dict[str, float]] = page.evaluate(_BOXES_JS, WEST_YORKSHIRE)
    return boxes


def on_screen(box: dict[str, Any], width: int) -> bool:
    """Drawn (not hidden) and wholly inside the viewport's width, with no scrolling sideways."""
    return box["width"] > 0 and box["height"] > 0 and box["left"] >= 0 and box["right"] <= width


def open_report(browser: Browser, origin: str, width: int) -> Page:
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = waiting_on_a_busy_machine(context.new_page())
    page.goto(f"{origin}{REPORT}")
    expect(page.locator("table.app-report-table")).to_be_visible()
    return page


@pytest.fixture
def demo_served(live_server, transactional_db: None) -> str:
    """The demo region, served; the value is the server's address."""
    call_command("load_demo", stdout=StringIO())
    return str(live_server.url)


@pytest.mark.django_db(transaction=True)
def test_at_1280_px_target_and_gap_fit_and_the_rest_is_one_tick_away(browser: Browser, demo_served: str) -> None:
    page = open_report(browser, demo_served, 1280)
    boxes = row_boxes(page)
    for heading in ("Probation area", "Share of main grant", "Target", "Target spend", "Gap to target"):
        assert on_screen(boxes[heading], 1280), (heading, boxes[heading])
    # The five further columns wait for the tick; nothing scrolls sideways.
    assert not any(on_screen(boxes[h], 1280) for h in ("Share at baseline", "VCS value", "Private value"))
    scroll = page.locator(".app-report-figures .app-table-scroll")
    assert scroll.evaluate("(el) => el.scrollWidth <= el.clientWidth")
    # West Yorkshire: 5% of £30,760,000 = £1,538,000 target spend; less its £957,830 counted spend
    # leaves a £580,170 gap.
    row = page.locator("table.app-report-table tbody tr", has_text=WEST_YORKSHIRE)
    expect(row.locator("td[data-label='Target']")).to_have_text("5.0%")
    expect(row.locator("td[data-label='Gap to target']")).to_have_text("£580,170")
    assert_accessible(page)

    # The workings start within about two screens (900 px each) of the top.
    workings_top = page.locator(".app-report-workings").evaluate("(el) => el.getBoundingClientRect().top + scrollY")
    assert workings_top <= 2.25 * 900, workings_top

    # One tick, with the keyboard, shows every column.
    tab_to(page, "#all-columns")
    press(page, "Space")
    expect(page.locator("#all-columns")).to_be_checked()
    expect(row.locator("td[data-label='Share at baseline']")).to_be_visible()
    expect(row.locator("td[data-label='Private value']")).to_be_visible()
    assert_accessible(page)


@pytest.mark.django_db(transaction=True)
def test_at_390_px_each_area_stacks_with_target_and_gap_on_screen(browser: Browser, demo_served: str) -> None:
    page = open_report(browser, demo_served, 390)
    boxes = row_boxes(page)
    for heading in ("Probation area", "Share of main grant", "Target", "Gap to target"):
        assert on_screen(boxes[heading], 390), (heading, boxes[heading])
    row = page.locator("table.app-report-table tbody tr", has_text=WEST_YORKSHIRE)
    gap = row.locator("td[data-label='Gap to target']")
    expect(gap).to_have_text("£580,170")
    # The stacked line names its column before the figure, as the sighted reader sees it.
    label = gap.evaluate("(el) => getComputedStyle(el, '::before').content")
    assert "Gap to target" in label
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    assert_accessible(page)
