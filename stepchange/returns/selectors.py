"""Reads of returns that reports and pages need.

Only approved figures reach the reports: a return counts from its approval until a correction
of it is approved (then the correction counts instead).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Case, Count, F, Min, Q, QuerySet, Sum, When
from django.db.models.functions import Lower

from stepchange.contracts.models import Contract
from stepchange.contracts.selectors import COUNTED_SECTORS, counts_toward_target_q
from stepchange.core.models import Pathway, Region, pathways_asked_of_prisons
from stepchange.organisations.models import CommissionerKind, Listing, Organisation, Sector
from stepchange.returns.access import proposals_reviewable_by
from stepchange.returns.models import (
    PrisonReturn,
    ProbationLineChange,
    ProbationReturn,
    ProbationReturnLine,
    ProposedOrganisation,
    ReturnRound,
)

CENT = Decimal("0.01")


def approved_probation_returns() -> QuerySet[ProbationReturn]:
    """The probation returns whose dates and figures the reports read."""
    return ProbationReturn.objects.filter(approved_at__isnull=False, superseded_at__isnull=True)


def counted_line_q(prefix: str = "") -> Q:
    """A probation return's line that counts: not ended, and either a recorded contract that counts
    toward the target (the one rule, ``contracts.selectors.counts_toward_target_q``) or a contract
    new in the return whose prime the area gave as VCS or private (taken to be main-grant money)."""
    new_and_counted = Q(**{f"{prefix}contract__isnull": True, f"{prefix}sector__in": COUNTED_SECTORS})
    return ~Q(**{f"{prefix}change": ProbationLineChange.ENDED}) & (
        new_and_counted | counts_toward_target_q(f"{prefix}contract__")
    )


def reported_spend(
    region: Region | list[Region], days: list[datetime.date]
) -> dict[datetime.date, dict[int, dict[str, tuple[int, Decimal]]]]:
    """By day, for each of the ``days`` (a share and its baselines, or every date of a trend) in one
    statement: per probation area (of a region, or of several) with an approved round return dated
    that day, per counted sector, the number and the annual value of the return's lines that count, as the
    return states them (models.py says why the lines, not the contracts).

    Ended lines do not count; a known contract counts only if it is main-grant money with a VCS or
    private prime (the contract's own funding and prime); a new line counts if its reported sector is
    VCS or private. An area whose return has no counted line is present with no sector (its counted
    spend at that date is nil); an area without such a return is absent.
    """
    # One statement, summed in the database: a national round has tens of thousands of lines, and
    # reading each into Python cost more than the rest of the report. Each return is grouped with
    # its lines by the sector that counts (a return without a counted line once, with none).
    counts = Q(lines__isnull=False) & counted_line_q("lines__")
    rows = (
        approved_probation_returns()
        .filter(
            round__isnull=False,
            as_at__in=sorted(set(days)),
            commissioner__region__in=region if isinstance(region, list) else [region],
            commissioner__kind=CommissionerKind.PROBATION,
        )
        .annotate(
            counted_sector=Case(
                When(lines__contract__isnull=False, then=F("lines__contract__prime__sector")),
                default=F("lines__sector"),
            )
        )
        .values("as_at", "commissioner_id", "counted_sector")
        .annotate(n=Count("lines__id", filter=counts), value=Sum("lines__annual_value", filter=counts))
        .order_by()
    )
    out: dict[datetime.date, dict[int, dict[str, tuple[int, Decimal]]]] = {day: {} for day in days}
    for row in rows:
        sectors = out[row["as_at"]].setdefault(row["commissioner_id"], {})
        if row["n"]:
            sectors[row["counted_sector"]] = (row["n"], row["value"].quantize(CENT))
    return out


def prison_pathways(prison_return: PrisonReturn) -> QuerySet[Pathway]:
    """The pathways this return's prison reports, in order: its region's choice where it made one,
    else the national ``Pathway.applies_to_prisons`` (``core.models.pathways_asked_of_prisons``)."""
    return pathways_asked_of_prisons(prison_return.commissioner.region_id)


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


def running_last_quarter(prison_return: PrisonReturn) -> dict[int, int] | None:
    """Services running per pathway id in the establishment's approved return of the quarter before.

    None when there is no such return (its figures are not known); a pathway it did not fill is 0.
    """
    previous = previous_prison_return(prison_return)
    if previous is None:
        return None
    return dict(previous.lines.values_list("pathway_id", "services_running"))


def reported_contracts(region: Region | list[Region], day: datetime.date) -> dict[int, list[tuple[int, int | None]]]:
    """Per probation area of the region (or regions) with an approved round return dated ``day``: the return's
    lines that count, as ``reported_spend`` counts them, each as (line id, its contract's id, or
    None for a contract new in the return). An area whose return has no counted line is present
    with an empty list; an area without such a return is absent. The contract profile reads its
    contracts from here at a return date, as the share reads its spend from ``reported_spend``."""
    returns = approved_probation_returns().filter(
        round__isnull=False,
        as_at=day,
        commissioner__region__in=region if isinstance(region, list) else [region],
        commissioner__kind=CommissionerKind.PROBATION,
    )
    out: dict[int, list[tuple[int, int | None]]] = {
        area_id: [] for area_id in returns.values_list("commissioner_id", flat=True)
    }
    lines = ProbationReturnLine.objects.filter(counted_line_q(), probation_return__in=returns).values_list(
        "id", "probation_return__commissioner_id", "contract_id"
    )
    for line_id, area_id, contract_id in lines:
        out[area_id].append((line_id, contract_id))
    return out


def may_deliver_on_line(prison_return: PrisonReturn) -> QuerySet[Organisation]:
    """The directory organisations a prison return's line may name: its region's VCS organisations."""
    return Organisation.objects.filter(
        sector=Sector.VCS, region_id=prison_return.commissioner.region_id, listing=Listing.LISTED
    )


def area_wide_contracts(prison_return: PrisonReturn) -> QuerySet[Contract]:
    """The area-wide contracts a prison return may name: the region's regional team's and other
    prisons' contracts."""
    return (
        Contract.objects.filter(
            commissioner__region_id=prison_return.commissioner.region_id,
            commissioner__kind__in=[CommissionerKind.REGIONAL, CommissionerKind.PRISON],
        )
        .exclude(commissioner=prison_return.commissioner)
        .order_by("title")
    )


# Organisations proposed in prison returns --------------------------------------------------------


@dataclass(frozen=True)
class AwaitingReview:
    """What a person has to review: ``count`` names, one proposal standing for each in ``proposals``
    (the first made of that name in its region; the others of the name are decided with it)."""

    count: int
    proposals: QuerySet[ProposedOrganisation]


def proposals_awaiting(proposals: QuerySet[ProposedOrganisation]) -> QuerySet[ProposedOrganisation]:
    """Of ``proposals``, those awaiting review, one for each name (case ignored) in each region:
    the first made, oldest first."""
    waiting = proposals.filter(decided_at__isnull=True)
    first_of_each = (
        waiting.order_by()
        .values("line__prison_return__commissioner__region", key=Lower("name"))
        .annotate(first=Min("pk"))
        .values("first")
    )
    return waiting.filter(pk__in=first_of_each).order_by("pk")


def proposals_awaiting_review(user: Any) -> AwaitingReview:
    """The organisations proposed in prison returns that this person reviews and nobody has decided
    yet (for the home page's to-do list): how many names, and the proposals standing for them."""
    waiting = proposals_awaiting(proposals_reviewable_by(user))
    return AwaitingReview(count=waiting.count(), proposals=waiting)


def same_name_awaiting(proposal: ProposedOrganisation) -> QuerySet[ProposedOrganisation]:
    """Every proposal awaiting review of ``proposal``'s name (case ignored) in its region, itself
    included: one decision takes them all."""
    region_id = proposal.line.prison_return.commissioner.region_id
    return ProposedOrganisation.objects.filter(
        name__iexact=proposal.name, decided_at__isnull=True, line__prison_return__commissioner__region_id=region_id
    )


def where_proposed(proposals: QuerySet[ProposedOrganisation]) -> list[dict[str, Any]]:
    """Where ``proposals`` were made, in words: establishment, quarter and pathway, one row each."""
    rows = proposals.select_related(
        "line__pathway", "line__prison_return__commissioner__organisation", "line__prison_return__round__year"
    ).order_by("line__prison_return__commissioner__organisation__name", "line__prison_return__round__year__start")
    return [
        {
            "establishment": p.line.prison_return.commissioner.name,
            "the_return": p.line.prison_return,
            "quarter": p.line.prison_return.round.label if p.line.prison_return.round else "",
            "pathway": p.line.pathway.name,
            "sector": p.get_sector_display(),
        }
        for p in rows
    ]
