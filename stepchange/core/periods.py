"""Financial years and quarters: 1 April to 31 March; Q1 April-June ... Q4 January-March.

The years the service holds (``FinancialYear`` rows) are those its data uses: migration 0002 adds
2004-05 to 2030-31, and a contract (or a probation return's date) in a year not yet held makes it
held when it is saved, with any years between it and those already held, so that the list of
years (report and filter choices, grants, targets, rounds) runs without a gap. Only dates from
1 April 1980 to 31 March 2099 are taken: anything outside is a typing mistake, not a contract.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Max, Min

from stepchange.core.models import FinancialYear

# The first and last day of the years the service will hold.
EARLIEST = datetime.date(1980, 4, 1)
LATEST = datetime.date(2099, 3, 31)


class DateOutsideAnyYear(ValueError):
    def __init__(self, day: datetime.date) -> None:
        super().__init__(f"{day:%-d %B %Y} is not in any financial year the service holds.")
        self.day = day


class DateOutsideHoldableYears(DateOutsideAnyYear):
    def __init__(self, day: datetime.date) -> None:
        ValueError.__init__(
            self,
            f"{day:%-d %B %Y} is too far back or ahead: enter a date from {EARLIEST:%-d %B %Y} to {LATEST:%-d %B %Y}.",
        )
        self.day = day


def year_name_for(day: datetime.date) -> str:
    first = day.year if day.month >= 4 else day.year - 1
    return f"{first}-{(first + 1) % 100:02d}"


def year_bounds(name: str) -> tuple[datetime.date, datetime.date]:
    first = int(name[:4])
    return datetime.date(first, 4, 1), datetime.date(first + 1, 3, 31)


def check_holdable(day: datetime.date) -> None:
    """Refuse a date in no year the service would hold (``DateOutsideHoldableYears``)."""
    if not EARLIEST <= day <= LATEST:
        raise DateOutsideHoldableYears(day)


def hold_year_of(day: datetime.date) -> FinancialYear:
    """The financial year containing ``day``, made held if it is not yet (with the years between it
    and those already held). Called inside the saving service's transaction."""
    check_holdable(day)
    name = year_name_for(day)
    held = FinancialYear.objects.filter(name=name).first()
    if held is not None:
        return held
    first = int(name[:4])
    bounds = FinancialYear.objects.aggregate(earliest=Min("start"), latest=Max("start"))
    firsts = {first}
    if bounds["earliest"] is not None:
        firsts |= set(range(first, bounds["earliest"].year)) | set(range(bounds["latest"].year + 1, first + 1))
    for year in sorted(firsts):
        start = datetime.date(year, 4, 1)
        FinancialYear.objects.get_or_create(
            name=year_name_for(start), defaults={"start": start, "end": datetime.date(year + 1, 3, 31)}
        )
    return FinancialYear.objects.get(name=name)


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


def quarter_containing(day: datetime.date) -> Quarter:
    """The financial quarter of a day (Q1 April-June ... Q4 January-March), worked out from the date
    alone: it needs no year held by the service."""
    number = (day.month - 4) % 12 // 3 + 1
    start = datetime.date(day.year, (number * 3) % 12 + 1, 1)
    after = datetime.date(start.year + 1, 1, 1) if start.month == 10 else datetime.date(start.year, start.month + 3, 1)
    return Quarter(year=year_name_for(day), number=number, start=start, end=after - datetime.timedelta(days=1))
