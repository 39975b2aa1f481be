"""The worst things typed into the capacity-building forms: Alice's new event and attendance,
Dave's needs assessment, Erin's evaluation of the set she came to. Whatever is sent, the form
comes back with a GOV.UK error summary and nothing saved, or a clean save with its audit event;
never a server error, never the sender's markup echoed unescaped."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stepchange.capacity.models import Booking, Event, EventKind
from tests.factories import AttendanceFactory, Clock, EventFactory, SessionFactory
from tests.fixture_types import ClientFor
from tests.hostile.checks import assert_good_values_save, post_hostile
from tests.hostile.strategies import form_data
from tests.hostile.tally import Tally
from tests.personas import Cast

pytestmark = pytest.mark.django_db

Fields = dict[str, tuple[str, Any]]
THEMES = ("bidding", "governance", "finance", "partnership", "monitoring")


@dataclass
class Form:
    who: Callable[[Cast], Any]
    url: Callable[[Event], str]
    fields: Fields


FORMS = {
    "event set up": Form(
        lambda cast: cast.alice,
        lambda event: "/capacity/events/new/",
        {
            "kind": ("choice", "training"),
            "title": ("text", "Bid writing"),
            "run_by": ("text", "CRISP"),
            "description": ("text", "For small groups"),
            "capacity": ("number", "12"),
            "place": ("text", "York"),
            "dates": ("text", "20/7/2006, 27/7/2006"),
        },
    ),
    "needs assessment": Form(
        lambda cast: cast.dave,
        lambda event: "/capacity/needs/",
        {
            **{f"{theme}_level": ("choice", "3") for theme in THEMES},
            **{f"{theme}_note": ("text", "Help with the tender's forms") for theme in THEMES},
            "version": ("number", "0"),
        },
    ),
    "attendance": Form(
        lambda cast: cast.alice,
        lambda event: f"/capacity/sessions/{event.sessions.get().pk}/attendance/",
        {"name": ("text", "Sam Shah"), "organisation_name": ("text", "Kirklees Group"), "sector": ("choice", "vcs")},
    ),
    "evaluation": Form(
        lambda cast: cast.erin,
        lambda event: f"/capacity/events/{event.pk}/evaluate/",
        {
            "content": ("choice", "5"),
            "delivery": ("choice", "4"),
            "usefulness": ("choice", "3"),
            "comments": ("text", "Useful"),
        },
    ),
}


@pytest.fixture
def event(cast: Cast, clock: Clock) -> Event:
    """Alice's set of 3 July 2006 (the clock's day), which Erin booked and came to."""
    event = EventFactory.create(region=cast.region, organiser=cast.alice, kind=EventKind.ACTION_LEARNING_SET)
    session = SessionFactory.create(event=event, date=datetime.date(2006, 7, 3))
    Booking.objects.create(event=event, person=cast.erin, organisation=cast.company, place=1, booked_at=clock.now)
    AttendanceFactory.create(session=session, person=cast.erin, organisation=cast.company, recorded_by=cast.alice)
    return event


@pytest.mark.parametrize("name", sorted(FORMS))
@given(data=st.data())
def test_hostile_values_are_refused_or_saved_cleanly(
    name: str, cast: Cast, event: Event, client_for: ClientFor, tally: Tally, data: Any
) -> None:
    form = FORMS[name]
    sent = data.draw(form_data(form.fields))
    tally.add()
    post_hostile(client_for(form.who(cast)), form.url(event), sent)


@pytest.mark.parametrize("name", sorted(FORMS))
def test_the_good_values_save(name: str, cast: Cast, event: Event, client_for: ClientFor) -> None:
    form = FORMS[name]
    assert_good_values_save(client_for(form.who(cast)), form.url(event), form.fields)
