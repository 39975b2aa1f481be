"""Reads of returns that reports and pages need.

Only approved figures reach the reports: a return counts from its approval until a correction
of it is approved (then the correction counts instead).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db.models import QuerySet

from stepchange.contracts.models import FundingSource
from stepchange.core.models import Region
from stepchange.organisations.models import CommissionerKind, Sector
from stepchange.returns.models import (
    PrisonReturn,
    ProbationLineChange,
    ProbationReturn,
    ReturnRound,
)

COUNTED_SECTORS = (Sector.VCS, Sector.PRIVATE)


def approved_probation_returns() -> QuerySet[ProbationReturn]:
    """The probation returns whose dates and figures the reports read."""
    return ProbationReturn.objects.filter(approved_at__isnull=False, superseded_at__isnull=True)


def reported_spend(region: Region | list[Region], day: datetime.date) -> dict[int, list[tuple[str, Decimal]]]:
    """Per probation area (of a region, or of several) with an approved round return dated ``day``:
    (sector, annual value) of each line that counts, as the return states it (models.py says why the
    lines, not the contracts).

    Ended lines do not count; a known contract counts only if it is main-grant money with a VCS or
    private prime (the contract's own funding and prime); a new line counts if its reported sector is
    VCS or private. An area whose return has no counted line is present with an empty list (its
    counted spend at that date is nil); an area without such a return is absent.
    """
    # One statement: each return with its lines (a return without lines once, with none), read as
    # values, so a region costs the same number of statements whether it has returns or not.
    rows = (
        approved_probation_returns()
        .filter(
            round__isnull=False,
            as_at=day,
            commissioner__region__in=region if isinstance(region, list) else [region],
            commissioner__kind=CommissionerKind.PROBATION,
        )
        .order_by("lines__id")
        .values_list(
            "commissioner_id",
            "lines__id",
            "lines__change",
            "lines__annual_value",
            "lines__sector",
            "lines__contract_id",
            "lines__contract__funding_source",
            "lines__contract__prime__sector",
        )
    )
    out: dict[int, list[tuple[str, Decimal]]] = {}
    for area_id, line_id, change, annual_value, line_sector, contract_id, funding_source, prime_sector in rows:
        counted = out.setdefault(area_id, [])
        if line_id is None or change == ProbationLineChange.ENDED:
            continue
        if contract_id is not None:
            if funding_source != FundingSource.MAIN_GRANT:
                continue
            sector = prime_sector
        else:
            sector = line_sector
        if sector in COUNTED_SECTORS:
            counted.append((sector, annual_value))
    return out


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
