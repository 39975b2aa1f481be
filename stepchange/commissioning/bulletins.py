"""What commissioning puts in the bulletins (collected by ``bulletins.sources``): the opportunities
published, as everyone may see them (``opportunities_visible_to`` a signed-out visitor).

An opportunity's areas are the patches it names; one that names none is for the whole region. It is
announced once published, whatever happened to it since (a digest reports what was published in
its period); a cancelled one is left out, as there is nothing left to bid for.
"""

from __future__ import annotations

import datetime

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from stepchange.bulletins.sources import Item, Source
from stepchange.commissioning.access import opportunities_visible_to
from stepchange.commissioning.models import Opportunity, OpportunityKind
from stepchange.core.money import pounds


def _item(opportunity: Opportunity) -> Item:
    assert opportunity.published_at is not None  # only published ones are read
    pathways = list(opportunity.pathways.all())
    areas = list(opportunity.areas.all())
    closes = opportunity.closes_at()
    summary = f"{OpportunityKind(opportunity.kind).label} from {opportunity.commissioner}, "
    summary += f"estimated at {pounds(opportunity.estimated_value)} a year"
    if closes is not None:
        summary += f", closing {closes:%-d %B %Y}"
    return Item(
        source="opportunities",
        key=opportunity.reference,
        title=opportunity.title,
        summary=summary + ".",
        url=opportunity.get_absolute_url(),
        published_at=opportunity.published_at,
        region_id=opportunity.commissioner.region_id,
        pathway_ids=frozenset(p.pk for p in pathways),
        area_ids=frozenset(a.pk for a in areas),
        pathways_text="; ".join(p.name for p in pathways),
        areas_text="; ".join(str(a) for a in areas),
    )


def _public(now: datetime.datetime | None = None) -> QuerySet[Opportunity]:
    return (
        opportunities_visible_to(AnonymousUser(), now=now)
        .filter(cancelled_at__isnull=True)
        .select_related("commissioner__organisation")
        .prefetch_related("pathways", "areas__organisation", "stages")
    )


def published_between(region_id: int, start: datetime.datetime, end: datetime.datetime) -> list[Item]:
    found = _public(end).filter(commissioner__region_id=region_id, published_at__gt=start, published_at__lte=end)
    return [_item(opportunity) for opportunity in found.order_by("published_at", "reference")]


def published_item(reference: str) -> Item | None:
    opportunity = _public().filter(reference=reference).first()
    return _item(opportunity) if opportunity is not None else None


SOURCES = [
    Source(
        position=10,
        key="opportunities",
        label="Commissioning opportunities",
        hint="Tenders and grant rounds as they are published",
        published_between=published_between,
        item=published_item,
    )
]
