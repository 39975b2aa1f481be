"""The burden on providers, measured: every piece of work an organisation answered the region
(a return, a bid at a stage, a small grant application, a monitoring request), when, and the time it
said it took. ``work_in`` finds the pieces; ``time_figures`` and ``counts`` are the one place the
figures are worked out (docs/burden.md says how).

The time a piece took is asked in its form and is optional: a blank is "not said" and is left out
of the sum, the mean and the median, never counted as 0 hours. A bid's time comes from the bidders'
survey (its "hours spent on the bid"), which is anonymous: it counts for the process, never for an
organisation.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone

from stepchange.burden.models import MonitoringRequest
from stepchange.commissioning import sealed
from stepchange.commissioning.models import Bid, Opportunity, SurveyResponse
from stepchange.funding.models import GrantApplication
from stepchange.returns.models import PrisonReturn, ProbationReturn

PRISON_RETURN = "prison_return"
PROBATION_RETURN = "probation_return"
BID = "bid"
GRANT_APPLICATION = "grant_application"
MONITORING = "monitoring"

PROCESSES: list[tuple[str, str]] = [
    (PRISON_RETURN, "Prison returns"),
    (PROBATION_RETURN, "Probation returns"),
    (BID, "Bids (one for each stage)"),
    (GRANT_APPLICATION, "Small grant applications"),
    (MONITORING, "Monitoring requests"),
]
PROCESS_LABELS = dict(PROCESSES)


@dataclass(frozen=True)
class Piece:
    """One thing answered, or (for bids) one survey answer giving a bid's hours.

    ``organisation_id`` is None for a survey answer, which cannot be tied to a bidder; ``counted``
    is False for it too: the bid itself is counted from the bids, its time from the survey."""

    process: str
    organisation_id: int | None
    day: datetime.date
    hours: Decimal | None
    counted: bool = True


def _local(moment: datetime.datetime | None) -> datetime.date:
    # Every row read has its moment (the queries filter on it).
    assert moment is not None
    return timezone.localdate(moment)


def work_in(
    region_id: int, start: datetime.date, end: datetime.date, *, now: datetime.datetime | None = None
) -> list[Piece]:
    """Every piece of work answered to the region from ``start`` to ``end`` (both days included).

    A return counts once per submission record, on the day it was (last) submitted; a bid once it
    is submitted, not withdrawn and its stage's deadline has passed (before that, that a
    partnership bid is sealed), on the day it was submitted, for the partnership's lead; a small
    grant application on the day it was submitted; a monitoring request on the day it was answered,
    for the contract's prime."""
    now = now or timezone.now()
    first = timezone.make_aware(datetime.datetime.combine(start, datetime.time.min))
    after = timezone.make_aware(datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min))
    within = {"submitted_at__gte": first, "submitted_at__lt": after}
    pieces: list[Piece] = []
    for process, model in ((PRISON_RETURN, PrisonReturn), (PROBATION_RETURN, ProbationReturn)):
        rows = model.objects.filter(commissioner__region_id=region_id, **within).values_list(
            "commissioner__organisation_id", "submitted_at", "hours_taken"
        )
        pieces += [Piece(process, org, _local(at), hours) for org, at, hours in rows]
    bids = Bid.objects.filter(
        sealed.unsealed_submitted_q(now), stage__opportunity__commissioner__region_id=region_id, **within
    ).values_list("partnership__lead_id", "submitted_at")
    pieces += [Piece(BID, org, _local(at), None) for org, at in bids]
    # Everyone who bid is asked to the survey, so its answers are not counted while any stage of
    # their opportunity is sealed (commissioning's rule: ``survey_counts_told``).
    still_sealed = Opportunity.objects.filter(sealed.sealed_q(now, "stages__")).values("pk")
    answers = (
        SurveyResponse.objects.filter(
            opportunity__commissioner__region_id=region_id, received_on__gte=start, received_on__lte=end
        )
        .exclude(opportunity__in=still_sealed)
        .values_list("received_on", "effort_hours")
    )
    pieces += [Piece(BID, None, day, Decimal(hours), counted=False) for day, hours in answers]
    applications = GrantApplication.objects.filter(round__region_id=region_id, **within).values_list(
        "organisation_id", "submitted_at", "hours_taken"
    )
    pieces += [Piece(GRANT_APPLICATION, org, _local(at), hours) for org, at, hours in applications]
    answered = MonitoringRequest.objects.filter(
        contract__commissioner__region_id=region_id, answered_at__gte=first, answered_at__lt=after
    ).values_list("contract__prime_id", "answered_at", "hours_taken")
    pieces += [Piece(MONITORING, org, _local(at), hours) for org, at, hours in answered]
    return pieces


def median(values: list[Decimal]) -> Decimal | None:
    """The middle value; of an even number, the mean of the two middle ones; None of none."""
    if not values:
        return None
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def time_figures(pieces: Iterable[Piece]) -> dict[str, Any]:
    """The time reported: how many said (``answered``), the hours' ``sum``, ``mean`` and ``median``
    over those who said; a blank is left out, never taken as 0. None where nobody said."""
    said = [p.hours for p in pieces if p.hours is not None]
    total = sum(said, Decimal(0))
    return {
        "answered": len(said),
        "hours_sum": total if said else None,
        "hours_mean": total / len(said) if said else None,
        "hours_median": median(said),
    }


def counts(pieces: Iterable[Piece]) -> dict[str, int]:
    """How many pieces were answered (survey answers aside), and by how many organisations."""
    counted = [p for p in pieces if p.counted]
    return {"pieces": len(counted), "organisations": len({p.organisation_id for p in counted})}


def by_process(pieces: list[Piece]) -> list[dict[str, Any]]:
    rows = []
    for process, label in PROCESSES:
        mine = [p for p in pieces if p.process == process]
        rows.append({"process": label, **counts(mine), **time_figures(mine)})
    return rows


def by_organisation(pieces: list[Piece], organisations: dict[int, str]) -> list[dict[str, Any]]:
    """One row for each organisation of ``organisations`` (id -> name) that answered anything: how
    many of each process, and the time it reported (bids aside: their time is anonymous)."""
    rows = []
    for org_id, name in sorted(organisations.items(), key=lambda item: item[1].casefold()):
        mine = [p for p in pieces if p.organisation_id == org_id and p.counted]
        if not mine:
            continue
        row: dict[str, Any] = {"organisation": name, "organisation_id": org_id, "pieces": len(mine)}
        for process, _ in PROCESSES:
            row[process] = sum(1 for p in mine if p.process == process)
        rows.append({**row, **time_figures(mine)})
    return rows
