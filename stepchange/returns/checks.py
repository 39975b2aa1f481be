"""The checks a return meets before it is submitted, in two tiers.

Errors block submission. Warnings are shown and can be confirmed with a reason, which is kept
with the submission. The checks are versioned (``models.RULES_VERSION``) and each submission
records the version it met; a new rule starts as a warning for one round.

Every rule is named in ``INTRODUCED_IN`` with the rules version that brought it in. The rules of
version 1 are the founding set: their errors are errors from the start. A rule brought in by a
later version gives one round's grace: in the first round (of that region and kind, in quarter
order) opened under a rules version that has it, its breach is a warning, confirmable with a
reason like any other; from the next round on it is an error. A return outside any round gets no
grace.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from django.db.models import Q

from stepchange.core.models import Pathway
from stepchange.returns.models import PrisonReturn, PrisonReturnLine, ProbationReturn, ReturnRound
from stepchange.returns.selectors import previous_prison_return, prison_pathways, running_last_quarter


@dataclass(frozen=True)
class Problem:
    code: str  # stable, so a reason given for a warning stays with it: e.g. "fell-by-half:ete"
    message: str
    # Where to fix it: "post", "contracts" or a pathway's code.
    where: str = ""


# Each error rule (the part of a Problem's code before ":") and the rules version it came in with.
INTRODUCED_IN: dict[str, int] = {
    "nil-with-services": 1,
    "post-missing": 1,
    "missing": 1,
    "carried-over": 1,
    "started-above-running": 1,
    "ended-above-running": 1,
    "nil-with-contracts": 1,
}
NEW_RULE_NOTE = " (A new check: a warning this round, an error from the next round.)"


def rule_of(problem: Problem) -> str:
    return problem.code.split(":", 1)[0]


def in_grace_round(the_round: ReturnRound | None, introduced_in: int) -> bool:
    """Whether ``the_round`` is the first round of its region and kind checked under a rule of that version."""
    if introduced_in <= 1 or the_round is None or the_round.rules_version < introduced_in:
        return False
    earlier = ReturnRound.objects.filter(
        region_id=the_round.region_id, kind=the_round.kind, rules_version__gte=introduced_in
    ).filter(Q(year__start__lt=the_round.year.start) | Q(year_id=the_round.year_id, quarter__lt=the_round.quarter))
    return not earlier.exists()


def ended_limit(*, last_running: int | None, started: int) -> int | None:
    """The most services that can end in a quarter: those running at the end of the quarter before
    plus those started in this one. None when last quarter's figures are not known (no approved
    return for it): then there is no limit to check against."""
    return None if last_running is None else last_running + started


def ended_too_many(*, ended: int, started: int, last_running: int | None) -> bool:
    limit = ended_limit(last_running=last_running, started=started)
    return limit is not None and ended > limit


def expected_running(*, last_running: int | None, started: int, ended: int) -> int | None:
    """What services running should be: last quarter's running + started − ended (None if not known)."""
    return None if last_running is None else last_running + started - ended


def reconciliation_problem(
    *,
    establishment: str,
    quarter: str,
    pathway: Pathway,
    running: int,
    started: int,
    ended: int,
    last_running: int | None,
) -> Problem | None:
    """A warning (never an error) when services running is not last quarter's running + started − ended."""
    expected = expected_running(last_running=last_running, started=started, ended=ended)
    if expected is None or running == expected:
        return None
    return Problem(
        f"not-reconciled:{pathway.code}",
        f"{establishment}, {pathway.name}, {quarter}: services running ({running}) do not reconcile with last "
        f"quarter's {last_running} running + {started} started − {ended} ended = {expected}.",
        pathway.code,
    )


def line_reconciliation(prison_return: PrisonReturn, line: PrisonReturnLine) -> Problem | None:
    """``reconciliation_problem`` for one saved line of a return."""
    last = running_last_quarter(prison_return)
    return reconciliation_problem(
        establishment=prison_return.commissioner.name,
        quarter=prison_return.round.label if prison_return.round is not None else "",
        pathway=line.pathway,
        running=line.services_running,
        started=line.services_started,
        ended=line.services_ended,
        last_running=None if last is None else last.get(line.pathway_id, 0),
    )


@dataclass
class CheckResult:
    errors: list[Problem]
    warnings: list[Problem]


def check_prison_return(prison_return: PrisonReturn, *, nil: bool = False) -> CheckResult:
    errors: list[Problem] = []
    warnings: list[Problem] = []
    lines = {line.pathway_id: line for line in prison_return.lines.select_related("pathway")}
    if nil:
        busy = [line.pathway.name for line in lines.values() if line.services_running or line.services_started]
        if busy:
            errors.append(
                Problem(
                    "nil-with-services",
                    "A nil return reports no services, but these pathways have some: " + ", ".join(busy) + ".",
                )
            )
        return CheckResult(errors, warnings)

    if not prison_return.coordinator_post:
        errors.append(Problem("post-missing", "Say whether the establishment has a VCS co-ordinator post.", "post"))
    previous = previous_prison_return(prison_return)
    before = {line.pathway_id: line for line in previous.lines.all()} if previous else {}
    for pathway in prison_pathways(prison_return):
        line: PrisonReturnLine | None = lines.get(pathway.pk)
        if line is None:
            errors.append(Problem(f"missing:{pathway.code}", f"Fill in {pathway.name}.", pathway.code))
            continue
        if line.carried_over:
            errors.append(
                Problem(
                    f"carried-over:{pathway.code}",
                    f"Check the figures carried over from last quarter for {pathway.name} and save them.",
                    pathway.code,
                )
            )
        if line.services_started > line.services_running:
            errors.append(
                Problem(
                    f"started-above-running:{pathway.code}",
                    f"{pathway.name}: services started ({line.services_started}) cannot be more than "
                    f"services running ({line.services_running}).",
                    pathway.code,
                )
            )
        last = before.get(pathway.pk)
        last_running = (last.services_running if last is not None else 0) if previous is not None else None
        if ended_too_many(ended=line.services_ended, started=line.services_started, last_running=last_running):
            errors.append(
                Problem(
                    f"ended-above-running:{pathway.code}",
                    f"{pathway.name}: services ended ({line.services_ended}) cannot be more than last quarter's "
                    f"services running and this quarter's started together "
                    f"({ended_limit(last_running=last_running, started=line.services_started)}).",
                    pathway.code,
                )
            )
        unreconciled = reconciliation_problem(
            establishment=prison_return.commissioner.name,
            quarter=prison_return.round.label if prison_return.round is not None else "",
            pathway=pathway,
            running=line.services_running,
            started=line.services_started,
            ended=line.services_ended,
            last_running=last_running,
        )
        if unreconciled is not None:
            warnings.append(unreconciled)
        if last is not None and last.services_running and line.services_running * 2 < last.services_running:
            warnings.append(
                Problem(
                    f"fell-by-half:{pathway.code}",
                    f"{pathway.name}: services running fell by more than half since last quarter "
                    f"(from {last.services_running} to {line.services_running}).",
                    pathway.code,
                )
            )
        if line.spend and not line.services_running:
            warnings.append(
                Problem(
                    f"spend-without-services:{pathway.code}",
                    f"{pathway.name}: spend is reported but no services are running.",
                    pathway.code,
                )
            )
    return CheckResult(errors, warnings)


def check_probation_return(probation_return: ProbationReturn, *, nil: bool = False) -> CheckResult:
    errors: list[Problem] = []
    if nil and probation_return.lines.exclude(change="ended").exists():
        errors.append(
            Problem("nil-with-contracts", "A nil return reports no live contracts: mark each contract as ended first.")
        )
    return CheckResult(errors, [])


def check_return(the_return: PrisonReturn | ProbationReturn, *, nil: bool = False) -> CheckResult:
    if isinstance(the_return, PrisonReturn):
        result = check_prison_return(the_return, nil=nil)
    else:
        result = check_probation_return(the_return, nil=nil)
    return with_new_rules_as_warnings(result, the_return.round)


def with_new_rules_as_warnings(result: CheckResult, the_round: ReturnRound | None) -> CheckResult:
    """A breach of a rule still in its grace round is a warning (marked as a new check), not an error."""
    errors: list[Problem] = []
    warnings = list(result.warnings)
    for problem in result.errors:
        if in_grace_round(the_round, INTRODUCED_IN.get(rule_of(problem), 1)):
            warnings.append(replace(problem, message=problem.message + NEW_RULE_NOTE))
        else:
            errors.append(problem)
    return CheckResult(errors, warnings)
