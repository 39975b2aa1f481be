"""The row counts every hostile test compares before and after a request are the tables' own."""

from __future__ import annotations

from tests.factories import ContractFactory
from tests.hostile.checks import COUNTED, row_counts
from tests.personas import Cast


def test_row_counts_are_each_models_own_count(cast: Cast) -> None:
    ContractFactory.create(commissioner=cast.sypa, prime=cast.charity, pathways=["accommodation"])
    counts = row_counts()
    assert counts == {model._meta.label: model._default_manager.count() for model in COUNTED}
    assert counts["contracts.Contract"] == 1
    assert counts["contracts.Contract_pathways"] == 1


def test_a_row_added_is_counted_in_its_table_only(cast: Cast) -> None:
    before = row_counts()
    ContractFactory.create(commissioner=cast.sypa, prime=cast.charity)
    after = row_counts()
    assert after == {**before, "contracts.Contract": before["contracts.Contract"] + 1}
