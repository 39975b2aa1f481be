"""Capacity building on the home page: a provider is asked for its needs until they are recorded
for the year; an organiser is asked to record who came to each past session with nobody yet."""

from __future__ import annotations

import datetime

import pytest

from stepchange.capacity import services
from stepchange.core.todo import todos_for
from tests.factories import AttendanceFactory, Clock, EventFactory, SessionFactory, year_0607
from tests.personas import Cast

pytestmark = pytest.mark.django_db


def items(user: object, key: str) -> list[str]:
    lists = {todo.key: todo for todo in todos_for(user)}
    return [item.text for item in lists[key].items]


def test_the_needs_assessment_until_it_is_filled(cast: Cast, clock: Clock) -> None:
    assert items(cast.dave, "needs") == ["Say what your organisation needs for 2006-07"]
    services.needs_assessment_save(
        actor=cast.dave,
        year=year_0607(),
        answers={t: (2, "") for t in ("bidding", "governance", "finance", "partnership", "monitoring")},
    )
    assert items(cast.dave, "needs") == []
    assert items(cast.erin, "needs") == ["Say what your organisation needs for 2006-07"]


def test_past_sessions_without_attendance(cast: Cast, clock: Clock) -> None:
    event = EventFactory.create(region=cast.region, organiser=cast.alice, title="CRISP set")
    first = SessionFactory.create(event=event, date=datetime.date(2006, 6, 1))
    SessionFactory.create(event=event, date=datetime.date(2006, 7, 1))
    SessionFactory.create(event=event, date=datetime.date(2006, 8, 1))  # still to come on 3 July
    assert items(cast.alice, "attendance") == ["Record who came to CRISP set"] * 2
    AttendanceFactory.create(session=first, organisation=cast.charity)
    assert len(items(cast.alice, "attendance")) == 1
    other = EventFactory.create(region=cast.region, title="Someone else's")
    SessionFactory.create(event=other, date=datetime.date(2006, 6, 1))
    assert len(items(cast.alice, "attendance")) == 1
