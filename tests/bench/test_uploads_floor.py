"""The upload benchmark's floor stores what the checked import stores (bench/uploads.py).

On HMP Leeds's return, a template of 28 Delivery rows, as a workbook and as a CSV file: four
organisations each on all seven pathways asked of prisons, Acorn Housing Trust from the directory and three proposed.
The import through the upload page's checks and service and the floor's unchecked bulk insert
must leave the same lines, links, proposed organisations and stored file, and both must leave the
database as they found it.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from bench.uploads import (
    FloorMismatch,
    check_same_rows,
    filled_csv,
    filled_template,
    import_checked,
    insert_unchecked,
    rolled_back,
    stored_rows,
)
from stepchange.returns.models import PrisonReturn, PrisonReturnLine, PrisonReturnUpload, ProposedOrganisation

pytestmark = pytest.mark.django_db


@pytest.fixture(params=[filled_template, filled_csv], ids=["xlsx", "csv"])
def upload(request, cast):
    prison_return = PrisonReturn.objects.create(commissioner=cast.leeds, round=None)
    return request.param(prison_return, 28)


def test_the_floor_and_the_import_store_the_same_28_rows(cast, upload):
    stored = check_same_rows(upload, cast.frank)

    # 28 rows over 7 pathways: 4 names each; the directory's one (Acorn) linked, 3 proposed.
    assert len(stored["lines"]) == 7
    assert len(stored["linked"]) == 7
    assert {organisation for _pathway, organisation in stored["linked"]} == {cast.charity.pk}
    assert len(stored["proposed"]) == 21
    assert {name for _pathway, name, _sector in stored["proposed"]} == {
        "Community project 000000",
        "Community project 000001",
        "Community project 000002",
    }
    # Lines row 2 (the first pathway): 40 + 2 running, 10 started, 5 ended, £1,000 × 2 + 0.50; row 8: 48, £8,000.50.
    figures = [line[1:] for line in stored["lines"]]
    assert (42, 10, 5, Decimal("2000.50"), False) in figures
    assert (48, 10, 5, Decimal("8000.50"), False) in figures
    assert stored["files"] == [upload.content]


def test_both_leave_the_database_as_they_found_it(cast, upload):
    for work in (lambda: import_checked(upload, cast.frank), lambda: insert_unchecked(upload)):
        with rolled_back():
            work()
            assert PrisonReturnLine.objects.filter(prison_return_id=upload.return_id).count() == 7
        assert stored_rows(upload.return_id) == {"lines": [], "linked": [], "proposed": [], "files": []}
    assert not ProposedOrganisation.objects.exists()
    assert not PrisonReturnUpload.objects.exists()
    assert PrisonReturn.objects.get(pk=upload.return_id).version == 1


def test_a_floor_that_stores_other_rows_is_refused(cast, upload):
    short = replace(upload, proposed=upload.proposed[:-1])

    with pytest.raises(FloorMismatch, match="proposed"):
        check_same_rows(short, cast.frank)
