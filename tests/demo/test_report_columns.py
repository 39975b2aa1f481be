"""Every column a registered report shows has a value in each of its rows: run every report on the
demo with each kind of parameter it takes, and name the report and the key of any column whose key
its rows, totals or further tables do not hold (a typo there would otherwise show as "–", the
mark of a figure that is not known)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from stepchange.core.models import Region
from stepchange.reports.columns import Column, ColumnKind
from stepchange.reports.registry import REPORTS, ReportParams, ReportResult, Table, register, run_report


def params_for(takes: frozenset[str]) -> list[dict[str, str]]:
    """The default date, a date of the demo year, and the year, a quarter and a type where taken."""
    chosen: list[dict[str, str]] = [{}, {"at": "2006-10-01"}]
    if "year" in takes:
        chosen.append({"year": "2006-07"})
    if "quarter" in takes:
        chosen += [{"year": "2006-07", "quarter": "Q2"}, {"at": "2007-03-31", "quarter": "Q4"}]
    if "establishment_type" in takes:
        chosen.append({"year": "2006-07", "establishment_type": "local"})
    return chosen


def unfilled_columns(result: ReportResult, where: str = "") -> list[str]:
    """Each column whose key is missing from a row (or the totals), as "report: ... key"."""
    name = f"{result.name}{where}"
    problems = []

    def check(columns: list[Column], rows: list[dict[str, object]], what: str) -> None:
        for column in columns:
            without = sum(1 for row in rows if column.key not in row)
            if without:
                problems.append(
                    f"{name}: {what} column {column.key!r} ({column.label}) is missing from "
                    f"{without} of {len(rows)} rows"
                )

    check(result.columns, result.rows, "the")
    check(result.total_columns, [result.totals], "the totals'")
    for table in result.tables:
        check(table.columns, table.rows, f"the {table.key} table's")
    return problems


@pytest.mark.usefixtures("demo", "db")
@pytest.mark.parametrize("name", sorted(REPORTS))
def test_every_column_of_every_report_has_its_key_in_every_row(name):
    report = REPORTS[name]
    problems = []
    rows_seen = 0
    for raw in params_for(report.takes):
        result = run_report(name, raw)
        assert result.name == name and result.title == report.title
        rows_seen += len(result.rows)
        problems += unfilled_columns(result, f" {raw}")
    assert not problems, "\n".join(problems)
    # With no rows there would be nothing to check: the demo gives every report some.
    assert rows_seen, f"{name}: the demo gives it no rows"


def test_a_column_key_with_a_typo_is_named_with_its_report(monkeypatch):
    monkeypatch.setattr("stepchange.reports.registry.REPORTS", dict(REPORTS))

    @register(name="typo-check", title="Typo check", description="A column whose key its rows do not hold.")
    def typo_check(params: ReportParams) -> ReportResult:
        return ReportResult(
            params=params,
            columns=[Column("name", "Name"), Column("vcs_value", "VCS value", ColumnKind.MONEY)],
            rows=[{"name": "Area", "vcs_vaule": Decimal("1.00")}],
            totals={"contracts": 1},
            total_columns=[Column("contract", "Contracts", ColumnKind.COUNT)],
            tables=[Table("extra", "Extra", [Column("when", "When", ColumnKind.DATE)], [{"date": None}])],
        )

    result = typo_check(ReportParams(region=Region(code="YH", name="Yorkshire and Humberside")))
    assert result.name == "typo-check" and result.title == "Typo check"
    assert unfilled_columns(result) == [
        "typo-check: the column 'vcs_value' (VCS value) is missing from 1 of 1 rows",
        "typo-check: the totals' column 'contract' (Contracts) is missing from 1 of 1 rows",
        "typo-check: the extra table's column 'when' (When) is missing from 1 of 1 rows",
    ]


def test_a_column_kind_that_is_none_is_refused_when_the_column_is_made() -> None:
    # Kinds given as plain strings, as a report definition may: the type says ColumnKind on purpose.
    assert Column("share", "Share", "pct2").kind is ColumnKind.PERCENT_2  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="'percent'"):
        Column("share", "Share", "percent")  # type: ignore[arg-type]
