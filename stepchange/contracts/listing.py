"""The contract list as the page and its CSV both show it: scoped, filtered and sorted in one place.

Everything starts from ``contracts_visible_to(user)``, so a filter, a sort order or a page number
can never reach a contract the user may not see, and the caption's count is the count of what
they may see.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from stepchange.contracts.access import contracts_visible_to
from stepchange.contracts.models import Contract
from stepchange.contracts.selectors import live_on

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


def visible_contracts(
    user: Any,
    *,
    commissioner: Any = None,
    pathway: Any = None,
    sector: str = "",
    funding: str = "",
    live_on_date: datetime.date | None = None,
    sort: SortOrder | None = None,
) -> QuerySet[Contract]:
    contracts = contracts_visible_to(user)
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
