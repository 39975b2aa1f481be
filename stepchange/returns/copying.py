"""Copying one return's lines into another, in bulk: carrying last quarter over, and reopening.

A national prison return names about 100,000 organisations on its lines; copied one INSERT at a
time that took the better part of a minute, longer than a web request may run. Here the lines
themselves (at most one per pathway) are written with one ``bulk_create``, and what hangs off them
(the directory organisations delivering on each line and the organisations proposed on it, with
their review) with
one ``INSERT ... SELECT`` per table, which the database runs without sending a row to Python: a
copied line is matched to the line it copies by its pathway, which a return holds once.

A probation return's lines (one per live contract, a few thousand at most) are written with
``bulk_create`` in batches, and the pathways of new contracts with one more.

These are helpers of the services in the ``returns/services/`` package: they run inside the service's
transaction and leave the audit event to it.
"""

from __future__ import annotations

from typing import Any

from django.db import connection

from stepchange.core.models import pathways_asked_of_prisons
from stepchange.returns.models import (
    PrisonReturn,
    PrisonReturnLine,
    ProbationReturn,
    ProbationReturnLine,
    ProposedOrganisation,
)

BATCH = 2000


def _table(model: Any) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _column(model: Any, name: str) -> str:
    return connection.ops.quote_name(model._meta.get_field(name).column)


def copy_prison_lines(*, source: PrisonReturn, target: PrisonReturn, carry_over: bool) -> None:
    """Give ``target`` (a new return, with no lines yet) a copy of each of ``source``'s lines, with
    the organisations delivering on it and those proposed on it.

    ``carry_over``: opening a round, last quarter's lines are carried over: only the pathways asked
    of prisons, services running and spend kept, started and ended back to 0, each marked carried
    over. Otherwise (a correction) every line is copied as it is, and none is marked carried over.
    """
    lines = source.lines.all()
    if carry_over:
        lines = lines.filter(pathway__in=pathways_asked_of_prisons(target.commissioner.region_id))
    copies = [
        PrisonReturnLine(
            prison_return=target,
            pathway_id=old["pathway_id"],
            services_running=old["services_running"],
            services_started=0 if carry_over else old["services_started"],
            services_ended=0 if carry_over else old["services_ended"],
            spend=old["spend"],
            carried_over=carry_over,
        )
        for old in lines.values("pathway_id", "services_running", "services_started", "services_ended", "spend")
    ]
    if not copies:
        return
    PrisonReturnLine.objects.bulk_create(copies)

    line = _table(PrisonReturnLine)
    line_id = _column(PrisonReturnLine, "id")
    pathway = _column(PrisonReturnLine, "pathway")
    of_return = _column(PrisonReturnLine, "prison_return")
    through = PrisonReturnLine.organisations.through
    delivering = _table(through)
    through_line = _column(through, "prisonreturnline")
    through_organisation = _column(through, "organisation")
    proposed = _table(ProposedOrganisation)
    proposed_line = _column(ProposedOrganisation, "line")
    proposed_id = _column(ProposedOrganisation, "id")
    name = _column(ProposedOrganisation, "name")
    sector = _column(ProposedOrganisation, "sector")
    # A proposal's review goes with it: accepted or rejected, it stays so on the copy.
    decision = ", ".join(
        _column(ProposedOrganisation, field)
        for field in ("organisation", "decided_at", "decided_by", "rejected_reason")
    )
    decision_of_p = ", ".join(f"p.{column}" for column in decision.split(", "))

    def matched(row_line: str) -> str:
        """The old line (o) a row hangs off, and its copy (n): the target's line on the same pathway."""
        return (
            f"JOIN {line} o ON o.{line_id} = {row_line} "
            f"JOIN {line} n ON n.{pathway} = o.{pathway} AND n.{of_return} = %s WHERE o.{of_return} = %s"
        )

    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {delivering} ({through_line}, {through_organisation}) "  # noqa: S608 -- names from the models
            f"SELECT n.{line_id}, d.{through_organisation} FROM {delivering} d {matched(f'd.{through_line}')} "
            f"ORDER BY n.{line_id}, d.{through_organisation}",
            [target.pk, source.pk],
        )
        cursor.execute(
            f"INSERT INTO {proposed} ({proposed_line}, {name}, {sector}, {decision}) "  # noqa: S608 -- names from the models
            f"SELECT n.{line_id}, p.{name}, p.{sector}, {decision_of_p} "
            f"FROM {proposed} p {matched(f'p.{proposed_line}')} "
            f"ORDER BY n.{line_id}, p.{name}, p.{proposed_id}",
            [target.pk, source.pk],
        )


def copy_probation_lines(*, source: ProbationReturn, target: ProbationReturn) -> None:
    """Give ``target`` (a correction, with no lines yet) a copy of each of ``source``'s lines, as
    they are, with the pathways a new contract's line names."""
    fields = ("contract_id", "title", "recorded_value", "annual_value", "change", "sector", "funding_source")
    old_lines = list(source.lines.values("id", *fields))
    copies = ProbationReturnLine.objects.bulk_create(
        (ProbationReturnLine(probation_return=target, **{f: old[f] for f in fields}) for old in old_lines),
        batch_size=BATCH,
    )
    new_id = {old["id"]: copy.pk for old, copy in zip(old_lines, copies, strict=True)}
    through = ProbationReturnLine.pathways.through
    through.objects.bulk_create(
        (
            through(probationreturnline_id=new_id[line_id], pathway_id=pathway_id)
            for line_id, pathway_id in through.objects.filter(probationreturnline__probation_return=source)
            .order_by("probationreturnline_id", "pathway_id")
            .values_list("probationreturnline_id", "pathway_id")
        ),
        batch_size=BATCH,
    )
