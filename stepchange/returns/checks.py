"""The checks a return meets before it is submitted, in two tiers.

Errors block submission. Warnings are shown and can be confirmed with a reason, which is kept
with the submission. The checks are versioned (``models.RULES_VERSION``) and each submission
records the version it met; a new rule starts as a warning for one round.
"""

from __future__ import annotations

from dataclasses import dataclass

from stepchange.core.models import Pathway
from stepchange.returns.models import PrisonReturn, PrisonReturnLine, ProbationReturn
from stepchange.returns.selectors import previous_prison_return


@dataclass(frozen=True)
class Problem:
    code: str  # stable, so a reason given for a warning stays with it: e.g. "fell-by-half:ete"
    message: str
    # Where to fix it: "post", "contracts" or a pathway's code.
    where: str = ""


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
    for pathway in Pathway.objects.order_by("order"):
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
        if line.services_ended > line.services_running + line.services_started:
            errors.append(
                Problem(
                    f"ended-above-running:{pathway.code}",
                    f"{pathway.name}: services ended ({line.services_ended}) cannot be more than services "
                    f"running and started together ({line.services_running + line.services_started}).",
                    pathway.code,
                )
            )
        last = before.get(pathway.pk)
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
        return check_prison_return(the_return, nil=nil)
    return check_probation_return(the_return, nil=nil)
