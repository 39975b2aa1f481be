"""The import's checking, saving and undoing done by the real worker (``manage.py db_worker`` of
django-tasks' database backend), as in production: the page only enqueues, the worker does the work."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.urls import reverse
from pytest_django import Settings

from stepchange.contracts.models import MainGrant
from stepchange.imports.models import Import, ImportStatus
from tests.conftest import ClientFor
from tests.imports.files import Row, csv_file
from tests.personas import Cast


def run_worker() -> None:
    """Everything queued, then the worker stops (its batch mode)."""
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


@pytest.mark.django_db(transaction=True)
def test_the_database_worker_checks_and_saves_an_import(
    transactional_db: None, cast: Cast, client_for: ClientFor, settings: Settings
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    alice = client_for(cast.alice)
    rows: list[Row] = [{"ID": "G1", "Commissioner": "SYPA", "Financial year": "2006-07", "Indicative": "1900000"}]
    alice.post(reverse("imports:upload", args=["YH", "grants"]), {"file": csv_file("grants", rows)})
    record = Import.objects.get()
    assert record.status == ImportStatus.CHECKING
    detail = reverse("imports:detail", args=[record.pk])
    assert "The file is being checked" in alice.get(detail).content.decode()

    run_worker()
    record.refresh_from_db()
    assert record.status == ImportStatus.READY, (record.refusal, record.problems, record.save_failure)
    assert "1 main grants new, 0 updated, 0 unchanged" in alice.get(detail).content.decode()

    alice.post(reverse("imports:confirm", args=[record.pk]), {"version": record.version})
    record.refresh_from_db()
    assert record.status == ImportStatus.SAVING
    assert not MainGrant.objects.exists()
    assert "The import is being saved" in alice.get(detail).content.decode()

    run_worker()
    record.refresh_from_db()
    assert record.status == ImportStatus.SAVED
    assert MainGrant.objects.get().indicative == 1900000

    alice.post(reverse("imports:undo", args=[record.pk]), {"version": record.version})
    record.refresh_from_db()
    assert record.status == ImportStatus.UNDOING
    assert "The import is being undone" in alice.get(detail).content.decode()
    run_worker()
    record.refresh_from_db()
    assert record.status == ImportStatus.UNDONE
    assert not MainGrant.objects.exists()


def test_the_check_records_its_progress_as_it_goes(cast: Cast) -> None:
    """Every 500 rows and at the end, outside any transaction, so the import's page sees it move."""
    from stepchange.imports.checking import plan_import

    rows = [["ID", "Commissioner", "Financial year", "Indicative", "Final"]]
    rows += [[f"G{n}", "SYPA", "2006-07", "1000", ""] for n in range(1_200)]
    seen: list[tuple[int, int]] = []
    plan_import(
        kind="grants", region=cast.region, sheet="", rows=rows, progress=lambda done, total: seen.append((done, total))
    )
    assert seen == [(500, 1_200), (1_000, 1_200), (1_200, 1_200)]
