"""What the returns reports share: the year and rounds a report reads, who was asked for a return
and has not had one approved, and the notes that say so."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from stepchange.core.models import FinancialYear
from stepchange.core.periods import year_containing
from stepchange.organisations.models import EstablishmentType
from stepchange.reports.registry import ReportParams
from stepchange.returns.models import ReturnKind, ReturnRound
from stepchange.returns.selectors import approved_prison_returns

ZERO = Decimal("0.00")
QUARTERS = (1, 2, 3, 4)


def year_of(params: ReportParams) -> FinancialYear:
    if params.year is not None:
        return params.year
    assert params.at is not None
    return year_containing(params.at)


def prison_rounds(params: ReportParams, year: FinancialYear, quarters: tuple[int, ...]) -> list[ReturnRound]:
    return list(
        ReturnRound.objects.filter(region=params.region, kind=ReturnKind.PRISON, year=year, quarter__in=quarters)
        .prefetch_related("commissioners__organisation")
        .order_by("quarter")
    )


def missing_returns(rounds: list[ReturnRound]) -> tuple[int, int, list[str]]:
    """(asked for, approved, who is missing as "HMP Hull Q2") across the rounds."""
    approved = set(approved_prison_returns().filter(round__in=rounds).values_list("round_id", "commissioner_id"))
    asked = 0
    missing = []
    for the_round in rounds:
        for commissioner in the_round.commissioners.all():
            asked += 1
            if (the_round.pk, commissioner.pk) not in approved:
                missing.append(f"{commissioner.organisation.name} Q{the_round.quarter}")
    return asked, asked - len(missing), missing


def missing_note(asked: int, missing: list[str]) -> str:
    if not asked:
        return "No prison returns were asked for in this period."
    if not missing:
        return f"All {asked} returns asked for are approved."
    return (
        f"Missing {len(missing)} of {asked} returns (not yet approved): {', '.join(missing)}. "
        "Their figures are not in this report."
    )


def establishments_of(params: ReportParams) -> dict[str, Any]:
    """The filter on a return's (or round membership's) commissioner for the report's establishment type."""
    return {"commissioner__establishment_type": params.establishment_type} if params.establishment_type else {}


def type_note(params: ReportParams) -> list[str]:
    if not params.establishment_type:
        return []
    return [f"Only establishments of type {EstablishmentType(params.establishment_type).label}."]


def missing_of_type(rounds: list[ReturnRound], params: ReportParams) -> tuple[int, int, list[str]]:
    """``missing_returns`` for the establishments of the report's type only."""
    if not params.establishment_type:
        return missing_returns(rounds)
    approved = set(approved_prison_returns().filter(round__in=rounds).values_list("round_id", "commissioner_id"))
    asked = 0
    missing = []
    for the_round in rounds:
        for commissioner in the_round.commissioners.all():
            if commissioner.establishment_type != params.establishment_type:
                continue
            asked += 1
            if (the_round.pk, commissioner.pk) not in approved:
                missing.append(f"{commissioner.organisation.name} Q{the_round.quarter}")
    return asked, asked - len(missing), missing
