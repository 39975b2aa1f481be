"""The checked, all-or-nothing import of a prison return's spreadsheet, against an unchecked bulk insert.

**What a row is.** A prison return has seven pathway lines (the pathways asked of prisons); what grows with a prison's provision is
the ``Delivery`` sheet, one row per organisation delivering on a pathway. Each such row becomes one
stored row: a link from the line to a directory organisation, or a ``ProposedOrganisation``. So a
return of N rows here is a workbook whose Delivery sheet has N rows, spread evenly over the seven
pathways, naming N / 9 organisations (each delivering on every pathway), listed once each on the
Organisations sheet: half from the region's directory when it has that many, the rest new ones
proposed with their sector.

The same deliveries are also sent as the CSV form of the template (each line's organisations in
its Organisations cell, the new ones listed with their sector below the lines), up to
``MAX_CSV_ROWS``: the CSV skips the workbook's reading, so the two show what the XLSX costs.

**What is timed.** The import: ``check_file`` (both tiers of checks, on the file's bytes) then
``upload_services.prison_return_upload`` (one transaction), as the upload page and ``import_return`` do.
Its floor: the same rows, already in memory as tuples, inserted unchecked in one transaction into
the same tables (the seven lines, the delivery rows, the stored file): ``COPY`` on PostgreSQL
(psycopg 3's ``cursor.copy``), ``executemany`` on SQLite. The import also bumps the return's
version and writes its audit event; that bookkeeping is part of what it costs.

**Where the import's time goes** beyond the floor's: reading the workbook (python-calamine, then
every cell as text) and checking every row; and Django building a model object per proposed
organisation for ``bulk_create``, which on PostgreSQL, where ``COPY`` is very fast, is most of the
gap. The XLSX is also read once by ``core.uploads.check_upload`` (openpyxl read-only, every cell,
to count the rows and find formulas); the CSV skips that.

A faster count of a plain sheet's rows straight from its XML (``core.sheet_scan``, regular
expressions and openpyxl's private parser) was measured here with and without: the XLSX import
missed its goal either way (SQLite 3.3× to 3.8× with it, against 4.1× to 6.6× without; PostgreSQL
11× to 12× against 16× to 17×), so it moved no goal from missed to met and was removed.

Before timing, both are run once and the rows they leave are read back and compared: a floor that
stored something else would be no floor (``FloorMismatch``). Every run is inside a transaction
that is rolled back, and the scratch return is made inside one too, so the database is left as it
was found. Sizes follow the run's scale: 100,000 × scale rows (1,000 / 10,000 / 100,000 at the full
scales), 300 in the quick run.
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from bench.core import Context, Result, at_most, interleaved

GOAL = 3.0  # the import may take at most three times the floor's time
ROWS_AT_FULL_SCALE = 100_000
PATHWAYS = 7
# A CSV file names a line's organisations in one cell, which Python's csv reader takes up to 131,072
# characters long (about 5,000 names): past that the upload is refused as not valid CSV.
MAX_CSV_ROWS = 30_000


class FloorMismatch(AssertionError):
    """The floor and the import did not store the same rows."""


class _Undo(Exception):
    """Raised at the end of a run to roll its transaction back."""


def rows_for(ctx: Context) -> int:
    """The Delivery rows of the file at this run's scale."""
    if ctx.quick:  # the quick scale 0.001 gives 300 rows
        return min(max(round(300_000 * ctx.scale), 300), 3_000)
    return max(round(ROWS_AT_FULL_SCALE * ctx.scale), 1_000)


@contextmanager
def rolled_back() -> Iterator[None]:
    """A transaction (a savepoint inside another) that is always rolled back."""
    from django.db import transaction

    try:
        with transaction.atomic():
            yield
            raise _Undo
    except _Undo:
        pass


# The file -------------------------------------------------------------------------------------------


@dataclass
class Upload:
    """A filled template and the rows it should leave, as the floor inserts them."""

    return_id: int
    content: bytes
    name: str
    # (pathway id, running, started, ended, spend)
    lines: list[tuple[int, int, int, int, Decimal | None]]
    # (pathway id, organisation id)
    linked: list[tuple[int, int]]
    # (pathway id, name, sector)
    proposed: list[tuple[int, str, str]]

    @property
    def rows(self) -> int:
        return len(self.linked) + len(self.proposed)

    @property
    def kind(self) -> str:
        return self.name.rpartition(".")[2]


def scratch_return() -> Any:
    """An open prison return of the establishment whose region has the largest directory."""
    from django.db.models import Count

    from stepchange.organisations.models import Commissioner, CommissionerKind, Organisation, Sector
    from stepchange.returns.models import PrisonReturn

    directories = Organisation.objects.filter(sector=Sector.VCS).values("region_id").annotate(vcs=Count("id"))
    largest = max(directories, key=lambda region: (region["vcs"], -(region["region_id"] or 0)), default=None)
    prisons = Commissioner.objects.filter(kind=CommissionerKind.PRISON).order_by("code")
    commissioner = (largest and prisons.filter(region_id=largest["region_id"]).first()) or prisons.first()
    if commissioner is None:
        raise RuntimeError("The benchmark database has no prison: generate it first.")
    return PrisonReturn.objects.create(commissioner=commissioner, round=None)


@dataclass
class Plan:
    """What a file of ``rows`` Delivery rows says, before it is written as XLSX or CSV."""

    pathways: list[Any]
    # Each organisation named, with its directory entry (None for a new one, proposed).
    named: list[tuple[str, Any]]
    lines: list[tuple[int, int, int, int, Decimal | None]]
    linked: list[tuple[int, int]]
    proposed: list[tuple[int, str, str]]
    # (pathway, name) of each Delivery row, in order.
    deliveries: list[tuple[Any, str]]


def plan(prison_return: Any, rows: int) -> Plan:
    """``rows`` deliveries spread over the seven pathways: each name on every pathway in turn, the
    first half of the names from the region's directory (as far as it goes), the rest new."""
    from stepchange.core.models import Pathway
    from stepchange.returns import spreadsheet

    pathways = list(Pathway.objects.filter(applies_to_prisons=True).order_by("order"))
    assert len(pathways) == PATHWAYS, pathways
    directory = list(spreadsheet.directory_organisations(prison_return))
    names_needed = math.ceil(rows / PATHWAYS)
    named: list[tuple[str, Any]] = [(o.name, o) for o in directory[: names_needed // 2]]
    named += [(f"Community project {n:06d}", None) for n in range(names_needed - len(named))]
    lines: list[tuple[int, int, int, int, Decimal | None]] = [
        (p.pk, 42 + n, 10, 5, Decimal(f"{1000 * (n + 2)}.50")) for n, p in enumerate(pathways)
    ]
    linked: list[tuple[int, int]] = []
    proposed: list[tuple[int, str, str]] = []
    deliveries: list[tuple[Any, str]] = []
    for n in range(rows):
        pathway = pathways[n % PATHWAYS]
        name, organisation = named[n // PATHWAYS]
        deliveries.append((pathway, name))
        if organisation is not None:
            linked.append((pathway.pk, organisation.pk))
        else:
            proposed.append((pathway.pk, name, "vcs"))
    return Plan(pathways, named, lines, linked, proposed, deliveries)


def filled_template(prison_return: Any, rows: int) -> Upload:
    """The return's workbook with ``rows`` Delivery rows and the seven lines filled in."""
    import openpyxl

    from stepchange.returns import spreadsheet

    planned = plan(prison_return, rows)
    workbook = openpyxl.load_workbook(io.BytesIO(spreadsheet.build_workbook(prison_return)))
    lines_sheet, delivery, organisations = workbook["Lines"], workbook["Delivery"], workbook["Organisations"]
    for row, (pathway, figures) in enumerate(zip(planned.pathways, planned.lines, strict=True), start=2):
        assert lines_sheet.cell(row=row, column=1).value == pathway.name
        for column, value in enumerate(figures[1:], start=2):
            lines_sheet.cell(row=row, column=column, value=float(value) if isinstance(value, Decimal) else value)
    for row, (pathway, name) in enumerate(planned.deliveries, start=2):
        delivery.cell(row=row, column=1, value=pathway.name)
        delivery.cell(row=row, column=2, value=name)
    for row, (name, organisation) in enumerate(planned.named, start=2):
        organisations.cell(row=row, column=1, value=name)
        organisations.cell(row=row, column=2, value=None if organisation is not None else "Voluntary and community")
    out = io.BytesIO()
    workbook.save(out)
    name = f"return-{rows}-rows.xlsx"
    return Upload(prison_return.pk, out.getvalue(), name, planned.lines, planned.linked, planned.proposed)


def filled_csv(prison_return: Any, rows: int) -> Upload:
    """The return's CSV with the same deliveries: each line's Organisations cell names its
    organisations separated by semicolons, and the new ones are listed with their sector below."""
    import csv

    from stepchange.returns import spreadsheet

    planned = plan(prison_return, rows)
    table = list(csv.reader(io.StringIO(spreadsheet.build_csv(prison_return), newline="")))
    names_on: dict[int, list[str]] = {}
    for pathway, name in planned.deliveries:
        names_on.setdefault(pathway.pk, []).append(name)
    by_name = {p.name: (p, figures) for p, figures in zip(planned.pathways, planned.lines, strict=True)}
    for row in table:
        if row and row[0] in by_name and len(row) == len(spreadsheet.LINES_HEADINGS) + 1:
            pathway, figures = by_name[row[0]]
            row[1:6] = [str(value) for value in figures[1:]] + [""]
            row[6] = "; ".join(names_on.get(pathway.pk, []))
    heading = table.index(list(spreadsheet.ORGANISATIONS_HEADINGS))
    new = [[name, "Voluntary and community"] for name, organisation in planned.named if organisation is None]
    table[heading + 1 : heading + 1] = new
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(table)
    name = f"return-{rows}-rows.csv"
    return Upload(prison_return.pk, out.getvalue().encode(), name, planned.lines, planned.linked, planned.proposed)


# The import and its floor ---------------------------------------------------------------------------


def import_checked(upload: Upload, actor: Any) -> None:
    """What the upload page does with the file: check both tiers, then save it all or nothing."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from stepchange.returns import upload_services
    from stepchange.returns.models import PrisonReturn
    from stepchange.returns.upload import check_file

    prison_return = PrisonReturn.objects.select_related("commissioner").get(pk=upload.return_id)
    checked = check_file(
        SimpleUploadedFile(upload.name, upload.content),
        prison_return=prison_return,
        uploader_establishment=prison_return.commissioner.code,
    )
    stored = upload_services.prison_return_upload(
        actor=actor, prison_return=prison_return, expected_version=prison_return.version, checked=checked
    )
    if stored is None:
        raise FloorMismatch("The import saved nothing: the file says what the return already holds.")


def insert_unchecked(upload: Upload) -> None:
    """The floor: the same rows inserted in bulk, unchecked, in one transaction."""
    import hashlib

    from django.db import connection, transaction
    from django.utils import timezone

    from stepchange.returns.models import PrisonReturnLine, PrisonReturnUpload, ProposedOrganisation

    line_table = PrisonReturnLine._meta.db_table
    through_table = PrisonReturnLine.organisations.through._meta.db_table
    proposed_table = ProposedOrganisation._meta.db_table
    upload_table = PrisonReturnUpload._meta.db_table
    postgres = connection.vendor == "postgresql"
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {line_table} (prison_return_id, pathway_id, services_running, services_started, "  # noqa: S608
            "services_ended, spend, carried_over) VALUES (%s, %s, %s, %s, %s, %s, %s)",
            [(upload.return_id, *line, False) for line in upload.lines],
        )
        cursor.execute(f"SELECT pathway_id, id FROM {line_table} WHERE prison_return_id = %s", [upload.return_id])  # noqa: S608
        line_of = dict(cursor.fetchall())
        linked = [(line_of[pathway], organisation) for pathway, organisation in upload.linked]
        # A new proposal waits for review: no organisation, no decision, no reason (an empty text).
        proposed = [(line_of[pathway], name, sector, "") for pathway, name, sector in upload.proposed]
        if postgres:
            raw = cursor.cursor
            with raw.copy(f"COPY {through_table} (prisonreturnline_id, organisation_id) FROM STDIN") as copy:
                for link in linked:
                    copy.write_row(link)
            with raw.copy(f"COPY {proposed_table} (line_id, name, sector, rejected_reason) FROM STDIN") as copy:
                for new in proposed:
                    copy.write_row(new)
        else:
            cursor.executemany(
                f"INSERT INTO {through_table} (prisonreturnline_id, organisation_id) VALUES (%s, %s)",  # noqa: S608
                linked,
            )
            cursor.executemany(
                f"INSERT INTO {proposed_table} (line_id, name, sector, rejected_reason) VALUES (%s, %s, %s, %s)",  # noqa: S608
                proposed,
            )
        cursor.execute(
            f"INSERT INTO {upload_table} (prison_return_id, uploaded_at, file_format, display_name, content, "  # noqa: S608
            "sha256, size, template_version, rules_version, based_on_version, result_version, download) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
            [
                upload.return_id,
                timezone.now(),
                upload.kind,
                upload.name,
                upload.content,
                hashlib.sha256(upload.content).hexdigest(),
                len(upload.content),
                1,
                1,
                1,
                2,
                "",
            ],
        )


def stored_rows(return_id: int) -> dict[str, Any]:
    """What a run left in the tables both write, in a form that does not depend on row ids."""
    from stepchange.returns.models import PrisonReturnLine, PrisonReturnUpload, ProposedOrganisation

    through = PrisonReturnLine.organisations.through
    return {
        "lines": sorted(
            PrisonReturnLine.objects.filter(prison_return_id=return_id).values_list(
                "pathway_id", "services_running", "services_started", "services_ended", "spend", "carried_over"
            )
        ),
        "linked": sorted(
            through.objects.filter(prisonreturnline__prison_return_id=return_id).values_list(
                "prisonreturnline__pathway_id", "organisation_id"
            )
        ),
        "proposed": sorted(
            ProposedOrganisation.objects.filter(line__prison_return_id=return_id).values_list(
                "line__pathway_id", "name", "sector"
            )
        ),
        "files": [
            bytes(content)
            for content in PrisonReturnUpload.objects.filter(prison_return_id=return_id).values_list(
                "content", flat=True
            )
        ],
    }


def check_same_rows(upload: Upload, actor: Any) -> dict[str, Any]:
    """Run the import and the floor once each, rolled back, and raise unless they stored the same rows."""
    with rolled_back():
        import_checked(upload, actor)
        imported = stored_rows(upload.return_id)
    with rolled_back():
        insert_unchecked(upload)
        floored = stored_rows(upload.return_id)
    if imported != floored:
        differ = [key for key in imported if imported[key] != floored[key]]
        raise FloorMismatch(f"The import and its floor stored different rows in: {', '.join(differ)}")
    if len(imported["linked"]) + len(imported["proposed"]) != upload.rows:
        raise FloorMismatch(
            f"Expected {upload.rows:,} delivery rows, found {len(imported['linked'])} linked + "
            f"{len(imported['proposed'])} proposed"
        )
    return imported


def bench_actor() -> Any:
    from django.contrib.auth import get_user_model

    users = get_user_model().objects
    return users.filter(username="bench-commissioner").first() or users.filter(is_superuser=True).first()


def measure(ctx: Context, kind: str, rows: int, build: Callable[[Any, int], Upload]) -> Result:
    """The checked import of a file of ``rows`` Delivery rows, against the unchecked bulk insert."""
    actor = bench_actor()
    with rolled_back():
        upload = build(scratch_return(), rows)
        check_same_rows(upload, actor)

        def run(work: Callable[[], object]) -> Callable[[], None]:
            def once() -> None:
                with rolled_back():
                    work()

            return once

        # check_same_rows has just run both once: that is the warm-up.
        repeat = 2 if ctx.quick or rows >= 50_000 else 3
        worked, floored = interleaved(
            run(lambda: import_checked(upload, actor)), run(lambda: insert_unchecked(upload)), repeat=repeat, warmup=0
        )
    return replace(at_most(f"upload import {kind}", ctx, worked, floored, GOAL, seconds=worked), size=rows)


def measure_xlsx(ctx: Context) -> list[Result]:
    return [measure(ctx, "xlsx", rows_for(ctx), filled_template)]


def measure_csv(ctx: Context) -> list[Result]:
    return [measure(ctx, "csv", min(rows_for(ctx), MAX_CSV_ROWS), filled_csv)]


BENCHMARKS: list[Callable[[Context], list[Result]]] = [measure_xlsx, measure_csv]
