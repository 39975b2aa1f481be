"""The contract list as downloads: CSV and XLSX of the rows the list shows, streamed.

A national list runs to hundreds of thousands of contracts, so neither download holds them all at
once: the contracts are read ``CHUNK`` at a time as plain values (no model instances), and each
contract's pathways and sub-contract values are read beside them, in the same order (``InStep``):
three queries for the whole export, whatever its size. Both are sent as they are written (the
workbook by ``core.streamed_workbook``).
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from stepchange.contracts.models import Contract, ContractKind, FundingSource, SubContract
from stepchange.core.exports import SafeCsvWriter
from stepchange.core.streamed_workbook import workbook_chunks
from stepchange.organisations.models import Sector

CHUNK = 2000
# About how much text a streamed piece holds: pieces of a fixed size, not of a number of rows,
# keep memory flat whatever the rows hold.
PIECE = 1 << 16

CSV_COLUMNS = [
    "reference",
    "title",
    "commissioner",
    "commissioner_name",
    "prime",
    "prime_sector",
    "pathways",
    "annual_value",
    "start",
    "end",
    "funding_source",
    "funder",
    "kind",
    "published",
    "sub_contracted_value",
]

_FIELDS = (
    "pk",
    "reference",
    "title",
    "commissioner__code",
    "commissioner__organisation__name",
    "prime__name",
    "prime__sector",
    "annual_value",
    "start",
    "end",
    "funding_source",
    "funder",
    "kind",
    "published",
)
_SECTORS = dict(Sector.choices)
_FUNDING = dict(FundingSource.choices)
_KINDS = dict(ContractKind.choices)


def contract_order(contracts: QuerySet[Contract]) -> list[str]:
    """The queryset's ordering, ending with the primary key so that no two contracts tie."""
    terms = list(contracts.query.order_by) or list(Contract._meta.ordering or ())
    order = [term for term in terms if isinstance(term, str)]
    if len(order) != len(terms):
        raise TypeError(f"an export orders contracts by field names, not {terms!r}")
    return [*order, "pk"] if order[-1:] != ["pk"] else order


class InStep:
    """The rows of a table that hangs off contracts (their pathways, their sub-contracts), read
    in the contracts' own order so they can be taken contract by contract as the contracts are
    read: one query for the whole export, however many contracts, and only a chunk in memory.

    ``fields`` are the values wanted; ``then`` orders a contract's rows among themselves.
    """

    def __init__(
        self, contracts: QuerySet[Contract], related: QuerySet[Any], fields: tuple[str, ...], then: tuple[str, ...]
    ) -> None:
        along = [
            f"-contract__{term[1:]}" if term.startswith("-") else f"contract__{term}"
            for term in contract_order(contracts)
        ]
        self._rows = (
            related.filter(contract__in=contracts.order_by().values("pk"))
            .order_by(*along, *then)
            .values_list("contract_id", *fields)
            .iterator(chunk_size=CHUNK)
        )
        self._next = next(self._rows, None)

    def take(self, contract_id: int) -> list[tuple[Any, ...]]:
        """This contract's rows: it must be the next contract that has any, or it has none."""
        found = []
        while self._next is not None and self._next[0] == contract_id:
            found.append(self._next[1:])
            self._next = next(self._rows, None)
        return found

    def finish(self) -> None:
        if self._next is not None:
            raise RuntimeError(f"rows of contract {self._next[0]} were not taken: the orders differ")


def contract_chunks(contracts: QuerySet[Contract], fields: tuple[str, ...]) -> Iterator[list[tuple[Any, ...]]]:
    """The contracts' values in the queryset's order (ties broken by key), ``CHUNK`` rows at a time."""
    chunk: list[tuple[Any, ...]] = []
    rows = contracts.prefetch_related(None).order_by(*contract_order(contracts)).values_list(*fields)
    for values in rows.iterator(chunk_size=CHUNK):
        chunk.append(values)
        if len(chunk) == CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def contract_rows(contracts: QuerySet[Contract]) -> Iterator[list[Any]]:
    """One row per contract, as the CSV_COLUMNS name them: text as the list shows it, the annual
    value a Decimal, dates, and the sum of the sub-contracts' values (0 when there are none).
    The writers (``SafeCsvWriter``, ``workbook_chunks``) make every text cell safe from formulas."""
    # The pathways' own order, as the list page shows them.
    pathways = InStep(
        contracts, Contract.pathways.through.objects.all(), ("pathway__name",), ("pathway__order", "pathway_id")
    )
    subs = InStep(contracts, SubContract.objects.all(), ("value",), ())
    # Row by row, not chunk by chunk: a chunk held while the next is read would be two in memory.
    ordered = contracts.prefetch_related(None).order_by(*contract_order(contracts))
    for (
        pk,
        reference,
        title,
        code,
        commissioner_name,
        prime,
        sector,
        annual_value,
        start,
        end,
        funding_source,
        funder,
        kind,
        published,
    ) in ordered.values_list(*_FIELDS).iterator(chunk_size=CHUNK):
        yield [
            reference,
            title,
            code,
            commissioner_name,
            prime,
            _SECTORS.get(sector, sector),
            "; ".join(name for (name,) in pathways.take(pk)),
            annual_value,
            start,
            end,
            _FUNDING.get(funding_source, funding_source),
            funder,
            _KINDS.get(kind, kind),
            "yes" if published else "no",
            sum((value for (value,) in subs.take(pk)), Decimal(0)),
        ]
    pathways.finish()
    subs.finish()


def csv_chunks(contracts: QuerySet[Contract]) -> Iterator[bytes]:
    """The CSV, UTF-8, about ``PIECE`` characters to a piece: a heading row, then one row per contract."""
    out = io.StringIO()
    writer = SafeCsvWriter(out)
    writer.writerow(CSV_COLUMNS)
    for row in contract_rows(contracts):
        writer.writerow(row)
        if out.tell() >= PIECE:
            yield out.getvalue().encode()
            out.seek(0)
            out.truncate()
    yield out.getvalue().encode()


XLSX_HEADINGS = [
    "Reference",
    "Title",
    "Commissioner",
    "Commissioner name",
    "Prime provider",
    "Prime sector",
    "Pathways",
    "Annual value",
    "Start",
    "End",
    "Funding source",
    "Funder",
    "Kind",
    "Published",
    "Sub-contracted value",
]
XLSX_STYLES = [None] * 7 + ["money", "date", "date"] + [None] * 4 + ["money"]


def xlsx_chunks(contracts: QuerySet[Contract]) -> Iterator[bytes]:
    """One sheet, Contracts: the CSV's columns under headings in words, values as numbers in
    pounds, dates as dates, text made safe from formulas; sent as it is written."""
    return workbook_chunks("Contracts", XLSX_HEADINGS, contract_rows(contracts), column_styles=XLSX_STYLES)
