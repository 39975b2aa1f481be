"""A report's columns, their kinds, and how a value of each kind is written: the one place that
decides it for the page, the CSV and the XLSX.

The page rounds, once, half up, through the govuk filters; the downloads keep full precision (a
Decimal is written as its exact digits) and the XLSX gives a number its display format. A flag is
"yes" or "no" in a download, and a list is joined: with commas on the page, with semicolons (a
set sorted) in a download.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any

from stepchange.core.money import percent, points, pounds, round_half_up


class ColumnKind(StrEnum):
    TEXT = "text"
    # Whole pounds on the page, £1,234; pounds and pence in the XLSX.
    MONEY = "money"
    # A percentage to one decimal place, 3.3%.
    PERCENT = "pct"
    # A percentage to two decimal places, 3.26%.
    PERCENT_2 = "pct2"
    # A change in percentage points, signed, to two places: +0.35; no change is 0.00.
    POINTS = "pts"
    # A whole number, 1,234.
    COUNT = "int"
    # 1 October 2006 on the page, ISO in the downloads.
    DATE = "date"
    # Hours to one decimal place, 2.5; the downloads keep every digit.
    HOURS = "hrs"

    @property
    def numeric(self) -> bool:
        """Right-aligned on the page, as GOV.UK sets numbers."""
        return self in _XLSX_FORMATS

    @property
    def xlsx_format(self) -> str | None:
        return _XLSX_FORMATS.get(self)


MONEY_FORMAT = '"£"#,##0.00'
_XLSX_FORMATS: dict[ColumnKind, str] = {
    ColumnKind.MONEY: MONEY_FORMAT,
    ColumnKind.PERCENT: "0.0",
    ColumnKind.PERCENT_2: "0.00",
    ColumnKind.POINTS: "+0.00;-0.00;0.00",
    ColumnKind.COUNT: "#,##0",
    ColumnKind.HOURS: "#,##0.0",
}
XLSX_DATE_FORMAT = "yyyy-mm-dd"


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: ColumnKind = ColumnKind.TEXT
    # What an empty value means, shown in its place: "no grant recorded" where a share or an
    # amount needs a main grant, a dash otherwise.
    missing: str = "–"
    # Left out of the page's table until the reader asks for every column, so the figures a
    # reader comes for (a share, its target, the gap) fit the screen; the downloads keep every
    # column whatever this says.
    secondary: bool = False

    def __post_init__(self) -> None:
        # A kind given by its value ("money") is the kind; a kind that is none is refused here,
        # when the column is made, not shown as text.
        object.__setattr__(self, "kind", ColumnKind(self.kind))


def _text(value: Any) -> str:
    if isinstance(value, list | tuple | set | frozenset):
        return ", ".join(str(v) for v in value)
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def _date(value: Any) -> str:
    return f"{value:%-d %B %Y}" if isinstance(value, datetime.date) else _text(value)


_PAGE: dict[ColumnKind, Callable[[Any], str]] = {
    ColumnKind.TEXT: _text,
    ColumnKind.MONEY: pounds,
    ColumnKind.PERCENT: lambda value: percent(value, 1),
    ColumnKind.PERCENT_2: lambda value: percent(value, 2),
    ColumnKind.POINTS: lambda value: points(value, 2),
    ColumnKind.COUNT: lambda value: f"{int(value):,}",
    ColumnKind.DATE: _date,
    ColumnKind.HOURS: lambda value: f"{round_half_up(Decimal(value), 1):,}",
}


def page_text(value: Any, column: Column) -> str:
    """The value as the page shows it; the column's own words when there is none."""
    if value is None:
        return column.missing
    return _PAGE[column.kind](value)


def download_value(value: Any) -> Any:
    """The value as a CSV or XLSX cell holds it, before it is made safe from formulas: a flag as
    yes or no, a list joined with semicolons (a set sorted), anything else as it is."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple | set | frozenset):
        return "; ".join(str(v) for v in (sorted(value) if isinstance(value, set | frozenset) else value))
    return value


def xlsx_format(value: Any, kind: ColumnKind | None) -> str | None:
    """The XLSX display format of a cell's value (already a download value) in a column of ``kind``."""
    if kind is not None and kind.xlsx_format and isinstance(value, int | Decimal):
        return kind.xlsx_format
    if isinstance(value, datetime.date):
        return XLSX_DATE_FORMAT
    return None
