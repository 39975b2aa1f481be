"""Dave adds a method statement to Acorn Women's Partnership's stage 1 bid with the keyboard alone,
before the deadline: from the bid's page to the upload form, where he writes the title, chooses the
kind and tabs to the file input (the test sets the file on the input itself: the file chooser
belongs to the operating system, not the page). His first file is a picture named like a PDF: the
error summary takes focus and says what was expected, and nothing is stored. He chooses the real
PDF and finds it listed on the bid's page with its kind and size.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from stepchange.commissioning import sealing
from stepchange.commissioning.models import BidDocument
from tests.browser.conftest import assert_accessible, sign_in
from tests.browser.keyboard import follow, skip_to_main_content, tab_to, type_into
from tests.commissioning.files import PNG, pdf
from tests.commissioning.world import Tender, build_tender
from tests.personas import PASSWORD, Cast


@pytest.fixture
def tender(transactional_db: None, cast: Cast) -> Tender:
    return build_tender(cast)


def choose_file(page: Page, path: Path) -> None:
    """Reach the file input with the keyboard, then set its file on the input itself."""
    tab_to(page, "#id_file")
    expect(page.locator("#id_file")).to_be_focused()
    page.locator("#id_file").set_input_files(str(path))
    assert page.locator("#id_file").evaluate("(input) => input.files[0].name") == path.name


@pytest.mark.django_db(transaction=True)
def test_dave_uploads_a_method_statement_to_his_bid_with_the_keyboard(
    live_server, page: Page, cast: Cast, tender: Tender, tmp_path: Path
) -> None:
    picture = tmp_path / "method statement.pdf"
    picture.write_bytes(PNG)
    real = tmp_path / "method-statement.pdf"
    real.write_bytes(pdf("Method statement"))
    sign_in(page, live_server.url, "dave", PASSWORD)

    page.goto(f"{live_server.url}/opportunities/bids/{tender.bid.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Bid from Acorn Women's Partnership")
    expect(page.locator("#documents + table")).to_contain_text("No documents yet.")
    assert_accessible(page)
    skip_to_main_content(page)
    follow(page, f"a[href='/opportunities/bids/{tender.bid.pk}/documents/new/']")

    expect(page.get_by_role("heading", level=1)).to_have_text("Add a document to the bid")
    assert_accessible(page)
    skip_to_main_content(page)
    type_into(page, "#id_title", "Method statement")
    tab_to(page, "#id_kind_0")  # Method statement, the first kind
    page.keyboard.press("Space")
    expect(page.locator("#id_kind_0")).to_be_checked()
    choose_file(page, picture)
    follow(page, "button[type=submit]")

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("The file method statement.pdf is not a PDF, a Word document (.docx)")
    expect(page.locator("#id_file-error")).to_contain_text("holds binary data of another kind")
    assert page.title().startswith("Error: ")
    assert_accessible(page)
    assert not BidDocument.objects.exists()
    # What he typed and chose is still there; the file must be chosen again.
    expect(page.locator("#id_title")).to_have_value("Method statement")
    expect(page.locator("#id_kind_0")).to_be_checked()

    choose_file(page, real)
    follow(page, "button[type=submit]")

    expect(page.get_by_role("heading", level=1)).to_have_text("Bid from Acorn Women's Partnership")
    row = page.locator("#documents + table tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Method statement")
    expect(row).to_contain_text("PDF")
    expect(row).to_contain_text(f"{len(pdf('Method statement'))}\xa0bytes")
    assert_accessible(page)
    stored = BidDocument.objects.get()
    content = sealing.open_bid_document(stored, reader=stored.bid.partnership.created_by)
    assert (stored.kind, stored.file_format, content) == ("method_statement", "pdf", real.read_bytes())
    assert real.read_bytes() not in bytes(stored.sealed_content)  # stored only sealed
