"""A national-size prison return: opening the next round, reopening it, downloading its template.

**The return.** The generator (bench/generate/) gives one approved prison return, the last
quarter's of the first region's first prison, 100,000 × scale organisations proposed for the
directory, spread evenly over its seven lines (100 in the quick run, 100,000 at scale 1), besides
the directory organisations delivering on them.

**What is timed.**

* ``round open``: ``services.round_open`` of the next quarter's prison round for that region,
  covering all its prisons: each gets a return carrying its approved return of the quarter before
  over (lines, organisations delivering, organisations proposed).
* ``return reopen``: ``services.return_reopen`` of the large return: a correction, a copy of it.
* ``template xlsx`` and ``template csv``: the spreadsheet template of the large return
  (``returns.spreadsheet.build_workbook`` and ``build_csv``), as the download views send it.

**The floors.** For the two copies: the same rows written unchecked, in one transaction, by hand:
the new returns with one ``bulk_create``, then per return one ``INSERT ... SELECT`` each for its
lines, the organisations delivering and the organisations proposed; no validation, no audit event,
no model objects. Goal: within 2× the floor. Before timing, the service and its floor are run once
each and the rows they leave compared (``FloorMismatch`` otherwise); every run is rolled back.

For the templates: one hand-written SELECT of the template's delivery rows (pathway, organisation,
directory ones then proposed ones, in the template's order) and two of the lists its drop-downs
offer (the directory organisations, the area-wide contracts) through ``connection.cursor()``,
written by Python's ``csv.writer`` into a sink that counts the bytes: reading and writing the names
the template carries and nothing else. Goal: the CSV within 2× and the workbook (eight sheets,
drop-downs, protection, a zip) within 4× of that floor. Before timing, the workbook's Delivery
sheet and the CSV's Organisations cells are read back and compared with the floor's rows.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from bench.core import Context, Result, at_most, interleaved

COPY_GOAL = 2.0
CSV_GOAL = 2.0
XLSX_GOAL = 4.0


class FloorMismatch(AssertionError):
    """A service and its floor did not leave the same rows."""


class _Undo(Exception):
    """Raised at the end of a run to roll its transaction back."""


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


def large_return() -> Any:
    """The approved prison return with the most organisations proposed on its lines."""
    from django.db.models import Count

    from stepchange.returns.models import PrisonReturn

    found = (
        PrisonReturn.objects.filter(approved_at__isnull=False, superseded_at__isnull=True, round__isnull=False)
        .annotate(proposed=Count("lines__proposed"))
        .order_by("-proposed", "pk")
        .select_related("round__year", "round__region", "commissioner__organisation")
        .first()
    )
    if found is None:
        raise RuntimeError("The benchmark database has no approved prison return: generate it first.")
    return found


def actor() -> Any:
    from django.contrib.auth import get_user_model

    users = get_user_model().objects
    return users.filter(username="bench-area-analyst").first() or users.filter(is_superuser=True).first()


# The copies ---------------------------------------------------------------------------------------


def next_quarter(the_round: Any) -> tuple[Any, int]:
    """The financial year and quarter after a round's."""
    from stepchange.core.models import FinancialYear

    if the_round.quarter < 4:
        return the_round.year, the_round.quarter + 1
    return FinancialYear.objects.get(start=the_round.year.end + datetime.timedelta(days=1)), 1


def open_next_round(previous: Any, by: Any) -> Any:
    """What the round page does: open the next quarter's round for every prison of the region."""
    from stepchange.organisations.models import Commissioner, CommissionerKind
    from stepchange.returns import services

    year, quarter = next_quarter(previous)
    opens = previous.deadline + datetime.timedelta(days=60)
    return services.round_open(
        actor=by,
        region=previous.region,
        kind=previous.kind,
        year=year,
        quarter=quarter,
        commissioners=Commissioner.objects.filter(kind=CommissionerKind.PRISON, region=previous.region),
        opens_on=opens,
        deadline=opens + datetime.timedelta(days=30),
    )


def _copy_rows(pairs: list[tuple[int, int]], *, carry_over: bool) -> None:
    """The floor's copy: for each (source return, target return) one INSERT ... SELECT per table."""
    from django.db import connection

    from stepchange.returns.models import PrisonReturnLine, ProposedOrganisation

    line = PrisonReturnLine._meta.db_table
    through = PrisonReturnLine.organisations.through._meta.db_table
    proposed = ProposedOrganisation._meta.db_table
    if carry_over:
        figures, only = (
            "o.services_running, 0, 0, o.spend, %s",
            "JOIN core_pathway w ON w.id = o.pathway_id AND w.applies_to_prisons",
        )
    else:
        figures, only = "o.services_running, o.services_started, o.services_ended, o.spend, %s", ""
    with connection.cursor() as cursor:
        for source, target in pairs:
            cursor.execute(
                f"INSERT INTO {line} (prison_return_id, pathway_id, services_running, services_started, "  # noqa: S608
                f"services_ended, spend, carried_over) SELECT %s, o.pathway_id, {figures} FROM {line} o {only} "
                "WHERE o.prison_return_id = %s",
                [target, carry_over, source],
            )
            new_line = f"JOIN {line} o ON o.id = x.{{}} JOIN {line} n ON n.pathway_id = o.pathway_id AND n.prison_return_id = %s WHERE o.prison_return_id = %s"
            cursor.execute(
                f"INSERT INTO {through} (prisonreturnline_id, organisation_id) SELECT n.id, x.organisation_id "  # noqa: S608
                f"FROM {through} x {new_line.format('prisonreturnline_id')}",
                [target, source],
            )
            cursor.execute(
                # A proposal's review goes with it, as the service copies it.
                f"INSERT INTO {proposed} (line_id, name, sector, organisation_id, decided_at, decided_by_id, "  # noqa: S608
                "rejected_reason) SELECT n.id, x.name, x.sector, x.organisation_id, x.decided_at, x.decided_by_id, "
                f"x.rejected_reason FROM {proposed} x {new_line.format('line_id')}",
                [target, source],
            )


def open_unchecked(previous: Any, by: Any) -> None:
    """The floor of opening the round: the round, its returns and their copied rows, unchecked."""
    from stepchange.organisations.models import Commissioner, CommissionerKind
    from stepchange.returns.models import PrisonReturn, ReturnRound

    year, quarter = next_quarter(previous)
    opens = previous.deadline + datetime.timedelta(days=60)
    the_round = ReturnRound.objects.create(
        region=previous.region,
        kind=previous.kind,
        year=year,
        quarter=quarter,
        opens_on=opens,
        deadline=opens + datetime.timedelta(days=30),
        opened_by=by,
    )
    covered = list(Commissioner.objects.filter(kind=CommissionerKind.PRISON, region=previous.region))
    the_round.commissioners.set(covered)
    returns = PrisonReturn.objects.bulk_create(PrisonReturn(round=the_round, commissioner=c) for c in covered)
    sources = dict(
        PrisonReturn.objects.filter(round=previous, approved_at__isnull=False, superseded_at__isnull=True).values_list(
            "commissioner_id", "id"
        )
    )
    _copy_rows([(sources[r.commissioner_id], r.pk) for r in returns if r.commissioner_id in sources], carry_over=True)


def reopen(the_return: Any, by: Any) -> Any:
    from stepchange.returns import services

    return services.return_reopen(actor=by, the_return=the_return, reason="Benchmark correction")


def reopen_unchecked(the_return: Any, by: Any) -> None:
    """The floor of reopening: the correction and its copied rows, unchecked."""
    from stepchange.returns.models import PrisonReturn

    correction = PrisonReturn.objects.create(
        round=the_return.round,
        commissioner=the_return.commissioner,
        revision=the_return.revision + 1,
        reopened_reason="Benchmark correction",
        coordinator_post=the_return.coordinator_post,
        coordinator_fte=the_return.coordinator_fte,
        area_contracts_answered=the_return.area_contracts_answered,
    )
    correction.area_contracts.set(the_return.area_contracts.all())
    _copy_rows([(the_return.pk, correction.pk)], carry_over=False)


def copied_rows(returns: Any) -> dict[str, list[tuple[Any, ...]]]:
    """What the copies left on ``returns`` (a queryset of prison returns), without row ids."""
    from stepchange.returns.models import PrisonReturnLine, ProposedOrganisation

    through = PrisonReturnLine.organisations.through
    return {
        "returns": sorted(
            returns.values_list(
                "commissioner_id", "revision", "coordinator_post", "coordinator_fte", "area_contracts_answered"
            )
        ),
        "lines": sorted(
            PrisonReturnLine.objects.filter(prison_return__in=returns).values_list(
                "prison_return__commissioner_id",
                "pathway_id",
                "services_running",
                "services_started",
                "services_ended",
                "spend",
                "carried_over",
            )
        ),
        "delivering": sorted(
            through.objects.filter(prisonreturnline__prison_return__in=returns).values_list(
                "prisonreturnline__prison_return__commissioner_id", "prisonreturnline__pathway_id", "organisation_id"
            )
        ),
        "proposed": sorted(
            ProposedOrganisation.objects.filter(line__prison_return__in=returns).values_list(
                "line__prison_return__commissioner_id", "line__pathway_id", "name", "sector"
            )
        ),
    }


def _compare(service: dict[str, Any], floor: dict[str, Any], proposed: int) -> None:
    if service != floor:
        differ = [key for key in service if service[key] != floor[key]]
        raise FloorMismatch(f"The service and its floor left different rows in: {', '.join(differ)}")
    if len(service["proposed"]) < proposed:
        raise FloorMismatch(
            f"Expected at least {proposed:,} organisations proposed, found {len(service['proposed']):,}"
        )


def check_same_copies(large: Any, by: Any) -> int:
    """Open the next round and reopen the large return, each with its floor, rolled back; raise
    unless each pair left the same rows. Returns the organisations proposed on the large return."""
    from stepchange.returns.models import PrisonReturn, ProposedOrganisation

    proposed = ProposedOrganisation.objects.filter(line__prison_return=large).count()
    year, quarter = next_quarter(large.round)
    new_round = PrisonReturn.objects.filter(
        round__region=large.round.region, round__kind=large.round.kind, round__year=year, round__quarter=quarter
    )
    results = []
    for work in (lambda: open_next_round(large.round, by), lambda: open_unchecked(large.round, by)):
        with rolled_back():
            work()
            results.append(copied_rows(new_round))
    _compare(results[0], results[1], proposed)
    corrections = PrisonReturn.objects.filter(round=large.round, commissioner=large.commissioner, revision__gt=1)
    results = []
    for work in (lambda: reopen(large, by), lambda: reopen_unchecked(large, by)):
        with rolled_back():
            work()
            results.append(copied_rows(corrections))
    _compare(results[0], results[1], proposed)
    return proposed


# The templates ------------------------------------------------------------------------------------


class Sink:
    """Where a download goes: counts the bytes and keeps nothing."""

    def __init__(self) -> None:
        self.size = 0

    def write(self, data: str | bytes) -> int:
        self.size += len(data.encode() if isinstance(data, str) else data)
        return len(data)


def delivery_floor_rows(return_id: int) -> list[tuple[str, str]]:
    """The template's delivery rows, (pathway, organisation), by one hand-written SELECT: per
    pathway in order, the directory organisations delivering by name, then those proposed by name."""
    from django.db import connection

    sql = (
        'SELECT w.name, o.name, w."order" AS k1, 0 AS k2, o.name AS k3, o.id AS k4 '
        "FROM returns_prisonreturnline l JOIN core_pathway w ON w.id = l.pathway_id "
        "JOIN returns_prisonreturnline_organisations x ON x.prisonreturnline_id = l.id "
        "JOIN organisations_organisation o ON o.id = x.organisation_id "
        "WHERE l.prison_return_id = %s AND w.applies_to_prisons "
        "UNION ALL "
        'SELECT w.name, p.name, w."order", 1, p.name, p.id '
        "FROM returns_prisonreturnline l JOIN core_pathway w ON w.id = l.pathway_id "
        "JOIN returns_proposedorganisation p ON p.line_id = l.id "
        "WHERE l.prison_return_id = %s AND w.applies_to_prisons "
        "ORDER BY 3, 4, 5, 6"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [return_id, return_id])
        return [(pathway, name) for pathway, name, *_keys in cursor.fetchall()]


def list_floor_rows(return_id: int) -> list[tuple[str]]:
    """What the template's drop-downs offer, by two hand-written SELECTs: the region's VCS
    organisations and those named on the return's lines, by name; then the area-wide contracts of
    the region's regional team and other prisons, as reference and title, by title."""
    from django.db import connection

    directory = (
        "SELECT o.name FROM organisations_organisation o WHERE (o.sector = 'vcs' AND o.region_id = "
        "(SELECT m.region_id FROM returns_prisonreturn r JOIN organisations_commissioner m ON m.id = r.commissioner_id "
        "WHERE r.id = %s)) OR o.id IN (SELECT x.organisation_id FROM returns_prisonreturnline_organisations x "
        "JOIN returns_prisonreturnline l ON l.id = x.prisonreturnline_id WHERE l.prison_return_id = %s) ORDER BY o.name"
    )
    contracts = (
        "SELECT c.reference || ' ' || c.title FROM contracts_contract c "
        "JOIN organisations_commissioner m ON m.id = c.commissioner_id "
        "JOIN returns_prisonreturn r ON r.id = %s JOIN organisations_commissioner own ON own.id = r.commissioner_id "
        "WHERE m.region_id = own.region_id AND m.kind IN ('regional', 'prison') AND m.id <> own.id ORDER BY c.title"
    )
    with connection.cursor() as cursor:
        cursor.execute(directory, [return_id, return_id])
        rows = cursor.fetchall()
        cursor.execute(contracts, [return_id])
        return rows + cursor.fetchall()


def template_floor(return_id: int) -> int:
    """The floor: the delivery rows and the drop-downs' lists, each read by hand-written SELECTs and
    written by ``csv.writer``; the bytes."""
    sink = Sink()
    writer = csv.writer(sink)
    writer.writerows(delivery_floor_rows(return_id))
    writer.writerows(list_floor_rows(return_id))
    return sink.size


def template_xlsx(the_return: Any) -> int:
    from stepchange.returns import spreadsheet

    return len(spreadsheet.build_workbook(the_return))


def template_csv(the_return: Any) -> int:
    from stepchange.returns import spreadsheet

    sink = Sink()
    sink.write(spreadsheet.build_csv(the_return))
    return sink.size


def check_same_template(the_return: Any) -> None:
    """The workbook's Delivery rows and the CSV's organisations per pathway are the floor's rows."""
    from python_calamine import CalamineWorkbook

    from stepchange.returns import spreadsheet

    wanted = delivery_floor_rows(the_return.pk)
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(spreadsheet.build_workbook(the_return))).get_sheet_by_name(
        spreadsheet.DELIVERY
    )
    rows = [(str(row[0]), str(row[1])) for row in sheet.to_python()[1:] if row and row[0] != ""]
    if rows != wanted:
        raise FloorMismatch(f"The workbook's Delivery sheet has {len(rows):,} rows, the floor {len(wanted):,}")
    lists = CalamineWorkbook.from_filelike(io.BytesIO(spreadsheet.build_workbook(the_return))).get_sheet_by_name(
        spreadsheet.LISTS
    )
    offered = [(str(value),) for column in (1, 2) for value in [row[column] for row in lists.to_python()[1:]] if value]
    if sorted(offered) != sorted(list_floor_rows(the_return.pk)):
        raise FloorMismatch("The workbook's Lists sheet offers other organisations or contracts than the floor")
    per_pathway: dict[str, list[str]] = {}
    for pathway, name in wanted:
        per_pathway.setdefault(pathway, []).append(name)
    named: dict[str, list[str]] = {}
    columns = len(spreadsheet.LINES_HEADINGS) + 1
    # A national line names thousands of organisations in one cell, past the csv module's limit on
    # a field (which the upload keeps): raised here for this reading only.
    limit = csv.field_size_limit(1 << 30)
    try:
        for row in csv.reader(io.StringIO(spreadsheet.build_csv(the_return), newline="")):
            if len(row) == columns and row[0] in per_pathway:
                named[row[0]] = row[-1].split("; ") if row[-1] else []
    finally:
        csv.field_size_limit(limit)
    if named != per_pathway:
        raise FloorMismatch("The CSV names other organisations on its lines than the floor")


# The benchmarks -----------------------------------------------------------------------------------


def measure_copies(ctx: Context) -> list[Result]:
    large = large_return()
    by = actor()
    proposed = check_same_copies(large, by)

    def run(work: Callable[[], object]) -> Callable[[], None]:
        def once() -> None:
            with rolled_back():
                work()

        return once

    repeat = 2 if ctx.quick or proposed >= 50_000 else 3
    results = []
    for name, work, floor in (
        ("round open (carry over)", lambda: open_next_round(large.round, by), lambda: open_unchecked(large.round, by)),
        ("return reopen", lambda: reopen(large, by), lambda: reopen_unchecked(large, by)),
    ):
        worked, floored = interleaved(run(work), run(floor), repeat=repeat, warmup=0)
        results.append(at_most(f"returns {name}", ctx, worked, floored, COPY_GOAL, seconds=worked))
    return results


def measure_templates(ctx: Context) -> list[Result]:
    from stepchange.returns.models import PrisonReturn

    large = large_return()
    the_return = PrisonReturn.objects.select_related("round__year", "commissioner__organisation").get(pk=large.pk)
    check_same_template(the_return)
    repeat = 2 if ctx.quick else 3
    results = []
    for name, work, goal in (
        ("template xlsx", lambda: template_xlsx(the_return), XLSX_GOAL),
        ("template csv", lambda: template_csv(the_return), CSV_GOAL),
    ):
        worked, floored = interleaved(work, lambda: template_floor(the_return.pk), repeat=repeat, warmup=1)
        results.append(at_most(f"returns {name}", ctx, worked, floored, goal, seconds=worked))
    return results


BENCHMARKS: list[Callable[[Context], list[Result]]] = [measure_copies, measure_templates]
