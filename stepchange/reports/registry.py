"""The report registry: each report is registered once and gets its page, its downloads
(.csv, .json, .xlsx) and its command-line form from here.

A report is a selector that takes parsed parameters and returns a ``ReportResult``: rows and
totals with exact values (Decimal), the columns to show them (``columns.Column``, each of a
``ColumnKind``), a chart, and a reconciliation against published figures where the source's own
numbers do not add up. The report's name and title are written once, where it is registered; the
registry puts them on every result.

The registry is generic: it imports no app's rules. The two answers it needs from the service (the
date a report is at when none is given, and the establishment types a prison report can be
narrowed to) are given to it once at start-up (``use_rules``, from ``reports.apps``).
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings

from stepchange.core.models import FinancialYear, Region
from stepchange.core.periods import DateOutsideAnyYear, year_containing
from stepchange.core.replica import report_reads
from stepchange.reports.columns import Column


class ParamError(ValueError):
    """A report parameter a person got wrong; the message says what was expected.

    ``field`` names the parameter (region, at or year) so a form can put the message beside it.
    """

    def __init__(self, message: str, *, field: str = "") -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class ReportParams:
    region: Region
    at: datetime.date | None = None
    year: FinancialYear | None = None
    # 1 to 4, for the reports that take a quarter (Q1 April-June ... Q4 January-March).
    quarter: int | None = None
    # For the prison reports: only establishments of this type (organisations.EstablishmentType).
    establishment_type: str = ""
    # Whether the date was asked for (``at=``, or a year shown at its last day), not the region's
    # default date: the commissioning funnel is drawn at a date only when one is asked for.
    at_asked: bool = False

    def as_dict(self) -> dict[str, str]:
        out = {"region": self.region.code}
        if self.at:
            out["at"] = self.at.isoformat()
        if self.year:
            out["year"] = self.year.name
        if self.quarter:
            out["quarter"] = f"Q{self.quarter}"
        if self.establishment_type:
            out["establishment_type"] = self.establishment_type
        return out


@dataclass
class Chart:
    """What the server-rendered SVG draws: one or more series over the same categories."""

    kind: str  # "bar" or "line"
    title: str
    categories: list[str]
    series: list[tuple[str, list[Decimal | None]]]
    unit: str = "%"
    reference: tuple[str, Decimal] | None = None


@dataclass
class ReconciliationRow:
    figure: str
    published: str
    computed: Decimal | None
    precision: int
    source: str
    note: str = ""

    @property
    def computed_rounded(self) -> Decimal | None:
        from stepchange.core.money import round_half_up

        return None if self.computed is None else round_half_up(self.computed, self.precision)

    @property
    def difference(self) -> Decimal | None:
        rounded = self.computed_rounded
        return None if rounded is None else rounded - Decimal(self.published.replace(",", "").lstrip("£+"))

    @property
    def matches(self) -> bool:
        return self.difference == 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "figure": self.figure,
            "published": self.published,
            "computed": self.computed,
            "computed_rounded": self.computed_rounded,
            "difference": self.difference,
            "matches": self.matches,
            "source": self.source,
            "note": self.note,
        }


@dataclass
class Table:
    """A further table of a report, beside its main rows (like co-ordinator posts by quarter)."""

    key: str
    title: str
    columns: list[Column]
    rows: list[dict[str, Any]]


@dataclass
class ReportResult:
    params: ReportParams
    columns: list[Column]
    rows: list[dict[str, Any]]
    totals: dict[str, Any]
    total_columns: list[Column] = field(default_factory=list)
    chart: Chart | None = None
    reconciliation: list[ReconciliationRow] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    highlight: dict[str, set[str]] = field(default_factory=dict)
    tables: list[Table] = field(default_factory=list)
    # The workings of a figure: for (row index, or "__totals__", column key), the contract list's
    # filters that select exactly the contracts the figure counts or sums (as a query string).
    workings: dict[tuple[int | str, str], str] = field(default_factory=dict)
    # The report's, as registered: set by the registry, never by a selector.
    name: str = field(default="", init=False)
    title: str = field(default="", init=False)


Selector = Callable[[ReportParams], ReportResult]
# A report's national form: its main rows for each of many regions at once (by region code), in a
# fixed number of statements whatever the number of regions; the figures are the selector's.
NationalForm = Callable[[ReportParams, list[Region]], dict[str, list[dict[str, Any]]]]


@dataclass(frozen=True)
class Report:
    name: str
    title: str
    description: str
    selector: Selector
    # Which of at/year/quarter/establishment_type the report takes; region it always takes.
    takes: frozenset[str]
    # Not a published figure: for people signed in only (``reports.access``).
    signed_in_only: bool = False
    # Its main rows for many regions at once, where the report has that form (``national_form``).
    national: NationalForm | None = None


REPORTS: dict[str, Report] = {}


def national_form(name: str) -> Callable[[NationalForm], NationalForm]:
    """Register the national form of the report registered as ``name`` (registered first)."""

    def wrap(form: NationalForm) -> NationalForm:
        report = REPORTS[name]
        if report.national is not None:
            raise ValueError(f"The report {name!r} has two national forms.")
        REPORTS[name] = dataclasses.replace(report, national=form)
        return form

    return wrap


def register(
    *, name: str, title: str, description: str, takes: tuple[str, ...] = ("at",), signed_in_only: bool = False
) -> Callable[[Selector], Selector]:
    """Register a report under ``name``; its selector's results carry the name and title given here,
    whether it runs through the registry or is called directly."""

    def wrap(selector: Selector) -> Selector:
        @functools.wraps(selector)
        def named(params: ReportParams) -> ReportResult:
            # A report reads from the read replica when one is in use (core/replica.py).
            with report_reads():
                result = selector(params)
            result.name, result.title = name, title
            return result

        if name in REPORTS:
            raise ValueError(f"Two reports are registered as {name!r}.")
        REPORTS[name] = Report(
            name=name,
            title=title,
            description=description,
            selector=named,
            takes=frozenset(takes),
            signed_in_only=signed_in_only,
        )
        return named

    return wrap


@dataclass
class Rules:
    """What the registry asks of the service, given once at start-up by ``use_rules``."""

    # The date a report is at when it is given neither a date nor a year.
    default_at: Callable[[Region], datetime.date] = lambda region: datetime.date.today()
    # The establishment types a prison report can be narrowed to, as (value, label).
    establishment_types: Callable[[], Sequence[tuple[str, str]]] = lambda: ()


RULES = Rules()


def use_rules(
    *,
    default_at: Callable[[Region], datetime.date],
    establishment_types: Callable[[], Sequence[tuple[str, str]]],
) -> None:
    RULES.default_at = default_at
    RULES.establishment_types = establishment_types


def parse_params(report: Report, raw: Mapping[str, str]) -> ReportParams:
    unknown = set(raw) - {"region", "at", "year", "quarter", "establishment_type"}
    if unknown:
        raise ParamError(
            f"Unknown parameter {sorted(unknown)[0]!r}: use region, at, year, quarter or establishment_type."
        )
    quarter = _parse_quarter(report, raw.get("quarter", ""))
    establishment_type = _parse_establishment_type(report, raw.get("establishment_type", ""))
    for key, value in raw.items():
        # No form sends a NUL byte, and PostgreSQL refuses one in a query (a DataError, so a 500).
        if "\x00" in value:
            raise ParamError(f"The {key} has a character no {key} can have: type it again.", field=key)
    code = (raw.get("region") or settings.DEFAULT_REGION).strip()
    region = Region.objects.filter(code__iexact=code).first()
    if region is None:
        raise ParamError(f"There is no region with the code {code!r}.", field="region")
    at: datetime.date | None = None
    year: FinancialYear | None = None
    if raw.get("at"):
        try:
            at = datetime.date.fromisoformat(raw["at"].strip())
        except ValueError:
            raise ParamError(
                f"The date {raw['at']!r} is not a date: write it as YYYY-MM-DD, for example 2006-10-01.",
                field="at",
            ) from None
    if raw.get("year"):
        year = FinancialYear.objects.filter(name=raw["year"].strip()).first()
        if year is None:
            raise ParamError(f"There is no financial year {raw['year']!r}: write it like 2006-07.", field="year")
    if at and year:
        raise ParamError("Give either a date (at) or a financial year (year), not both.", field="at")
    if year and "year" not in report.takes:
        # A report at a point in time, asked for a year, is shown at the year's last day.
        at, year = min(year.end, datetime.date.today()) if year.start <= datetime.date.today() else year.end, None
    at_asked = at is not None
    if at is None and year is None:
        at = RULES.default_at(region)
    if at is not None:
        try:
            year_containing(at)
        except DateOutsideAnyYear as exc:
            raise ParamError(str(exc), field="at") from None
    return ReportParams(
        region=region, at=at, year=year, quarter=quarter, establishment_type=establishment_type, at_asked=at_asked
    )


def _parse_establishment_type(report: Report, raw: str) -> str:
    text = raw.strip()
    if not text:
        return ""
    if "establishment_type" not in report.takes:
        raise ParamError(f"The report {report.name} does not take an establishment type.", field="establishment_type")
    choices = RULES.establishment_types()
    values = [value for value, _ in choices]
    by_label = {str(label).casefold(): value for value, label in choices}
    chosen = text if text in values else by_label.get(text.casefold())
    if chosen is None:
        raise ParamError(
            f"The establishment type {raw!r} is not one: write one of {', '.join(values)}.",
            field="establishment_type",
        )
    return str(chosen)


def _parse_quarter(report: Report, raw: str) -> int | None:
    text = raw.strip().upper()
    if not text:
        return None
    if "quarter" not in report.takes:
        raise ParamError(f"The report {report.name} does not take a quarter.", field="quarter")
    if text not in {"Q1", "Q2", "Q3", "Q4"}:
        raise ParamError(f"The quarter {raw!r} is not a quarter: write Q1, Q2, Q3 or Q4.", field="quarter")
    return int(text[1])


def run_national(name: str, raw: Mapping[str, str], regions: list[Region]) -> dict[str, list[dict[str, Any]]]:
    """The report's main rows for each of ``regions`` at once, by region code, with the parameters
    parsed as for ``run_report`` (the region among them is the one a national report ranks as
    one's own)."""
    report = REPORTS.get(name)
    if report is None:
        raise ParamError(f"There is no report called {name!r}. Reports: {', '.join(sorted(REPORTS))}.")
    if report.national is None:
        raise ParamError(f"The report {name} has no national form.")
    return report.national(parse_params(report, raw), regions)


def run_report(name: str, raw: Mapping[str, str]) -> ReportResult:
    report = REPORTS.get(name)
    if report is None:
        raise ParamError(f"There is no report called {name!r}. Reports: {', '.join(sorted(REPORTS))}.")
    # Its parameters' look-ups (the region, the date it is at) are a report's reads too.
    with report_reads():
        return report.selector(parse_params(report, raw))
