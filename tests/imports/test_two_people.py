"""Alice and Root have the same import open: the first answer or confirmation stands, the second is
refused and says why, and the import is saved once."""

from __future__ import annotations

import re

from django.urls import reverse

from stepchange.core.concurrency import StaleEdit
from stepchange.core.models import AuditEvent
from stepchange.imports import services
from stepchange.imports.models import Import, ImportStatus
from stepchange.organisations.models import Organisation
from tests.fixture_types import ClientFor
from tests.imports.files import Row, csv_file
from tests.personas import Cast

ROWS: list[Row] = [{"ID": "A", "Name": "Acorn Housing", "Sector": "vcs"}]


def version_on(page: object) -> str:
    found = re.search(r'name="version" value="(\d+)"', page.content.decode())  # type: ignore[attr-defined]
    assert found, "the page carries no version"
    return found.group(1)


def test_the_second_answer_and_the_second_confirmation_are_refused(cast: Cast, client_for: ClientFor) -> None:
    alice, root = client_for(cast.alice), client_for(cast.root)
    alice.post(reverse("imports:upload", args=["YH", "organisations"]), {"file": csv_file("organisations", ROWS)})
    record = Import.objects.get()
    page = reverse("imports:detail", args=[record.pk])
    alices_version, roots_version = version_on(alice.get(page)), version_on(root.get(page))

    alice.post(page, {"version": alices_version, "answer-2": str(cast.charity.pk)})
    refused = root.post(page, {"version": roots_version, "answer-2": "new"})
    assert StaleEdit.message in refused.content.decode()
    record.refresh_from_db()
    assert record.answers == {"2": str(cast.charity.pk)}

    alices_version, roots_version = version_on(alice.get(page)), version_on(root.get(page))
    alice.post(reverse("imports:confirm", args=[record.pk]), {"version": alices_version})
    second = root.post(reverse("imports:confirm", args=[record.pk]), {"version": roots_version}, follow=True)
    assert "This import is saved: it cannot be confirmed." in second.content.decode()
    record.refresh_from_db()
    assert record.status == ImportStatus.SAVED
    assert AuditEvent.objects.filter(action="import_save").count() == 1
    assert Organisation.objects.get(pk=cast.charity.pk).external_ref == "A"


def test_a_confirmation_from_a_page_opened_before_an_answer_is_refused(cast: Cast) -> None:
    record, _plan = services.run_now(
        actor=cast.alice,
        region=cast.region,
        kind="organisations",
        uploaded_file=csv_file("organisations", ROWS),
        answers={},
        dry_run=False,
    )
    stale = record.version
    services.import_answer(actor=cast.alice, record=record, expected_version=stale, answers={"2": str(cast.charity.pk)})
    try:
        services.import_confirm(actor=cast.root, record=Import.objects.get(pk=record.pk), expected_version=stale)
    except StaleEdit:
        pass
    else:
        raise AssertionError("a confirmation of the import as it was before the answer was taken")
    assert Import.objects.get(pk=record.pk).status == ImportStatus.READY
