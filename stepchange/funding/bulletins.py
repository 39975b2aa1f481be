"""What funding puts in the bulletins (collected by ``bulletins.sources``): funding streams and the
small grants programme's rounds, both public to everyone (``streams_visible_to``,
``rounds_visible_to``).

- **Funding streams** (``funding_streams``): published when the regional team adds one
  (``created_at``); in a digest while bids are still taken on the day it is drafted (no deadline,
  or a deadline that day or later). Its pathways and areas are the stream's own; none means every
  pathway, or the whole region.
- **Small grants rounds** (``small_grants``): published when a round is both set up and open, that
  is at the later of its setting up and the start of its opening day; in a digest while it takes
  applications on the day it is drafted. A round is for the whole region and every pathway.
"""

from __future__ import annotations

import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from stepchange.bulletins.sources import Item, Source
from stepchange.core.money import pounds
from stepchange.funding import access
from stepchange.funding.models import FundingStream, GrantsRound


def _day(day: datetime.date) -> str:
    return f"{day:%-d %B %Y}"


def _amounts(stream: FundingStream) -> str:
    low, high = stream.amount_min, stream.amount_max
    if low is not None and high is not None:
        return f"Grants of {pounds(low)} to {pounds(high)}"
    if high is not None:
        return f"Grants of up to {pounds(high)}"
    if low is not None:
        return f"Grants from {pounds(low)}"
    return "Amounts not stated"


def _stream_item(stream: FundingStream) -> Item:
    pathways = list(stream.pathways.all())
    areas = list(stream.areas.all())
    deadline = f"bids by {_day(stream.deadline)}" if stream.deadline else "bids taken at any time"
    return Item(
        source="funding_streams",
        key=str(stream.pk),
        title=str(stream),
        summary=f"{_amounts(stream)}; {deadline}.",
        url=stream.get_absolute_url(),
        published_at=stream.created_at,
        region_id=stream.region_id,
        pathway_ids=frozenset(p.pk for p in pathways),
        area_ids=frozenset(a.pk for a in areas),
        pathways_text="; ".join(p.name for p in pathways),
        areas_text="; ".join(str(a) for a in areas),
    )


def _streams_taking_bids(day: datetime.date) -> QuerySet[FundingStream]:
    return (
        access.streams_visible_to(None)
        .filter(Q(deadline__isnull=True) | Q(deadline__gte=day))
        .prefetch_related("pathways", "areas__organisation")
    )


def streams_between(region_id: int, start: datetime.datetime, end: datetime.datetime) -> list[Item]:
    found = _streams_taking_bids(timezone.localdate(end)).filter(
        region_id=region_id, created_at__gt=start, created_at__lte=end
    )
    return [_stream_item(stream) for stream in found.order_by("created_at", "pk")]


def stream_item(key: str) -> Item | None:
    if not key.isdigit():
        return None
    stream = _streams_taking_bids(timezone.localdate()).filter(pk=int(key)).first()
    return _stream_item(stream) if stream is not None else None


def round_published_at(grants_round: GrantsRound) -> datetime.datetime:
    """The later of its setting up and the start (local midnight) of its opening day."""
    opens = datetime.datetime.combine(grants_round.opens_on, datetime.time(), tzinfo=timezone.get_current_timezone())
    return max(grants_round.created_at, opens)


def _round_item(grants_round: GrantsRound) -> Item:
    return Item(
        source="small_grants",
        key=str(grants_round.pk),
        title=grants_round.name,
        summary=(
            f"Small grants of up to {pounds(grants_round.max_award)} from a budget of {pounds(grants_round.budget)}; "
            f"applications from {_day(grants_round.opens_on)} to {_day(grants_round.closes_on)}, "
            f"decisions by {_day(grants_round.decisions_by)}."
        ),
        url=grants_round.get_absolute_url(),
        published_at=round_published_at(grants_round),
        region_id=grants_round.region_id,
    )


def _rounds_open(at: datetime.datetime) -> QuerySet[GrantsRound]:
    """The rounds set up by ``at`` that take applications on its day."""
    day = timezone.localdate(at)
    found = access.rounds_visible_to(None).filter(created_at__lte=at, opens_on__lte=day, closes_on__gte=day)
    return found.order_by("opens_on", "pk")


def rounds_between(region_id: int, start: datetime.datetime, end: datetime.datetime) -> list[Item]:
    return [
        _round_item(grants_round)
        for grants_round in _rounds_open(end).filter(region_id=region_id)
        if start < round_published_at(grants_round) <= end
    ]


def round_item(key: str) -> Item | None:
    if not key.isdigit():
        return None
    grants_round = _rounds_open(timezone.now()).filter(pk=int(key)).first()
    return _round_item(grants_round) if grants_round is not None else None


SOURCES = [
    Source(
        position=30,
        key="funding_streams",
        label="Funding streams",
        hint="Money organisations may bid for, with its deadline",
        published_between=streams_between,
        item=stream_item,
    ),
    Source(
        position=40,
        key="small_grants",
        label="Small grants rounds",
        hint="The region's own small grants, as each round opens for applications",
        published_between=rounds_between,
        item=round_item,
    ),
]
