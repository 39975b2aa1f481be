"""A region's contracts imported from a spreadsheet, checked and previewed, against an unchecked bulk insert.

**What is timed.** The import as the pages and ``import_region_data`` run it, on a CSV file of N
contracts of the first region (its probation areas, primes named by their directory names, two
pathways each, main-grant money, a start and an end): ``import_receive`` (the file checks of
``core.uploads`` and reading it), ``import_check`` (every row checked and the preview written),
``import_confirm`` and ``import_save`` (checked again against the region as it is then, and saved
in one transaction with an ``ImportItem`` for each contract and one audit event). Its floor: the
same contracts and their pathways, already in memory as tuples, inserted unchecked in one
transaction (``executemany``). Before timing both run once and the rows they leave are read back
and compared (``FloorMismatch``). Every run is rolled back.

Sizes: 10,000 contracts at the full scales, 200 in the quick run. The file is checked twice (once
for the preview, once again when saved, so that a region changed in between is not saved over);
that is the price of never saving a stale preview.

Measured here (SQLite, two shared cores): 10,000 contracts in 28.9 s against the floor's 5.4 s,
5.3×; 200 contracts (the quick run) 0.36 s against 0.021 s, 17×, where the import's fixed costs (the
file checks, the import's own rows and audit events) weigh most. Before the contracts of a file
were looked up by reference at once and the new ones written in bulk, 200 contracts took 43×.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from bench.core import Context, Result, at_most, interleaved

GOAL = 25.0  # the checked, previewed, audited import may take at most 25 times the floor's time
CONTRACTS_AT_FULL_SCALE = 10_000
QUICK_CONTRACTS = 200


class FloorMismatch(AssertionError):
    """The floor and the import did not store the same rows."""


class _Undo(Exception):
    """Raised at the end of a run to roll its transaction back."""


@contextmanager
def rolled_back() -> Iterator[None]:
    from django.db import transaction

    try:
        with transaction.atomic():
            yield
            raise _Undo
    except _Undo:
        pass


@dataclass
class File:
    region: Any
    content: bytes
    # (reference, title, commissioner id, prime id, annual value, start, end, funding source, pathway ids)
    rows: list[tuple[Any, ...]]


def contracts_file(count: int) -> File:
    """A CSV of ``count`` new contracts of the first region, each on two pathways."""
    import datetime

    from stepchange.core.models import Pathway, Region
    from stepchange.imports.columns import headings
    from stepchange.organisations.models import Commissioner, CommissionerKind, Organisation, Sector

    region = Region.objects.filter(commissioners__kind=CommissionerKind.PROBATION).order_by("code").first()
    if region is None:
        raise RuntimeError("The benchmark database has no region: generate it first.")
    areas = list(Commissioner.objects.filter(region=region, kind=CommissionerKind.PROBATION).order_by("code"))
    primes = list(Organisation.objects.filter(sector=Sector.VCS).order_by("pk")[:200])
    pathways = list(Pathway.objects.order_by("order"))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headings("contracts"))
    rows = []
    for n in range(count):
        area, prime = areas[n % len(areas)], primes[n % len(primes)]
        chosen = [pathways[n % len(pathways)], pathways[(n + 3) % len(pathways)]]
        value = Decimal(1000 + (n * 37) % 90_000) + Decimal("0.50")
        start, end = datetime.date(2007, 4, 1), datetime.date(2009, 3, 31)
        reference = f"BENCH-IMP-{n:06d}"
        writer.writerow(
            [
                f"ROW{n}",
                reference,
                f"Imported service {n}",
                area.code,
                prime.name,
                "; ".join(p.code for p in chosen),
                str(value),
                "1/4/2007",
                "31/3/2009",
                "main_grant",
                "",
                "contract",
            ]
        )
        rows.append(
            (
                reference,
                f"Imported service {n}",
                area.pk,
                prime.pk,
                value,
                start,
                end,
                "main_grant",
                [p.pk for p in chosen],
            )
        )
    return File(region, out.getvalue().encode(), rows)


def import_checked(file: File, actor: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from stepchange.imports import services
    from stepchange.imports.models import ImportStatus

    record = services.import_receive(
        actor=actor,
        region=file.region,
        kind="contracts",
        uploaded_file=SimpleUploadedFile("contracts.csv", file.content),
    )
    record = services.import_check(import_id=record.pk)
    if record.status != ImportStatus.READY:
        raise FloorMismatch(f"The file was refused: {record.refusal or record.problems[:3]}")
    services.import_confirm(actor=actor, record=record, expected_version=record.version)
    record = services.import_save(import_id=record.pk)
    if record.status != ImportStatus.SAVED:
        raise FloorMismatch(f"The import was not saved: {record.save_failure}")


def insert_unchecked(file: File) -> None:
    from django.db import connection, transaction
    from django.utils import timezone

    from stepchange.contracts.models import Contract

    table = Contract._meta.db_table
    through = Contract.pathways.through._meta.db_table
    now = timezone.now()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} (reference, title, commissioner_id, prime_id, annual_value, start, {connection.ops.quote_name('end')}, "  # noqa: S608
            "funding_source, funder, kind, published, notes, version, created_at, updated_at, external_ref, external_region_id) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, '', 'contract', %s, '', 1, %s, %s, %s, %s)",
            [(*row[:8], False, now, now, f"ROW{n}", file.region.pk) for n, row in enumerate(file.rows)],
        )
        ids = dict(Contract.objects.filter(reference__startswith="BENCH-IMP-").values_list("reference", "pk"))
        cursor.executemany(
            f"INSERT INTO {through} (contract_id, pathway_id) VALUES (%s, %s)",  # noqa: S608
            [(ids[row[0]], pathway) for row in file.rows for pathway in row[8]],
        )


def stored_rows() -> list[tuple[Any, ...]]:
    from stepchange.contracts.models import Contract

    contracts = Contract.objects.filter(reference__startswith="BENCH-IMP-").prefetch_related("pathways")
    return sorted(
        (
            c.reference,
            c.title,
            c.commissioner_id,
            c.prime_id,
            c.annual_value,
            c.start,
            c.end,
            c.funding_source,
            c.external_ref,
            sorted(p.pk for p in c.pathways.all()),
        )
        for c in contracts
    )


def bench_actor() -> Any:
    from django.contrib.auth import get_user_model

    users = get_user_model().objects
    return users.filter(username="bench-commissioner").first() or users.filter(is_superuser=True).first()


def measure_contracts(ctx: Context) -> list[Result]:
    count = QUICK_CONTRACTS if ctx.quick else CONTRACTS_AT_FULL_SCALE
    actor = bench_actor()
    file = contracts_file(count)
    with rolled_back():
        import_checked(file, actor)
        imported = stored_rows()
    with rolled_back():
        insert_unchecked(file)
        floored = stored_rows()
    if imported != floored or len(imported) != count:
        raise FloorMismatch(
            f"The import stored {len(imported)} contracts, the floor {len(floored)}, or not the same ones"
        )

    def run(work: Callable[[], object]) -> Callable[[], None]:
        def once() -> None:
            with rolled_back():
                work()

        return once

    worked, floor = interleaved(
        run(lambda: import_checked(file, actor)), run(lambda: insert_unchecked(file)), repeat=2, warmup=0
    )
    return [replace(at_most("region import contracts", ctx, worked, floor, GOAL, seconds=worked), size=count)]


BENCHMARKS: list[Callable[[Context], list[Result]]] = [measure_contracts]
