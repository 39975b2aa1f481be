"""Alice imports files of the worst values into Yorkshire and Humberside: every cell of a contracts
file drawn from hostile text, numbers and dates.

Whatever the file holds, the import's page answers (never a server error, never her markup echoed
unescaped): either the file is refused with its problems, each naming its row and column, or it is
ready for her to confirm; and until she does, no contract, organisation or sub-contract exists that
did not before."""

from __future__ import annotations

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st
from pytest_django import Settings

from stepchange.imports.models import Import, ImportStatus
from tests.fixture_types import ClientFor
from tests.hostile.checks import assert_escaped, assert_not_a_server_error, rolled_back, row_counts
from tests.hostile.strategies import hostile_date, hostile_number, hostile_text
from tests.hostile.tally import Tally
from tests.imports.files import csv_file
from tests.personas import Cast

pytestmark = pytest.mark.django_db

CELLS = {
    "ID": hostile_text(),
    "Reference": hostile_text(),
    "Title": hostile_text(),
    "Commissioner": st.sampled_from(["SYPA", "WYPA", "NEPA", "", "sypa"]) | hostile_text(),
    "Prime": st.sampled_from(["Acorn Housing Trust", "Beacon Services Ltd"]) | hostile_text(),
    "Pathways": st.sampled_from(["ete", "ete; health", ";;", ""]) | hostile_text(),
    "Annual value": hostile_number(),
    "Start": hostile_date(),
    "End": hostile_date(),
    "Funding source": st.sampled_from(["main_grant", "co_commissioned", ""]) | hostile_text(),
    "Funder": hostile_text(),
    "Kind": st.sampled_from(["contract", "grant", ""]) | hostile_text(),
}


@pytest.fixture
def alice(cast: Cast, client_for: ClientFor, settings: Settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    return client_for(cast.alice)


@given(rows=st.lists(st.fixed_dictionaries(CELLS), min_size=1, max_size=3))
def test_alice_imports_a_contracts_file_of_hostile_cells(cast: Cast, alice, tally: Tally, rows) -> None:
    tally.add()
    with rolled_back():
        before = row_counts()
        response = alice.post(
            reverse("imports:upload", args=["YH", "contracts"]), {"file": csv_file("contracts", rows)}
        )
        assert_not_a_server_error(response)
        if response.status_code == 200:  # refused before it was kept (a formula, say): said on the page
            assert "govuk-error-summary" in response.content.decode()
            return
        record = Import.objects.latest("pk")
        assert record.status in (ImportStatus.REFUSED, ImportStatus.READY)
        for problem in record.problems:
            assert problem["row"] >= 1 and problem["column"] and problem["expected"]
        page = alice.get(reverse("imports:detail", args=[record.pk]))
        assert_not_a_server_error(page)
        assert_escaped(page, {str(n): value for n, row in enumerate(rows) for value in row.values()})
        after = row_counts()
        changed = {table for table in set(before) | set(after) if before.get(table) != after.get(table)}
        assert changed <= {"imports.Import", "core.AuditEvent"}, changed
