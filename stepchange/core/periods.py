"""Financial years and quarters: 1 April to 31 March; Q1 April-June ... Q4 January-March."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from stepchange.core.models import FinancialYear


class DateOutsideAnyYear(ValueError):
    def __init__(self, day: datetime.date) -> None:
        super().__init__(f"{day:%-d %B %Y} is not in any financial year the service holds.")
        self.day = day


def year_name_for(day: datetime.date) -> str:
    first = day.year if day.month >= 4 else day.year - 1
    return f"{first}-{(first + 1) % 100:02d}"


def year_bounds(name: str) -> tuple[datetime.date, datetime.date]:
    first = int(name[:4])
    return datetime.date(first, 4, 1), datetime.date(first + 1, 3, 31)


def year_containing(day: datetime.date) -> FinancialYear:
    year = FinancialYear.objects.filter(start__lte=day, end__gte=day).first()
    if year is None:
        raise DateOutsideAnyYear(day)
    return year


@dataclass(frozen=True)
class Quarter:
    year: str
    number: int
    start: datetime.date
    end: datetime.date

    @property
    def label(self) -> str:
        return f"{self.year} Q{self.number}"


def quarters_of(year: FinancialYear) -> list[Quarter]:
    starts = [datetime.date(year.start.year, m, 1) for m in (4, 7, 10)] + [datetime.date(year.start.year + 1, 1, 1)]
    ends = [s.replace(day=1) for s in starts[1:]] + [year.end + datetime.timedelta(days=1)]
    return [
        Quarter(year=year.name, number=i + 1, start=s, end=e - datetime.timedelta(days=1))
        for i, (s, e) in enumerate(zip(starts, ends, strict=True))
    ]
