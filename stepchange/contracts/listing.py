"""The contract list as the page and its CSV both show it: scoped, filtered and sorted in one place.

Everything starts from ``contracts_visible_to(user)``, so a filter, a sort order or a page number
can never reach a contract the user may not see, and the caption's count is the count of what
they may see.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import urlencode

from django.core.exceptions import EmptyResultSet
from django.core.paginator import Page, Paginator
from django.db.models import Count, QuerySet
from django.utils.functional import cached_property

from stepchange.contracts.access import contracts_visible_to
from stepchange.contracts.models import Contract
from stepchange.contracts.selectors import counts_toward_target_q, live_during, live_on
from stepchange.core.dataversion import cached
from stepchange.organisations.models import Commissioner

T = TypeVar("T")

# The sortable columns: the name in the URL, its heading, and the ordering it stands for.
SORTABLE: dict[str, tuple[str, str]] = {
    "reference": ("Reference", "reference"),
    "title": ("Title", "title"),
    "commissioner": ("Commissioner", "commissioner__code"),
    "prime": ("Prime provider", "prime__name"),
    "value": ("Annual value", "annual_value"),
    "start": ("Start", "start"),
    "end": ("End", "end"),
}
DEFAULT_SORT = "commissioner"


@dataclass(frozen=True)
class SortOrder:
    column: str
    descending: bool

    @classmethod
    def parse(cls, text: str | None) -> SortOrder:
        """``value`` or ``-value``; anything else falls back to the default order, silently."""
        text = (text or "").strip()
        descending = text.startswith("-")
        column = text.removeprefix("-")
        if column not in SORTABLE:
            return cls(DEFAULT_SORT, False)
        return cls(column, descending)

    @property
    def param(self) -> str:
        return f"-{self.column}" if self.descending else self.column

    def ordering(self) -> list[str]:
        field = SORTABLE[self.column][1]
        sign = "-" if self.descending else ""
        # The reference breaks ties, so pages never overlap or skip a row.
        return [f"{sign}{field}", "reference", "pk"]


# How a report and the list name contracts that give no funder or programme.
NOT_NAMED = "Not named"


def list_query(**filters: Any) -> str:
    """The contract list's query string for these filters (as the filter form names them), so that
    a figure links to exactly the rows it sums. Dates are written YYYY-MM-DD, models by code."""
    params: dict[str, str] = {}
    for key, value in filters.items():
        if value is None or value == "":
            continue
        if isinstance(value, datetime.date):
            value = value.isoformat()
        elif hasattr(value, "code"):
            value = value.code
        elif hasattr(value, "name") and key == "year":
            value = value.name
        params[key] = str(value)
    return urlencode(sorted(params.items()))


def visible_contracts(
    user: Any,
    *,
    commissioner: Any = None,
    pathway: Any = None,
    sector: str = "",
    funding: str = "",
    live_on_date: datetime.date | None = None,
    region: Any = None,
    commissioner_kind: str = "",
    counts: str = "",
    funder: str = "",
    year: Any = None,
    sort: SortOrder | None = None,
) -> QuerySet[Contract]:
    contracts = contracts_visible_to(user)
    if region is not None:
        contracts = contracts.filter(commissioner__region=region)
    if commissioner_kind:
        contracts = contracts.filter(commissioner__kind=commissioner_kind)
    if counts == "yes":
        contracts = contracts.filter(counts_toward_target_q())
    elif counts == "no":
        contracts = contracts.exclude(counts_toward_target_q())
    if funder:
        contracts = contracts.filter(funder="" if funder == NOT_NAMED else funder)
    if year is not None:
        contracts = live_during(contracts, year.start, year.end)
    if commissioner is not None:
        contracts = contracts.filter(commissioner=commissioner)
    if pathway is not None:
        contracts = contracts.filter(pathways=pathway)
    if sector:
        contracts = contracts.filter(prime__sector=sector)
    if funding:
        contracts = contracts.filter(funding_source=funding)
    if live_on_date is not None:
        contracts = live_on(contracts, live_on_date)
    sort = sort or SortOrder(DEFAULT_SORT, False)
    return (
        contracts.select_related("commissioner__organisation", "prime")
        .prefetch_related("pathways")
        .order_by(*sort.ordering())
    )


class ContractPaginator(Paginator):
    """Pages of the list that read the contracts once, not once for the count and again to sort.

    The count is cached while the data is unchanged (``core.dataversion.cached``), keyed by the
    exact query, so it is the count of what this user may see with these filters. In the default
    order, by commissioner, the count is taken per commissioner instead; a page then reads only
    the commissioners its rows fall in, each in reference order along an index, and never sorts
    the whole list. The rows and their order are exactly those of ``object_list[bottom:top]``.
    """

    def __init__(self, contracts: QuerySet[Contract], per_page: int, sort: SortOrder) -> None:
        super().__init__(contracts, per_page)
        self.contracts = contracts
        self.by_commissioner = sort.column == "commissioner"
        self.descending = sort.descending

    @cached_property
    def per_commissioner(self) -> list[tuple[int, int]]:
        """(commissioner id, contracts shown) in the list's order of commissioners."""
        grouped = self.contracts.order_by().values("commissioner_id").annotate(n=Count("pk"))
        # By the database's own ordering of codes, as the full query would sort them.
        order = "-code" if self.descending else "code"

        def compute() -> list[tuple[int, int]]:
            counts = {row["commissioner_id"]: row["n"] for row in grouped}
            ordered = Commissioner.objects.filter(pk__in=counts).order_by(order).values_list("pk", flat=True)
            return [(pk, counts[pk]) for pk in ordered]

        return _cached_for(grouped, "contract-list-by-commissioner", order, compute=compute)

    @cached_property
    def count(self) -> int:
        if self.by_commissioner:
            return sum(n for _pk, n in self.per_commissioner)
        contracts = self.contracts.order_by()
        return _cached_for(contracts, "contract-list-count", compute=contracts.count)

    def page(self, number: Any) -> Page:
        if not self.by_commissioner:
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.count)
        rows: list[Contract] = []
        first = 0  # the position in the list of the current commissioner's first contract
        for commissioner_id, n in self.per_commissioner:
            if first + n > bottom and first < top:
                start, stop = max(bottom - first, 0), min(top - first, n)
                # Within one commissioner the list's order is by reference (unique), then pk.
                one = self.contracts.filter(commissioner_id=commissioner_id).order_by("reference", "pk")
                rows.extend(one[start:stop])
            first += n
            if first >= top:
                break
        return Page(rows, number, self)


def _cached_for(query: QuerySet[Any], *key: str, compute: Callable[[], T]) -> T:
    """``compute()``, cached under the exact SQL and parameters of ``query`` and the data version."""
    try:
        sql, params = query.query.sql_with_params()
    except EmptyResultSet:
        return compute()
    return cached((*key, sql, tuple(params)), compute)
