"""The export benchmark's floor holds the export's rows (bench/exports.py).

On the demo region: the hand-written SELECT fed to ``csv.writer`` writes contracts.csv byte for
byte, the workbook holds the same cells, and the open-data package is the floor's JSON byte for
byte; a floor that leaves a row out, or writes other bytes, is refused.
"""

from __future__ import annotations

import pytest

from bench import exports
from stepchange.contracts.models import Contract, SubContract

pytestmark = pytest.mark.usefixtures("demo", "db")


@pytest.fixture
def formula_like() -> None:
    """Text a spreadsheet would run, which both the export and the floor must quote."""
    first = Contract.objects.order_by("pk").first()
    assert first is not None
    Contract.objects.filter(pk=first.pk).update(title="=SUM(A1)", funder="-1", published=True)


def test_on_the_demo_the_floor_writes_contracts_csv_byte_for_byte(formula_like: None) -> None:
    assert SubContract.objects.exists()  # the sums of sub-contracts are compared too

    assert exports.check_csv() == Contract.objects.count() > 100
    rows = exports.floor_rows()
    assert rows[0][:3] == ["reference", "title", "commissioner"]
    assert "'=SUM(A1)" in [row[1] for row in rows]


def test_on_the_demo_the_workbook_holds_the_floors_cells(formula_like: None) -> None:
    assert exports.check_xlsx() == Contract.objects.count()


def test_on_the_demo_the_open_data_names_the_floors_published_contracts() -> None:
    # The demo publishes every contract: publish 40 only, so a floor that ignored publication fails.
    Contract.objects.update(published=False)
    Contract.objects.filter(pk__in=Contract.objects.order_by("pk").values("pk")[:40]).update(published=True)

    assert exports.check_ocds() == 40


def test_on_the_demo_the_ocds_floor_writes_the_package_byte_for_byte() -> None:
    exported, floored = exports.Keep(), exports.Keep()
    exports.export_ocds(exported)
    exports.floor_ocds(floored)

    assert SubContract.objects.filter(contract__published=True).exists()  # sub-contract documents too
    assert exported.value() == floored.value()
    assert exported.value().count(b'"ocid"') == Contract.objects.filter(published=True).count() > 100


def test_an_ocds_floor_with_other_bytes_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    real = exports.floor_ocds

    def one_byte_more(sink: exports.Sink) -> None:
        real(sink)
        sink.write(" ")

    monkeypatch.setattr(exports, "floor_ocds", one_byte_more)

    with pytest.raises(exports.FloorMismatch, match="OCDS"):
        exports.check_ocds()


def test_a_floor_that_leaves_a_row_out_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    real = exports.floor_sql
    monkeypatch.setattr(exports, "floor_sql", lambda vendor, **kw: real(vendor, **kw) + " LIMIT 5")

    with pytest.raises(exports.FloorMismatch):
        exports.check_csv()
    with pytest.raises(ValueError):  # zip(strict=True): the workbook has more rows than the floor
        exports.check_xlsx()


def test_a_workbook_cell_unlike_the_floors_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    real = exports.floor_rows

    def one_title_changed(**kw: bool) -> list[list[str]]:
        rows = real(**kw)
        rows[5][1] = rows[5][1] + " (changed)"
        return rows

    monkeypatch.setattr(exports, "floor_rows", one_title_changed)

    with pytest.raises(exports.FloorMismatch, match="row 6"):
        exports.check_xlsx()
