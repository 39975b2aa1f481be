"""The access world's capacity building: Yorkshire and Humberside's action learning set, Alice's,
its first meeting past and its second to come; Erin booked on it and recorded as having come."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from stepchange.capacity.models import Booking, Event, EventKind, Session
from tests.factories import AttendanceFactory, EventFactory, SessionFactory
from tests.personas import Cast


@dataclass
class Events:
    event: Event
    session: Session  # the first meeting, past


def build_events(cast: Cast) -> Events:
    today = datetime.date.today()
    event = EventFactory.create(
        region=cast.region, organiser=cast.alice, kind=EventKind.ACTION_LEARNING_SET, capacity=5
    )
    past = SessionFactory.create(event=event, date=today - datetime.timedelta(days=10))
    SessionFactory.create(event=event, date=today + datetime.timedelta(days=30))
    Booking.objects.create(
        event=event, person=cast.erin, organisation=cast.company, place=1, booked_at=event.created_at
    )
    AttendanceFactory.create(session=past, person=cast.erin, organisation=cast.company, recorded_by=cast.alice)
    return Events(event=event, session=past)
