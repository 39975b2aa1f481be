"""The contract list as downloads: CSV and XLSX of the rows the list shows, streamed.

A national list runs to hundreds of thousands of contracts, so neither download holds them all at
once: the contracts are read ``CHUNK`` at a time as plain values (no model instances), and each
chunk's pathways and sub-contract values come in one query each, not one per contract. The CSV is
sent as it is written; the XLSX is written row by row (openpyxl's write-only mode) to a temporary
file that is then sent, since a workbook is a zip whose directory comes last.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal
from typing import IO, Any

from django.db.models import QuerySet
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from stepchange.contracts.models import Contract, ContractKind, FundingSource, SubContract
from stepchange.core.exports import safe_cell
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
    """One row per contract, as the CSV_COLUMNS name them: text as the list shows it, the annual
    value a Decimal, dates, and the sum of the sub-contracts' values (0 when there are none)."""
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
            yield [
                reference,
                title,
                code,
                commissioner_name,
                prime,
                _SECTORS.get(sector, sector),
                "; ".join(pathways.get(pk, ())),
                annual_value,
                start,
                end,
                _FUNDING.get(funding_source, funding_source),
                funder,
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
        writer.writerow([safe_cell(cell) for cell in row])
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
MONEY_FORMAT = '"£"#,##0.00'
DATE_FORMAT = "yyyy-mm-dd"


def write_xlsx(contracts: QuerySet[Contract], file: IO[bytes]) -> None:
    """One sheet, Contracts: the CSV's columns under headings in words, values as numbers in
    pounds, dates as dates, text made safe from formulas."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Contracts")
    bold = Font(bold=True)
    headings = []
    for heading in XLSX_HEADINGS:
        cell = WriteOnlyCell(sheet, value=heading)
        cell.font = bold
        headings.append(cell)
    sheet.append(headings)
    for row in contract_rows(contracts):
        cells: list[Any] = [safe_cell(value) for value in row]
        for index, number_format in ((7, MONEY_FORMAT), (8, DATE_FORMAT), (9, DATE_FORMAT), (14, MONEY_FORMAT)):
            if cells[index] is not None:
                cell = WriteOnlyCell(sheet, value=cells[index])
                cell.number_format = number_format
                cells[index] = cell
        sheet.append(cells)
    workbook.save(file)
