"""Alice, the regional commissioner, builds the steering group's pack for 2006-07 Q2 with the
keyboard only: from the published reports to the packs' page, the quarter chosen, "Build the pack";
the real database worker (``db_worker`` in its batch mode) builds it while the pack's page checks
its progress by itself; she opens the pack's page and downloads its PDF. Each page passes axe-core,
the pack's page while it waits and once it is built."""

from __future__ import annotations

import io
from pathlib import Path

import pypdf
import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect
from pytest_django import Settings

from stepchange.pack.models import Pack
from tests.browser.conftest import assert_accessible, sign_in
from tests.browser.keyboard import follow, skip_to_main_content, tab_to
from tests.personas import PASSWORD, Cast

QUARTER = "2006-07 Q2 (1 July 2006 to 30 September 2006)"


def run_worker() -> None:
    """Everything queued, then the worker stops: the packs' page only enqueues."""
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


@pytest.mark.django_db(transaction=True)
def test_alice_builds_the_quarters_pack_and_downloads_it(
    live_server, page: Page, transactional_db: None, cast: Cast, settings: Settings, tmp_path: Path
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    sign_in(page, live_server.url, "alice", PASSWORD)
    page.goto(f"{live_server.url}/reports/")
    skip_to_main_content(page)
    follow(page, "main a[href='/packs/']")
    expect(page.get_by_role("heading", level=1)).to_have_text("Steering group packs")
    assert_accessible(page)

    # Nothing chosen: the error names what to do.
    follow(page, "form[action='/packs/'] button")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose the quarter the pack is for")
    assert_accessible(page)
    tab_to(page, "#id_quarter")
    expect(page.locator("#id_quarter")).to_be_focused()
    page.select_option("#id_quarter", label=QUARTER)
    follow(page, "form[action='/packs/'] button")
    expect(page.locator("#status")).to_have_text("Waiting to be built")
    expect(page.locator("#progress")).to_contain_text("checks how far the pack has got every 5 seconds")
    assert_accessible(page)

    # The worker builds it; the page says so by itself, without being reloaded.
    run_worker()
    expect(page.locator("#status")).to_have_text("Finished")
    pack = Pack.objects.get()
    assert pack.is_finished, pack.failure
    follow(page, "#pack-ready")
    expect(page.locator("#probation-share-heading")).to_have_text("1. The probation share and its trend")
    assert_accessible(page)

    with page.expect_download() as download:
        tab_to(page, f"a[href='/packs/{pack.pk}/pack.pdf']")
        page.keyboard.press("Enter")
    assert download.value.suggested_filename == "YH-steering-group-pack-2006-07-Q2.pdf"
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    reader = pypdf.PdfReader(io.BytesIO(saved.read_bytes()))
    assert reader.metadata is not None
    assert reader.metadata.title == "Steering group pack: Yorkshire and Humberside, 2006-07 Q2"
    assert "The probation share and its trend" in reader.pages[0].extract_text()
