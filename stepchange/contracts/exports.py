"""The contract list as downloads: CSV and XLSX of the rows the list shows, streamed.

A national list runs to hundreds of thousands of contracts, so neither download holds them all at
once: the contracts are read ``CHUNK`` at a time as plain values (no model instances), and each
chunk's pathways and sub-contract values come in one query each, not one per contract. Both are
sent as they are written (the workbook by ``core.streamed_workbook``).
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from stepchange.contracts.models import Contract, ContractKind, FundingSource, SubContract
from stepchange.core.exports import safe_cell
from stepchange.core.streamed_workbook import workbook_chunks
from stepchange.organisations.models import Sector

CHUNK = 2000

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


def _chunks(contracts: QuerySet[Contract]) -> Iterator[list[tuple[Any, ...]]]:
    """The contracts' values in the queryset's order, ``CHUNK`` rows at a time."""
    chunk: list[tuple[Any, ...]] = []
    for values in contracts.prefetch_related(None).values_list(*_FIELDS).iterator(chunk_size=CHUNK):
        chunk.append(values)
        if len(chunk) == CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def contract_rows(contracts: QuerySet[Contract]) -> Iterator[list[Any]]:
    """One row per contract, as the CSV_COLUMNS name them: text as the list shows it (made safe
    from formulas), the annual value a Decimal, dates, and the sum of the sub-contracts' values
    (0 when there are none)."""
    Through = Contract.pathways.through
    for chunk in _chunks(contracts):
        ids = [values[0] for values in chunk]
        pathways: dict[int, list[str]] = defaultdict(list)
        # The pathways' own order, as the list page shows them.
        for contract_id, name in (
            Through.objects.filter(contract_id__in=ids)
            .order_by("pathway__order", "pathway_id")
            .values_list("contract_id", "pathway__name")
        ):
            pathways[contract_id].append(name)
        sub_contracted: dict[int, Decimal] = defaultdict(lambda: Decimal(0))
        for contract_id, value in (
            SubContract.objects.filter(contract_id__in=ids).order_by().values_list("contract_id", "value")
        ):
            sub_contracted[contract_id] += value
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
        ) in chunk:
            # Only text people typed can start like a formula: the labels are the service's own,
            # values are never negative (the tables' checks) and dates start with the year.
            yield [
                safe_cell(reference),
                safe_cell(title),
                safe_cell(code),
                safe_cell(commissioner_name),
                safe_cell(prime),
                _SECTORS.get(sector, sector),
                safe_cell("; ".join(pathways.get(pk, ()))),
                annual_value,
                start,
                end,
                _FUNDING.get(funding_source, funding_source),
                safe_cell(funder),
                _KINDS.get(kind, kind),
                "yes" if published else "no",
                sub_contracted[pk] if pk in sub_contracted else Decimal(0),
            ]


def csv_chunks(contracts: QuerySet[Contract]) -> Iterator[bytes]:
    """The CSV, UTF-8, a few thousand rows to a piece: a heading row, then one row per contract."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for written, row in enumerate(contract_rows(contracts), start=1):
        row[7], row[14] = str(row[7]), str(row[14])
        row[8], row[9] = row[8].isoformat(), row[9].isoformat() if row[9] else ""
        writer.writerow(row)
        if written % CHUNK == 0:
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
    return workbook_chunks(
        "Contracts", XLSX_HEADINGS, contract_rows(contracts), column_styles=XLSX_STYLES, rows_per_piece=CHUNK
    )
