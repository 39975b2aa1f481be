"""Reads of returns that reports and pages need.

Only approved figures reach the reports: a return counts from its approval until a correction
of it is approved (then the correction counts instead).
"""

from __future__ import annotations

from django.db.models import QuerySet

from stepchange.returns.models import PrisonReturn, ProbationReturn, ReturnRound


def approved_probation_returns() -> QuerySet[ProbationReturn]:
    """The probation returns whose dates and figures the reports read."""
    return ProbationReturn.objects.filter(approved_at__isnull=False, superseded_at__isnull=True)


def approved_prison_returns() -> QuerySet[PrisonReturn]:
    return PrisonReturn.objects.filter(approved_at__isnull=False, superseded_at__isnull=True)


def previous_round(the_round: ReturnRound) -> ReturnRound | None:
    """The same kind of round for the quarter before (Q4 of the year before for a Q1 round)."""
    rounds = ReturnRound.objects.filter(region_id=the_round.region_id, kind=the_round.kind)
    if the_round.quarter > 1:
        return rounds.filter(year_id=the_round.year_id, quarter=the_round.quarter - 1).first()
    return rounds.filter(year__end__lt=the_round.year.start, quarter=4).order_by("-year__start").first()


def previous_prison_return(prison_return: PrisonReturn) -> PrisonReturn | None:
    """The establishment's approved return of the quarter before, if there is one."""
    if prison_return.round is None:
        return None
    before = previous_round(prison_return.round)
    if before is None:
        return None
    return approved_prison_returns().filter(round=before, commissioner_id=prison_return.commissioner_id).first()
