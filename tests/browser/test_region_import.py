"""Alice imports Yorkshire and Humberside's organisations from a spreadsheet in Chromium, with the
keyboard alone: Imports from the service navigation, the upload page, a first file refused with
its problems listed (nothing saved), then the corrected file's preview, where she says "Acorn
Housing" is the directory's Acorn Housing Trust, and confirms. Every page passes axe."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from pytest_django import Settings

from stepchange.organisations.models import Organisation
from tests.browser.conftest import assert_accessible, sign_in
from tests.browser.keyboard import follow, skip_to_main_content, tab_to
from tests.imports.files import Row, xlsx_file
from tests.personas import PASSWORD, Cast

ROWS: list[Row] = [
    {"ID": "ORG-1", "Name": "Calder Mentoring", "Sector": "vcs", "Charity number": "1123456"},
    {"ID": "ORG-2", "Name": "Acorn Housing", "Sector": "vcs"},
]


def saved_file(tmp_path: Path, name: str, rows: list[Row], cast: Cast) -> Path:
    path = tmp_path / name
    path.write_bytes(xlsx_file("organisations", rows, region=cast.region).read())
    return path


def upload(page: Page, path: Path) -> None:
    page.set_input_files("#id_file", str(path))
    tab_to(page, "button.govuk-button")
    with page.expect_navigation():
        page.keyboard.press("Enter")


@pytest.mark.django_db(transaction=True)
def test_alice_imports_organisations_with_the_keyboard(
    live_server, page: Page, transactional_db: None, cast: Cast, settings: Settings, tmp_path: Path
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    sign_in(page, live_server.url, "alice", PASSWORD)
    follow(page, ".govuk-service-navigation__list a[href='/imports/']")
    assert_accessible(page)
    skip_to_main_content(page)
    follow(page, "a[href='/imports/YH/organisations/upload/']")
    assert_accessible(page)

    # A first file with a charity number of the wrong shape: refused, every problem listed.
    upload(page, saved_file(tmp_path, "bad.xlsx", [{**ROWS[0], "Charity number": "12"}, ROWS[1]], cast))
    expect(page.locator("#status")).to_have_text("Refused")
    expect(page.locator(".govuk-error-summary")).to_contain_text("The file has 1 problem")
    expect(page.locator("#problems")).to_contain_text("D (Charity number)")
    assert page.title().startswith("Error: ")
    assert_accessible(page)
    assert not Organisation.objects.filter(name="Calder Mentoring").exists()

    page.go_back()
    upload(page, saved_file(tmp_path, "good.xlsx", ROWS, cast))
    expect(page.locator("#counts")).to_have_text("2 organisations new, 0 updated, 0 unchanged")
    assert_accessible(page)
    # Row 3's name is close to Acorn Housing Trust: Alice says it is that one.
    tab_to(page, f"#answer-3-{cast.charity.pk}")
    page.keyboard.press("Space")
    follow(page, "button.govuk-button--secondary")
    expect(page.locator("#counts")).to_have_text("1 organisations new, 1 updated, 0 unchanged")
    assert_accessible(page)
    follow(page, "form[action$='/confirm/'] button")
    expect(page.locator("#status")).to_have_text("Saved")
    assert_accessible(page)
    assert Organisation.objects.filter(name="Calder Mentoring", external_ref="ORG-1").exists()
    assert Organisation.objects.get(pk=cast.charity.pk).external_ref == "ORG-2"
