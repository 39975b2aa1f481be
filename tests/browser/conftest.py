"""Real pages in a real browser: Debian's Chromium driven by Playwright, checked with axe-core.

The browser is never downloaded: it is /usr/bin/chromium, installed by the set-up.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connections

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make to set up
# data are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from playwright.sync_api import Browser, Page, expect, sync_playwright

CHROMIUM = "/usr/bin/chromium"
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]

# How long a test waits, at most, for the page to reach the state it expects: an element, a
# navigation, a download. Every wait ends as soon as the page gets there, so these cost nothing on an
# idle machine; they are long so that a machine busy with other work (two xdist workers, a live
# server each, Chromium) is not taken for a broken page. Playwright's own defaults are 5 seconds for
# ``expect`` and 30 for the rest. Set once here; no test passes a shorter timeout of its own.
WAIT_MS = 60_000
NAVIGATION_MS = 90_000
expect.set_options(timeout=WAIT_MS)


def waiting_on_a_busy_machine(page: Page) -> Page:
    """The page, with the longest waits above: for every page a test opens."""
    page.set_default_timeout(WAIT_MS)
    page.set_default_navigation_timeout(NAVIGATION_MS)
    return page


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, once a process.

    Code run inside Playwright's sync API sees a context of its own (contextvars), and Django keeps
    a database connection per context: a connection opened before it starts (setting up the test
    database, a test that ran before) would be left open and unused, and on PostgreSQL keep the
    test database from being dropped at the end ("is being accessed by other users"). So none is
    left open on either side: those of before are closed as it starts, its own as it stops."""
    connections.close_all()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-quic",
            ],
        )
        yield browser
        browser.close()
        connections.close_all()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = waiting_on_a_busy_machine(context.new_page())
    yield page
    context.close()


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """WCAG 2.2 A and AA violations axe-core finds on the page as it stands."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text())
    result = page.evaluate(
        # resultTypes only trims the detail kept for passing checks (faster); every rule still runs.
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        WCAG_22_AA,
    )
    return [
        {"id": v["id"], "impact": v["impact"], "help": v["help"], "targets": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
    ]


def assert_accessible(page: Page) -> None:
    violations = axe_violations(page)
    assert not violations, f"axe-core found WCAG 2.2 AA violations on {page.url}:\n" + json.dumps(violations, indent=2)


def totp_now(key_b32: str) -> str:
    """The code an authenticator app would show now for a base32 key."""
    from base64 import b32decode

    from django_otp.oath import TOTP

    return f"{TOTP(b32decode(key_b32.replace(' ', ''))).token():06d}"


def sign_in(page: Page, base_url: str, username: str, password: str) -> None:
    """Signs in with the keyboard only, as a person using no mouse would.

    Someone who must use two-factor sign-in pairs an app the first time (the test reads the key off
    the page, as a person would type it into their app) and enters its code after that.
    """
    from django_otp.plugins.otp_totp.models import TOTPDevice

    page.goto(f"{base_url}/account/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    with page.expect_navigation():
        page.get_by_label("Password").press("Enter")
    if "/account/two-factor/set-up/" in page.url:
        page.get_by_label("Code").fill(totp_now(page.locator("#secret-key").inner_text()))
        with page.expect_navigation():
            page.get_by_label("Code").press("Enter")
        with page.expect_navigation():
            page.get_by_role("link", name="Continue").press("Enter")
    elif "/account/two-factor/verify/" in page.url:
        device = TOTPDevice.objects.get(user__username=username, confirmed=True)
        from base64 import b32encode

        page.get_by_label("Code").fill(totp_now(b32encode(device.bin_key).decode()))
        with page.expect_navigation():
            page.get_by_label("Code").press("Enter")
