"""Planning an import: the headings, the checks every kind shares, then the kind's own planner, row
by row and across the rows."""

from __future__ import annotations

from stepchange.core.models import Region
from stepchange.imports.checking._common import Plan, Planner, Progress, _check_common, _check_headings, _Checker, _Row
from stepchange.imports.checking.contracts import ContractPlanner
from stepchange.imports.checking.establishments import EstablishmentPlanner
from stepchange.imports.checking.grants import GrantPlanner
from stepchange.imports.checking.organisations import OrganisationPlanner
from stepchange.imports.checking.sub_contracts import SubContractPlanner
from stepchange.imports.columns import COLUMNS
from stepchange.imports.models import ImportKind
from stepchange.returns.upload_content import Rows


def plan_import(
    *,
    kind: str,
    region: Region,
    sheet: str,
    rows: Rows,
    answers: dict[str, str] | None = None,
    progress: Progress | None = None,
) -> Plan:
    """Check every row of the file against the region as it is now and say what saving would do."""
    plan = Plan(kind=kind, region=region)
    columns = _check_headings(plan, sheet, rows, kind)
    if plan.problems:
        return plan
    checker = _Checker(plan, sheet, columns)
    data = [
        _Row(number, {heading: (row[index - 1] if index - 1 < len(row) else "") for heading, index in columns.items()})
        for number, row in enumerate(rows[1:], start=2)
        if any(cell.strip() for cell in row)
    ]
    if not data:
        checker.problem(2, "ID", "", "at least one row below the headings", "empty-file")
        return plan
    _check_common(checker, data, COLUMNS[kind])
    planner = planner_for(kind, region)
    planner.prepare(data)
    total = len(data)
    for done, row in enumerate(data, start=1):
        planned = planner.plan_row(checker, row, region, answers or {})
        if planned is not None:
            plan.rows.append(planned)
        if progress is not None and (done % 500 == 0 or done == total):
            progress(done, total)
    planner.check_whole(checker, plan, region)
    plan.problems.sort(key=lambda p: (p.row, len(p.column), p.column))
    # A question is answered only by an answer it takes (never "new" where the directory has the name).
    plan.unanswered = [r.row for r in plan.rows if r.question is not None and "answer" not in r.question]
    return plan


def planner_for(kind: str, region: Region) -> Planner:
    if kind == ImportKind.ORGANISATIONS:
        return OrganisationPlanner()
    if kind == ImportKind.CONTRACTS:
        return ContractPlanner(region)
    if kind == ImportKind.SUB_CONTRACTS:
        return SubContractPlanner()
    if kind == ImportKind.GRANTS:
        return GrantPlanner(region)
    if kind == ImportKind.ESTABLISHMENTS:
        return EstablishmentPlanner()
    raise ValueError(f"unknown kind of import {kind!r}")
