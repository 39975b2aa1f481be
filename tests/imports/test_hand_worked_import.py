"""A region's figures from imported files, worked by hand, and the management command that imports them.

Grants (by the command): South Yorkshire a final grant of £2,000,000 for 2006-07, West Yorkshire an
indicative one of £4,000,000. Organisations: Ouse Housing (VCS), Ridings Training Ltd (private),
Wold Council (public). Contracts, on 1 October 2006:
  SY-1  SYPA, Ouse (VCS), main grant, £30,000, from 1 January 2006          counted
  SY-2  SYPA, Ridings (private), main grant, £20,000, from 1 June 2006        counted
        with a £5,000 sub-contract to Ouse (never added on top)
  SY-3  SYPA, Wold (public prime), main grant, £40,000                       not counted (public prime)
  SY-4  SYPA, Ouse, new investment (TWP), £50,000                            not counted (new investment)
  SY-5  SYPA, Ouse, main grant, £7,000, ended 30 September 2006              not live
  HMP-1 LEEDS (a prison), Ouse, main grant, £9,000                           not counted (a prison's)
  WY-1  WYPA, Ouse, main grant, £60,000, from 1 January 2006                 counted
South Yorkshire: 30,000 + 20,000 = £50,000 of £2,000,000 = 2.5%.
West Yorkshire: £60,000 of £4,000,000 = 1.5%.
Region, weighted: 110,000 / 6,000,000 = 1.8333...%; mean of the areas: (2.5 + 1.5) / 2 = 2.0%.
Not counted: 40,000 + 50,000 (probation, £90,000) + 9,000 (prison) = £99,000 in 3 contracts.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from stepchange.contracts.models import Contract, MainGrant
from stepchange.imports import services
from stepchange.imports.models import Import, ImportStatus
from stepchange.organisations.models import Organisation
from stepchange.reports.registry import run_report
from tests.imports.files import Row, csv_file, xlsx_file
from tests.personas import Cast

GRANTS: list[Row] = [
    {"ID": "G-SY", "Commissioner": "SYPA", "Financial year": "2006-07", "Indicative": "1900000", "Final": "2000000"},
    {"ID": "G-WY", "Commissioner": "WYPA", "Financial year": "2006-07", "Indicative": "4000000"},
]
ORGANISATIONS: list[Row] = [
    {"ID": "OUSE", "Name": "Ouse Housing", "Sector": "vcs", "Charity number": "1111111"},
    {"ID": "RIDINGS", "Name": "Ridings Training Ltd", "Sector": "private", "Company number": "01234567"},
    {"ID": "WOLD", "Name": "Wold Council", "Sector": "public"},
]


def contract(ident: str, commissioner: str, prime: str, value: str, **more: str) -> Row:
    return {
        "ID": ident,
        "Reference": ident,
        "Title": f"Service {ident}",
        "Commissioner": commissioner,
        "Prime": prime,
        "Pathways": "accommodation",
        "Annual value": value,
        "Start": "1/4/2006",
        "Funding source": "main_grant",
        **more,
    }


CONTRACTS: list[Row] = [
    contract("SY-1", "SYPA", "OUSE", "30000", Start="1/1/2006"),
    contract("SY-2", "SYPA", "RIDINGS", "20000", Start="1/6/2006"),
    contract("SY-3", "SYPA", "WOLD", "40000"),
    contract("SY-4", "SYPA", "OUSE", "50000", **{"Funding source": "new_investment", "Funder": "TWP"}),
    contract("SY-5", "SYPA", "OUSE", "7000", End="30/9/2006"),
    contract("HMP-1", "LEEDS", "OUSE", "9000"),
    contract("WY-1", "WYPA", "OUSE", "60000", Start="1/1/2006"),
]
SUB_CONTRACTS: list[Row] = [{"ID": "SUB-1", "Contract": "SY-2", "Partner": "OUSE", "Value": "5000"}]


def on_disk(tmp_path: Path, name: str, uploaded: object) -> str:
    path = tmp_path / name
    path.write_bytes(uploaded.read())  # type: ignore[attr-defined]
    return str(path)


def test_a_region_imported_from_files_gives_the_figures_worked_by_hand(
    cast: Cast, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    grants = on_disk(tmp_path, "grants.xlsx", xlsx_file("grants", GRANTS, region=cast.region))
    call_command("import_region_data", "grants", grants, "--region", "YH", "--dry-run")
    assert "2 grants new, 0 updated, 0 unchanged\nDry run: nothing was saved." in capsys.readouterr().out
    assert not MainGrant.objects.exists() and not Import.objects.exists()
    call_command("import_region_data", "grants", grants, "--region", "YH", "--as", "alice")
    assert "Saved as import" in capsys.readouterr().out
    assert MainGrant.objects.get(commissioner=cast.sypa).final == Decimal("2000000")

    organisations = on_disk(tmp_path, "organisations.csv", csv_file("organisations", ORGANISATIONS))
    call_command("import_region_data", "organisations", organisations, "--region", "YH")
    for kind, rows in (("contracts", CONTRACTS), ("sub-contracts", SUB_CONTRACTS)):
        record, _plan = services.run_now(
            actor=cast.alice,
            region=cast.region,
            kind=kind,
            uploaded_file=xlsx_file(kind, rows, region=cast.region),
            answers={},
            dry_run=False,
        )
        assert record.status == ImportStatus.SAVED, record.problems

    result = run_report("probation-share", {"region": "YH", "at": "2006-10-01"})
    sy = next(r for r in result.rows if r["commissioner"] == "SYPA")
    wy = next(r for r in result.rows if r["commissioner"] == "WYPA")
    assert (sy["main_grant"], sy["counted_spend"], sy["share_pct"]) == (
        Decimal("2000000"),
        Decimal("50000"),
        Decimal("2.5"),
    )
    assert (wy["main_grant"], wy["counted_spend"], wy["share_pct"]) == (
        Decimal("4000000"),
        Decimal("60000"),
        Decimal("1.5"),
    )
    assert result.totals["weighted_share_pct"].quantize(Decimal("0.0001")) == Decimal("1.8333")
    assert result.totals["mean_share_pct"] == Decimal("2")

    not_counted = run_report("not-counted", {"region": "YH", "at": "2006-10-01"}).totals
    assert (not_counted["contracts"], not_counted["value"]) == (3, Decimal("99000"))
    assert (not_counted["probation_value"], not_counted["prison_value"]) == (Decimal("90000"), Decimal("9000"))
    assert (not_counted["counted_contracts"], not_counted["counted_value"]) == (3, Decimal("110000"))

    # The same files again change nothing: every row found by its ID, as it is.
    for kind, rows in (
        ("grants", GRANTS),
        ("organisations", ORGANISATIONS),
        ("contracts", CONTRACTS),
        ("sub-contracts", SUB_CONTRACTS),
    ):
        again, plan = services.run_now(
            actor=cast.alice,
            region=cast.region,
            kind=kind,
            uploaded_file=csv_file(kind, rows),
            answers={},
            dry_run=False,
        )
        assert plan.counts() == {"new": 0, "updated": 0, "unchanged": len(rows)}, kind
        assert again.status == ImportStatus.SAVED and not again.items.exists()
    again_share = run_report("probation-share", {"region": "YH", "at": "2006-10-01"})
    assert again_share.totals["counted_spend"] == Decimal("110000")


def test_the_command_refuses_a_bad_file_naming_every_problem(
    cast: Cast, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = on_disk(tmp_path, "bad.csv", csv_file("contracts", [contract("X", "NOPE", "OUSE", "-1")]))
    with pytest.raises(CommandError, match="The file has 3 problem"):
        call_command("import_region_data", "contracts", bad, "--region", "YH")
    err = capsys.readouterr().err
    assert "row 2, column D (Commissioner): found “NOPE”" in err
    assert "row 2, column E (Prime): found “OUSE”" in err
    assert "row 2, column G (Annual value): found “-1”; expected the annual value as 0 or more pounds" in err
    assert not Contract.objects.exists()


def test_the_command_asks_about_close_names_and_takes_answers(
    cast: Cast, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows: list[Row] = [{"ID": "A", "Name": "Acorn Housing", "Sector": "vcs"}]
    path = on_disk(tmp_path, "close.csv", csv_file("organisations", rows))
    with pytest.raises(CommandError, match="Answer every question"):
        call_command("import_region_data", "organisations", path, "--region", "YH")
    assert (
        f"Question, row 2: is “Acorn Housing” one of {cast.charity.pk} = Acorn Housing Trust" in capsys.readouterr().out
    )
    path = on_disk(tmp_path, "close-again.csv", csv_file("organisations", rows))
    call_command("import_region_data", "organisations", path, "--region", "YH", "--answer", "2=new")
    assert Organisation.objects.filter(name="Acorn Housing", external_ref="A").exists()
