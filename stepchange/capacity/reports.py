"""The capacity-building outcomes report: did the organisations reached by capacity building go on
to partner, bid and win more than those it did not reach?

How "reached" and "went on" are defined is written once, in docs/capacity.md and the report's
section of docs/figures.md; ``outcomes`` is the one function that computes them.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Min
from django.utils import timezone

from stepchange.capacity.models import Attendance, Session
from stepchange.commissioning import sealed
from stepchange.commissioning.models import Bid, PartnershipMember
from stepchange.contracts.models import Contract, SubContract
from stepchange.organisations.models import Organisation, Sector, SizeBand
from stepchange.reports.columns import Column, ColumnKind
from stepchange.reports.registry import Chart, ReportParams, ReportResult, register

REACHED, NOT_REACHED = "Reached", "Not reached"
SIZE_NOT_GIVEN = "Size not given"


@dataclass
class Outcome:
    """What one organisation went on to do in its window (first day after ``since``, to ``until``)."""

    organisation: Organisation
    reached: bool
    since: datetime.date | None
    joined: bool = False
    bid: bool = False
    contracts: list[Decimal] = field(default_factory=list)
    sub_contracts: list[Decimal] = field(default_factory=list)


def _local(moment: datetime.datetime | None) -> datetime.date | None:
    return None if moment is None else timezone.localdate(moment)


def _within(day: datetime.date | None, since: datetime.date | None, until: datetime.date) -> bool:
    return day is not None and since is not None and since < day <= until


def outcomes(region_id: int, until: datetime.date, *, now: datetime.datetime | None = None) -> list[Outcome]:
    """Every VCS or private organisation of the region that is not a commissioner, with whether
    capacity building had reached it by ``until`` and what it went on to do."""
    population = list(
        Organisation.objects.filter(
            region_id=region_id, sector__in=[Sector.VCS, Sector.PRIVATE], commissioner__isnull=True
        ).order_by("name")
    )
    ids = [o.pk for o in population]
    first_attended = dict(
        Attendance.objects.filter(
            organisation_id__in=ids, session__event__region_id=region_id, session__date__lte=until
        )
        .values("organisation_id")
        .annotate(first=Min("session__date"))
        .values_list("organisation_id", "first")
    )
    region_first = Session.objects.filter(event__region_id=region_id, date__lte=until).aggregate(first=Min("date"))[
        "first"
    ]
    result = {
        o.pk: Outcome(organisation=o, reached=o.pk in first_attended, since=first_attended.get(o.pk, region_first))
        for o in population
    }
    memberships = PartnershipMember.objects.filter(organisation_id__in=ids, confirmed_at__isnull=False)
    for organisation_id, confirmed_at in memberships.values_list("organisation_id", "confirmed_at"):
        row = result[organisation_id]
        row.joined = row.joined or _within(_local(confirmed_at), row.since, until)
    bids = Bid.objects.filter(sealed.unsealed_submitted_q(now or timezone.now()))
    for organisation_id, submitted_at in memberships.filter(partnership__bids__in=bids).values_list(
        "organisation_id", "partnership__bids__submitted_at"
    ):
        row = result[organisation_id]
        row.bid = row.bid or _within(_local(submitted_at), row.since, until)
    for prime_id, start, value in Contract.objects.filter(prime_id__in=ids).values_list(
        "prime_id", "start", "annual_value"
    ):
        row = result[prime_id]
        if _within(start, row.since, until):
            row.contracts.append(value)
    for partner_id, start, value in SubContract.objects.filter(partner_id__in=ids).values_list(
        "partner_id", "contract__start", "value"
    ):
        row = result[partner_id]
        if _within(start, row.since, until):
            row.sub_contracts.append(value)
    return list(result.values())


def _figures(group: Iterable[Outcome]) -> dict[str, Any]:
    rows = list(group)
    return {
        "organisations": len(rows),
        "joined": sum(1 for r in rows if r.joined),
        "bid": sum(1 for r in rows if r.bid),
        "won_contract": sum(1 for r in rows if r.contracts),
        "contract_value": sum((sum(r.contracts, Decimal(0)) for r in rows), Decimal(0)),
        "won_sub_contract": sum(1 for r in rows if r.sub_contracts),
        "sub_contract_value": sum((sum(r.sub_contracts, Decimal(0)) for r in rows), Decimal(0)),
    }


def _share(count: int, of: int) -> Decimal | None:
    return None if of == 0 else Decimal(count) * 100 / of


def outcome_rows(all_outcomes: list[Outcome]) -> list[dict[str, Any]]:
    """Reached and not reached side by side, for every organisation, by size band and by BME-led."""
    breakdowns: list[tuple[str, Any]] = [("All organisations", lambda o: True)]
    breakdowns += [(str(band.label), lambda o, b=band.value: o.organisation.size_band == b) for band in SizeBand]
    breakdowns.append((SIZE_NOT_GIVEN, lambda o: not o.organisation.size_band))
    breakdowns.append(("BME-led", lambda o: o.organisation.bme_led))
    breakdowns.append(("Not BME-led", lambda o: not o.organisation.bme_led))
    rows = []
    for label, belongs in breakdowns:
        for reached in (True, False):
            group = [o for o in all_outcomes if belongs(o) and o.reached == reached]
            figures = _figures(group)
            rows.append(
                {
                    "breakdown": label,
                    "group": REACHED if reached else NOT_REACHED,
                    **figures,
                    "went_on_share": _share(
                        sum(1 for o in group if o.joined or o.bid or o.contracts or o.sub_contracts),
                        figures["organisations"],
                    ),
                }
            )
    return rows


@register(
    name="capacity-outcomes",
    title="What capacity building led to",
    description="Organisations reached by capacity building (came to any event) against those not reached: how many went on to join a bidding partnership, bid, win a contract or a sub-contract, and for how much, by size band and by BME-led.",
    signed_in_only=True,
)
def capacity_outcomes(params: ReportParams) -> ReportResult:
    until = params.at or timezone.localdate()
    all_outcomes = outcomes(params.region.pk, until)
    rows = outcome_rows(all_outcomes)
    reached = [o for o in all_outcomes if o.reached]
    totals = {
        "organisations": len(all_outcomes),
        "reached": len(reached),
        "not_reached": len(all_outcomes) - len(reached),
    }
    overall = {r["group"]: r for r in rows[:2]}
    measures = [
        ("joined", "Joined a partnership"),
        ("bid", "Bid"),
        ("won_contract", "Won a contract"),
        ("won_sub_contract", "Won a sub-contract"),
    ]
    return ReportResult(
        params=params,
        columns=[
            Column("breakdown", "Organisations"),
            Column("group", "Capacity building"),
            Column("organisations", "Organisations", ColumnKind.COUNT),
            Column("joined", "Joined a bidding partnership", ColumnKind.COUNT),
            Column("bid", "Bid", ColumnKind.COUNT),
            Column("won_contract", "Won a contract", ColumnKind.COUNT),
            Column("contract_value", "Annual value of contracts won", ColumnKind.MONEY),
            Column("won_sub_contract", "Won a sub-contract", ColumnKind.COUNT),
            Column("sub_contract_value", "Value of sub-contracts won", ColumnKind.MONEY),
            Column("went_on_share", "Went on to any of these", ColumnKind.PERCENT, missing="none in the group"),
        ],
        rows=rows,
        totals=totals,
        total_columns=[
            Column("organisations", "VCS and private organisations of the region", ColumnKind.COUNT),
            Column("reached", "Reached by capacity building", ColumnKind.COUNT),
            Column("not_reached", "Not reached", ColumnKind.COUNT),
        ],
        chart=Chart(
            kind="bar",
            title="Share of organisations that went on to each, reached against not reached",
            categories=[label for _, label in measures],
            series=[
                (
                    group,
                    [_share(overall[group][key], overall[group]["organisations"]) for key, _ in measures],
                )
                for group in (REACHED, NOT_REACHED)
            ],
        ),
        notes=[
            "Reached: someone from the organisation was recorded as coming to an event of the region on or before the date.",
            "Went on: done after the day of its first event (for those not reached, after the day of the region's "
            "first event) and on or before the date. A bid is counted once its stage's deadline has passed.",
            "An organisation is counted once in a column however many partnerships, bids or contracts it had; "
            "the values add every contract's annual value and every sub-contract's value.",
        ],
    )
