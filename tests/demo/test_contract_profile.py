"""The demo reproduces the contracts profile by area and pathway (para 5.19), cell by cell, and
shows where its rows do not add up to the contracts of the table in para 5.17."""

from __future__ import annotations

import pytest

from stepchange.reports.registry import run_report

pytestmark = pytest.mark.usefixtures("demo", "db")

PATHWAYS = (
    "accommodation",
    "ete",
    "health",
    "drugs-alcohol",
    "fbd",
    "children-families",
    "atb",
    "offender-management",
    "unpaid-work",
)
# As printed: Accom, ETE, Health, D&A, FBD, C&F, ATB, OM, UPW.
PRINTED = {
    "SYPA": (3, 9, 1, 6, 0, 0, 0, 5, 1),
    "HYPA": (1, 2, 0, 3, 0, 1, 1, 6, 1),
    "NYPA": (1, 0, 0, 5, 0, 0, 1, 7, 0),
    "WYPA": (1, 1, 4, 4, 0, 0, 2, 14, 9),
}
PRINTED_TOTALS = (6, 12, 5, 18, 0, 1, 4, 32, 11)


@pytest.fixture
def profile():
    return run_report("contract-profile", {"at": "2006-10-01", "region": "YH"})


def test_every_cell_as_printed(profile) -> None:
    rows = {row["commissioner"]: row for row in profile.rows}
    for code, cells in PRINTED.items():
        assert tuple(rows[code][p] for p in PATHWAYS) == cells, code
    # Column totals: 3+1+1+1 = 6, 9+2+0+1 = 12, 1+0+0+4 = 5, 6+3+5+4 = 18, 0, 0+1+0+0 = 1,
    # 0+1+1+2 = 4, 5+6+7+14 = 32, 1+1+0+9 = 11.
    assert tuple(profile.totals[p] for p in PATHWAYS) == PRINTED_TOTALS


def test_row_totals_against_contract_counts(profile) -> None:
    rows = {row["commissioner"]: row for row in profile.rows}
    # SYPA 3+9+1+6+0+0+0+5+1 = 25 entries from 23 contracts: two contracts sit on two pathways.
    # HYPA 1+2+0+3+0+1+1+6+1 = 15 from 15.
    # NYPA 1+0+0+5+0+0+1+7+0 = 14 from 13: one contract on two pathways.
    # WYPA 1+1+4+4+0+0+2+14+9 = 35 from 38: three contracts on no pathway.
    expected = {"SYPA": (25, 23, 2, 0), "HYPA": (15, 15, 0, 0), "NYPA": (14, 13, 1, 0), "WYPA": (35, 38, 0, 3)}
    for code, (entries, contracts, several, none) in expected.items():
        row = rows[code]
        assert (
            row["pathway_entries"],
            row["contracts"],
            row["contracts_on_several_pathways"],
            row["contracts_without_pathway"],
        ) == (entries, contracts, several, none), code
        assert row["difference"] == entries - contracts
    # 25 + 15 + 14 + 35 = 89 entries, by coincidence the same as the 23 + 15 + 13 + 38 = 89 contracts.
    assert (profile.totals["pathway_entries"], profile.totals["contracts"]) == (89, 89)
    assert any("South Yorkshire Probation Area: 23 contracts but 25 pathway entries" in note for note in profile.notes)
    assert any("West Yorkshire Probation Area: 38 contracts but 35 pathway entries" in note for note in profile.notes)


def test_fbd_and_children_and_families_are_the_gaps(profile) -> None:
    """ "FBD and C&F are very poorly served": none in FBD, one in C&F."""
    assert profile.totals["gap_pathways"] == ["fbd", "children-families"]


def test_the_published_profile_reconciles(profile) -> None:
    # 4 areas × 9 pathways + 9 region totals + 4 contract counts = 49 published figures.
    assert len(profile.reconciliation) == 49
    assert [row.figure for row in profile.reconciliation if not row.matches] == []
