"""The contract list as the page and its CSV both show it: scoped, filtered and sorted in one place.

Everything starts from ``contracts_visible_to(user)``, so a filter, a sort order or a page number
can never reach a contract the user may not see, and the caption's count is the count of what
they may see.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.db.models import QuerySet

from stepchange.contracts.access import contracts_visible_to
from stepchange.contracts.models import Contract
from stepchange.contracts.selectors import counts_toward_target_q, live_during, live_on

# The sortable columns: the name in the URL, its heading, and the ordering it stands for.
SORTABLE: dict[str, tuple[str, str]] = {
    "reference": ("Reference", "reference"),
    "title": ("Title", "title"),
    "commissioner": ("Commissioner", "commissioner__organisation__name"),
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
