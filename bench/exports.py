"""Exports of every contract, CSV, XLSX and OCDS, against Python's ``csv`` writer fed from a raw cursor.

**What is timed.** The code path a user or a publisher's cron job hits, consumed to the end into a
sink that only counts the bytes: the ``contracts.csv`` and ``contracts.xlsx`` views (a superuser's
request, so every contract, in the list's order), and the open-data package of every published
contract as ``export_ocds --contracts`` writes it (``ocds_contracts.package_chunks``).

**The floor.** One hand-written SELECT of the CSV's fifteen columns, already formatted as the CSV
shows them (labels, exact pence, ISO dates, pathways joined in their order, sub-contracted value
summed, text made safe from formulas), through ``connection.cursor()``, fed to ``csv.writer`` and
encoded into the same kind of sink. For OCDS, the same package written by ``json.dumps`` from
four SELECTs on a raw cursor (``floor_ocds``). Goal: each export within 2× the floor's time
(``interleaved`` medians).

**Same content.** Before timing, each export's output is compared with its floor's: the CSV byte
for byte; the workbook read back, cell for cell (money as numbers, dates as dates); the OCDS
package byte for byte. A mismatch raises ``FloorMismatch``.

**Peak memory** (tracemalloc, ``bench.core.peak_memory``) of the same export function over every
row, against a floor of the same function over the first tenth of the rows (the contracts with
the lowest keys); goal ≤ 1.2×: a streamed export's memory does not grow with the rows. An export
reads ``CHUNK`` (2,000) contracts at a time, and Django holds the batch it has read while it
fetches the next, so memory is flat only from two batches on: the floor is the first tenth, but
never fewer than three chunks (6,000 rows; at 2,000 contracts that is every row, and the ratio
says nothing). At the full sizes the floor at 200,000 contracts is 20,000: the
issue's "peak at 200,000 within 1.2× of that at 20,000", measured in one process.

Nothing is written to the database or to disk.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import zipfile
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal
from typing import Any
from xml.etree import ElementTree

from bench.core import Context, Result, at_least, at_most, interleaved, peak_memory

TIME_GOAL = 2.0
MEMORY_GOAL = 1.2
URI = "https://stepchange.example/open-data/contracts.json"


class FloorMismatch(AssertionError):
    """An export and its floor did not hold the same rows."""


class Sink:
    """Where an export goes: counts the bytes and keeps nothing (text is encoded as a file would)."""

    def __init__(self) -> None:
        self.size = 0

    def write(self, data: str | bytes) -> int:
        self.size += len(data.encode() if isinstance(data, str) else data)
        return len(data)


class Keep(Sink):
    """A sink that keeps what it is given, to compare an export with its floor."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[bytes] = []

    def write(self, data: str | bytes) -> int:
        self.parts.append(data.encode() if isinstance(data, str) else data)
        return super().write(data)

    def value(self) -> bytes:
        return b"".join(self.parts)


# The floor ----------------------------------------------------------------------------------------


def _case(column: str, choices: Iterable[tuple[str, str]]) -> str:
    quoted = ((value, label.replace("'", "''")) for value, label in choices)
    whens = " ".join(f"WHEN '{value}' THEN '{label}'" for value, label in quoted)
    return f"CASE {column} {whens} ELSE {column} END"


def floor_sql(vendor: str, *, published_only: bool = False) -> str:
    """The CSV's columns, formatted by the database, in the list's default order."""
    from stepchange.contracts.models import ContractKind, FundingSource
    from stepchange.organisations.models import Sector

    if vendor == "postgresql":
        pathways = (
            "SELECT string_agg(pw.name, '; ' ORDER BY pw.\"order\", pw.id) FROM contracts_contract_pathways cp "
            "JOIN core_pathway pw ON pw.id = cp.pathway_id WHERE cp.contract_id = c.id"
        )
        annual, start, end = "c.annual_value::text", "c.start::text", "COALESCE(c.\"end\"::text, '')"
        sub_contracted = (
            "COALESCE((SELECT SUM(s.value)::text FROM contracts_subcontract s WHERE s.contract_id = c.id), '0')"
        )
        tab, cr = "chr(9)", "chr(13)"
    else:
        pathways = (
            "SELECT group_concat(name, '; ') FROM (SELECT pw.name FROM contracts_contract_pathways cp "
            'JOIN core_pathway pw ON pw.id = cp.pathway_id WHERE cp.contract_id = c.id ORDER BY pw."order", pw.id)'
        )
        annual, start, end = "printf('%.2f', c.annual_value)", "c.start", "COALESCE(c.\"end\", '')"
        sub_contracted = (
            "(SELECT CASE WHEN COUNT(*) = 0 THEN '0' ELSE printf('%.2f', SUM(s.value)) END "
            "FROM contracts_subcontract s WHERE s.contract_id = c.id)"
        )
        tab, cr = "char(9)", "char(13)"

    def safe(text: str) -> str:
        return (
            f"CASE WHEN substr({text}, 1, 1) IN ('=', '+', '-', '@', {tab}, {cr}) THEN '''' || {text} ELSE {text} END"
        )

    columns = [
        safe("c.reference"),
        safe("c.title"),
        safe("m.code"),
        safe("mo.name"),
        safe("p.name"),
        _case("p.sector", Sector.choices),
        safe(f"COALESCE(({pathways}), '')"),
        annual,
        start,
        end,
        _case("c.funding_source", FundingSource.choices),
        safe("c.funder"),
        _case("c.kind", ContractKind.choices),
        "CASE WHEN c.published THEN 'yes' ELSE 'no' END",
        sub_contracted,
    ]
    return (
        # Every part is a constant of this module or a model's choices.
        "SELECT "
        + ",\n  ".join(columns)
        + """
FROM contracts_contract c
JOIN organisations_commissioner m ON m.id = c.commissioner_id
JOIN organisations_organisation mo ON mo.id = m.organisation_id
JOIN organisations_organisation p ON p.id = c.prime_id
"""
        + ("WHERE c.published\n" if published_only else "")
        + "ORDER BY mo.name, c.reference, c.id"
    )


def floor_csv(sink: Sink, *, published_only: bool = False) -> None:
    from django.db import connection

    from stepchange.contracts.exports import CSV_COLUMNS

    writer = csv.writer(sink)
    writer.writerow(CSV_COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute(floor_sql(connection.vendor, published_only=published_only))
        while rows := cursor.fetchmany(2000):
            writer.writerows(rows)


def _raw(queryset: Any) -> list[tuple[Any, ...]]:
    """The rows of a queryset's SQL, run on a raw cursor: no model, no converter, no iterator."""
    from django.db import connection

    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def floor_ocds(sink: Sink) -> None:
    """The OCDS floor: the same package, byte for byte, written by ``json.dumps`` from four SELECTs
    run on a raw cursor (the published contracts in the package's order, their pathways, their
    sub-contracts, the organisations), each release built by the service's own ``_release`` from
    plain tuples. What the export costs beyond this is reading through the ORM a chunk at a time
    (to keep its memory flat) and keeping the pathways and sub-contracts in step."""
    from types import SimpleNamespace

    from django.db import connection
    from django.utils import timezone

    from stepchange.commissioning import ocds_contracts as oc
    from stepchange.commissioning.ocds import LICENSE, OCDS_VERSION, PUBLISHER
    from stepchange.contracts.exports import contract_order
    from stepchange.contracts.models import Contract, SubContract
    from stepchange.organisations.models import Organisation

    sqlite = connection.vendor == "sqlite"

    def pence(value: Any) -> Decimal:  # SQLite hands back decimals as numbers
        return Decimal(str(value)).quantize(Decimal("0.01")) if sqlite else value

    def day(value: Any) -> datetime.date | None:
        return datetime.date.fromisoformat(value) if isinstance(value, str) else value

    def moment(value: Any) -> datetime.datetime:  # SQLite's are naive UTC
        if isinstance(value, str):
            value = datetime.datetime.fromisoformat(value)
        return value.replace(tzinfo=datetime.UTC) if value.tzinfo is None else value

    published = oc.published_contracts()
    contracts = _raw(published.prefetch_related(None).order_by(*contract_order(published)).values_list(*oc._FIELDS))
    pathways: dict[int, list[tuple[str, str]]] = {}
    for pk, code, name in _raw(
        Contract.pathways.through.objects.filter(contract__in=published)
        .order_by("contract_id", "pathway__order", "pathway_id")
        .values_list("contract_id", "pathway__code", "pathway__name")
    ):
        pathways.setdefault(pk, []).append((code, name))
    subs: dict[int, list[tuple[int, Decimal]]] = {}
    for pk, partner, value in _raw(
        SubContract.objects.filter(contract__in=published)
        .order_by("contract_id", "partner__name", "pk")
        .values_list("contract_id", "partner_id", "value")
    ):
        subs.setdefault(pk, []).append((partner, pence(value)))
    organisations = {
        pk: oc._Party.of(Organisation(pk=pk, name=name, charity_number=charity, company_number=company))
        for pk, name, charity, company in _raw(
            Organisation.objects.values_list("pk", "name", "charity_number", "company_number")
        )
    }
    chunk: Any = SimpleNamespace(pathways=pathways, subs=subs)
    today = timezone.localdate()
    head = {"uri": URI, "version": OCDS_VERSION, "publisher": PUBLISHER, "license": LICENSE}
    sink.write(json.dumps(head, ensure_ascii=False)[:-1] + ', "releases": [\n')
    last_change = ""
    pieces: list[str] = []
    separator = ""
    for pk, reference, title, buyer, prime, annual, start, end, updated in contracts:
        row = (pk, reference, title, buyer, prime, pence(annual), day(start), day(end), moment(updated))
        release = oc._release(row, chunk, organisations, today)
        pieces.append(json.dumps(release, ensure_ascii=False))
        last_change = max(last_change, release["date"])
        if len(pieces) == 1000:
            sink.write(separator + ",\n".join(pieces))
            pieces, separator = [], ",\n"
    tail = f'\n], "publishedDate": {json.dumps(last_change)}}}\n'
    sink.write((separator if pieces else "") + ",\n".join(pieces) + tail)


# The exports --------------------------------------------------------------------------------------


def _superuser() -> Any:
    """Someone who sees every contract; never saved."""
    from stepchange.accounts.models import User

    return User(username="bench-exports", is_superuser=True, is_staff=True, is_active=True)


def _get(view: Callable[[Any], Any], path: str) -> Any:
    from django.test import RequestFactory

    request = RequestFactory().get(path)
    request.user = _superuser()
    return view(request)


def export_csv(sink: Sink) -> None:
    from stepchange.contracts import views

    response = _get(views.contract_list_csv, "/contracts.csv")
    for piece in response.streaming_content:
        sink.write(piece)


def export_xlsx(sink: Sink) -> None:
    from stepchange.contracts import views

    response = _get(views.contract_list_xlsx, "/contracts.xlsx")
    for piece in response.streaming_content:
        sink.write(piece)


def export_ocds(sink: Sink) -> None:
    from stepchange.commissioning import ocds_contracts

    for piece in ocds_contracts.package_chunks(ocds_contracts.published_contracts(), uri=URI):
        sink.write(piece)


# Same content ---------------------------------------------------------------------------------------


def floor_rows(*, published_only: bool = False) -> list[list[str]]:
    sink = Keep()
    floor_csv(sink, published_only=published_only)
    return list(csv.reader(io.StringIO(sink.value().decode())))


def check_csv() -> int:
    exported, floored = Keep(), Keep()
    export_csv(exported)
    floor_csv(floored)
    if exported.value() != floored.value():
        raise FloorMismatch("contracts.csv and the floor's CSV differ")
    return len(floor_rows()) - 1


_CELL = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_EPOCH = datetime.date(1899, 12, 30)


def sheet_rows(body: bytes) -> Iterator[list[str]]:
    """The workbook's first sheet, row by row, as the floor's CSV writes it: text as it is, money
    as exact pence, date cells (style 3) as ISO dates, an empty cell as "". Read with the standard
    library's XML parser, as openpyxl would take minutes over 200,000 rows."""
    with zipfile.ZipFile(io.BytesIO(body)) as package, package.open("xl/worksheets/sheet1.xml") as sheet:
        for _event, element in ElementTree.iterparse(sheet):  # noqa: S314 -- the service's own export
            if element.tag != f"{_CELL}row":
                continue
            cells = [""] * len(exported_columns())
            for cell in element:
                column = _column_index(cell.get("r", ""))
                if cell.get("t") == "inlineStr":
                    cells[column] = "".join(cell.itertext())
                else:
                    value = cell.findtext(f"{_CELL}v") or ""
                    if cell.get("s") == "3":
                        value = (_EPOCH + datetime.timedelta(days=int(value))).isoformat()
                    cells[column] = value
            element.clear()
            yield cells


def _column_index(reference: str) -> int:
    index = 0
    for letter in reference.rstrip("0123456789"):
        index = index * 26 + ord(letter) - 64
    return index - 1


def exported_columns() -> list[str]:
    from stepchange.contracts.exports import CSV_COLUMNS

    return CSV_COLUMNS


def check_xlsx() -> int:
    exported = Keep()
    export_xlsx(exported)
    rows = sheet_rows(exported.value())
    next(rows)  # the headings in words
    expected = floor_rows()[1:]
    count = 0
    for count, (cells, texts) in enumerate(zip(rows, expected, strict=True), start=1):
        # Money is compared as a number: the sheet holds 1234.5 where the CSV has 1234.50.
        got = [Decimal(cell or 0) if index in (7, 14) else cell for index, cell in enumerate(cells)]
        want = [Decimal(text or 0) if index in (7, 14) else text for index, text in enumerate(texts)]
        if got != want:
            raise FloorMismatch(f"contracts.xlsx row {count + 1} is {got}, the floor's {want}")
    return count


def check_ocds() -> int:
    """The package and its floor, byte for byte; the number of releases."""
    exported, floored = Keep(), Keep()
    export_ocds(exported)
    floor_ocds(floored)
    if exported.value() != floored.value():
        raise FloorMismatch("the OCDS package and the floor's JSON differ")
    return len(json.loads(exported.value())["releases"])


# Memory ---------------------------------------------------------------------------------------------


def _first_rows(contracts: Any) -> Any:
    """The contracts with the lowest keys: a tenth of them, but at least three chunks."""
    from stepchange.contracts.exports import CHUNK

    count = contracts.count()
    keep = min(count, max(count // 10, 3 * CHUNK))
    cut = contracts.order_by("pk").values_list("pk", flat=True)[keep - 1]
    return contracts.filter(pk__lte=cut)


def _exporters() -> dict[str, tuple[Any, Callable[[Any], None]]]:
    """Each export's own function and the contracts it exports, for the memory measures."""
    from stepchange.commissioning import ocds_contracts
    from stepchange.contracts import exports
    from stepchange.contracts.listing import visible_contracts

    def csv_of(contracts: Any) -> None:
        sink = Sink()
        for piece in exports.csv_chunks(contracts):
            sink.write(piece)

    def xlsx_of(contracts: Any) -> None:
        sink = Sink()
        for piece in exports.xlsx_chunks(contracts):
            sink.write(piece)

    def ocds_of(contracts: Any) -> None:
        sink = Sink()
        for piece in ocds_contracts.package_chunks(contracts, uri=URI):
            sink.write(piece)

    every = visible_contracts(_superuser())
    return {
        "csv": (every, csv_of),
        "xlsx": (every, xlsx_of),
        "ocds": (ocds_contracts.published_contracts(), ocds_of),
    }


def _peak(work: Callable[[], None]) -> int:
    with peak_memory() as found:
        work()
    return found[0]


# The benchmarks ---------------------------------------------------------------------------------------


def _repeat(ctx: Context) -> tuple[int, int]:
    """(repeat, warmup): fewer runs where one takes a minute."""
    if ctx.quick:
        return 3, 0
    return (3, 0) if ctx.size >= 100_000 else (5, 1)


def _measure(
    ctx: Context, name: str, check: Callable[[], int], work: Callable[[Sink], None], floor: Callable[[Sink], None]
) -> list[Result]:
    rows = check()
    repeat, warmup = _repeat(ctx)
    worked, floored = interleaved(lambda: work(Sink()), lambda: floor(Sink()), repeat=repeat, warmup=warmup)
    contracts, export_of = _exporters()[name]
    first = _first_rows(contracts)
    every_peak = _peak(lambda: export_of(contracts))
    first_peak = _peak(lambda: export_of(first))
    return [
        # Names do not change with the size, so the runner can fit how the time grows across sizes.
        at_most(f"export {name}: time", ctx, worked, floored, TIME_GOAL, seconds=worked),
        # The same goal read as throughput: at least half the floor's rows per second.
        at_least(f"export {name}: rows per second", ctx, rows / worked, rows / floored, 1 / TIME_GOAL, unit="rows/s"),
        at_most(
            f"export {name}: peak memory, every row vs the first tenth (at least 6,000)",
            ctx,
            every_peak,
            first_peak,
            MEMORY_GOAL,
            unit="bytes",
        ),
    ]


def measure_csv(ctx: Context) -> list[Result]:
    return _measure(ctx, "csv", check_csv, export_csv, floor_csv)


def measure_xlsx(ctx: Context) -> list[Result]:
    return _measure(ctx, "xlsx", check_xlsx, export_xlsx, floor_csv)


def measure_ocds(ctx: Context) -> list[Result]:
    return _measure(ctx, "ocds", check_ocds, export_ocds, floor_ocds)


BENCHMARKS: list[Callable[[Context], list[Result]]] = [measure_csv, measure_xlsx, measure_ocds]
