"""What capacity building puts in the bulletins (collected by ``bulletins.sources``): the events
their organisers announced, while they are open for booking.

A region's events are otherwise seen only by people who work in it, so only an event its organiser
chose to announce (``Event.announced``, ticked when it is set up) is ever in a bulletin, and only
what the bulletin needs: its title, kind, who runs it, its dates and places. It is published when
it is set up (``created_at``), and is in a digest only while it can still be booked (its last day
not passed on the day the digest is drafted) and not cancelled, as ``access.may_book`` allows. An event is for the
whole region and every pathway: it has no areas or pathways of its own.
"""

from __future__ import annotations

import datetime

from django.db.models import Max, QuerySet
from django.urls import reverse
from django.utils import timezone

from stepchange.bulletins.sources import Item, Source
from stepchange.capacity.models import Event, EventKind


def _when(event: Event) -> str:
    sessions = list(event.sessions.all())
    places = {s.place for s in sessions}
    if len(places) == 1:
        dates = ", ".join(f"{s.date:%-d %B %Y}" for s in sessions)
        return f"{dates} at {places.pop()}"
    return "; ".join(f"{s.date:%-d %B %Y} at {s.place}" for s in sessions)


def _item(event: Event) -> Item:
    summary = EventKind(event.kind).label
    if event.run_by:
        summary += f" run by {event.run_by}"
    summary += f": {_when(event)}. {event.capacity} places; sign in to book."
    return Item(
        source="events",
        key=str(event.pk),
        title=event.title,
        summary=summary,
        url=reverse("capacity:event", args=[event.pk]),
        published_at=event.created_at,
        region_id=event.region_id,
    )


def _open_for_booking(day: datetime.date) -> QuerySet[Event]:
    """Announced events whose last day is ``day`` or later."""
    return (
        Event.objects.filter(announced=True, cancelled_at__isnull=True)
        .annotate(last_day=Max("sessions__date"))
        .filter(last_day__gte=day)
        .prefetch_related("sessions")
    )


def published_between(region_id: int, start: datetime.datetime, end: datetime.datetime) -> list[Item]:
    found = _open_for_booking(timezone.localdate(end)).filter(
        region_id=region_id, created_at__gt=start, created_at__lte=end
    )
    return [_item(event) for event in found.order_by("created_at", "pk")]


def published_item(key: str) -> Item | None:
    if not key.isdigit():
        return None
    event = _open_for_booking(timezone.localdate()).filter(pk=int(key)).first()
    return _item(event) if event is not None else None


SOURCES = [
    Source(
        position=20,
        key="events",
        label="Capacity-building events",
        hint="Training, conferences and other events open for booking",
        published_between=published_between,
        item=published_item,
    )
]
