"""An event from set-up to evaluation, through its pages: Alice sets up a two-meeting action
learning set of two places, Dave and Erin book, Ivan waits and is promoted when Erin cancels;
Alice records who came (one without an account), and the evaluations are summarised."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from stepchange.accounts.models import Role
from stepchange.capacity import selectors
from stepchange.capacity.models import Attendance, Booking, Event, EventKind
from stepchange.core.models import AuditEvent
from tests.factories import Clock, OrganisationFactory, UserFactory
from tests.fixture_types import ClientFor
from tests.personas import Cast

pytestmark = pytest.mark.django_db


def test_an_action_learning_set_from_set_up_to_evaluation(cast: Cast, clock: Clock, client_for: ClientFor) -> None:
    clock.set(datetime.date(2006, 7, 13))  # the day of the first meeting: booking is open, evaluating too
    alice = client_for(cast.alice)
    created = alice.post(
        "/capacity/events/new/",
        {
            "kind": EventKind.ACTION_LEARNING_SET,
            "title": "CRISP action learning set, Leeds",
            "run_by": "CRISP",
            "capacity": "2",
            "place": "Leeds Civic Hall",
            "dates": "10/8/2006, 13/7/2006",
        },
    )
    event = Event.objects.get()
    assert created.status_code == 302 and created["Location"] == f"/capacity/events/{event.pk}/"
    assert [s.date for s in event.sessions.all()] == [datetime.date(2006, 7, 13), datetime.date(2006, 8, 10)]

    ivan = UserFactory.create(username="ivan", role=Role.PROVIDER, organisation=cast.charity)
    for user in (cast.dave, cast.erin, ivan):
        assert client_for(user).post(f"/capacity/events/{event.pk}/book/").status_code == 302
    ivan_page = client_for(ivan).get(f"/capacity/events/{event.pk}/").content.decode()
    assert "You are number 1 on the waiting list" in ivan_page
    client_for(cast.erin).post(f"/capacity/events/{event.pk}/cancel/")
    assert Booking.objects.get(person=ivan, cancelled_at__isnull=True).place == 2

    first = event.sessions.first()
    assert first is not None
    booked = Booking.objects.filter(event=event, place__isnull=False).order_by("place")
    recorded = alice.post(
        f"/capacity/sessions/{first.pk}/attendance/",
        {
            "booked": [str(b.pk) for b in booked],
            "name": "Pat Probation",
            "organisation": str(cast.sypa.organisation.pk),
        },
    )
    assert recorded.status_code == 302
    walk_in = alice.post(
        f"/capacity/sessions/{first.pk}/attendance/",
        {"name": "Sam Shah", "organisation_name": "Kirklees Asian Women's Group", "sector": "vcs"},
    )
    assert walk_in.status_code == 302
    assert Attendance.objects.filter(session=first).count() == 4
    # Dave and Ivan (Acorn, VCS), Pat (South Yorkshire probation, public), Sam (VCS, no account).
    assert selectors.attendance_by_sector(event) == [
        ("Public", 1),
        ("Private", 0),
        ("Voluntary and community", 3),
    ]
    assert AuditEvent.objects.filter(action="attendance_record").count() == 2

    # Erin did not come: she may not evaluate. Dave and Ivan may.
    assert client_for(cast.erin).get(f"/capacity/events/{event.pk}/evaluate/").status_code == 404
    for user, ratings, comment in (
        (cast.dave, ("5", "4", "4"), "Met the prison's co-ordinator"),
        (ivan, ("4", "4", "3"), ""),
    ):
        answered = client_for(user).post(
            f"/capacity/events/{event.pk}/evaluate/",
            {"content": ratings[0], "delivery": ratings[1], "usefulness": ratings[2], "comments": comment},
        )
        assert answered.status_code == 302
    summary = selectors.evaluation_summary(event)
    # Content (5 + 4) / 2 = 4.50; delivery (4 + 4) / 2 = 4.00; usefulness (4 + 3) / 2 = 3.50.
    assert summary.responses == 2
    assert summary.means == [
        ("Content", Decimal("4.50")),
        ("Delivery", Decimal("4.00")),
        ("Usefulness to your organisation", Decimal("3.50")),
    ]
    assert summary.comments == ["Met the prison's co-ordinator"]
    page = alice.get(f"/capacity/events/{event.pk}/evaluations/").content.decode()
    assert "4.50" in page and "Met the prison&#x27;s co-ordinator" in page
    assert client_for(cast.dave).get(f"/capacity/events/{event.pk}/evaluations/").status_code == 404


def test_a_walk_in_needs_an_organisation_and_a_sector(cast: Cast, clock: Clock, client_for: ClientFor) -> None:
    alice = client_for(cast.alice)
    alice.post(
        "/capacity/events/new/",
        {"kind": "conference", "title": "Race equality", "capacity": "100", "place": "Leeds", "dates": "20/7/2006"},
    )
    session = Event.objects.get().sessions.get()
    page = alice.post(f"/capacity/sessions/{session.pk}/attendance/", {"name": "Sam Shah"})
    text = page.content.decode()
    assert page.status_code == 200
    assert "Enter the organisation of the person who came" in text
    assert "Choose the sector of their organisation" in text
    assert not Attendance.objects.exists()


def test_the_event_list_shows_only_the_regions_events(cast: Cast, clock: Clock, client_for: ClientFor) -> None:
    client_for(cast.alice).post(
        "/capacity/events/new/",
        {"kind": "briefing", "title": "Commissioning briefing", "capacity": "30", "place": "Hull", "dates": "1/9/2006"},
    )
    tyne_user = UserFactory.create(
        username="tess", role=Role.PROVIDER, organisation=OrganisationFactory.create(region=cast.other_region)
    )
    assert "Commissioning briefing" in client_for(cast.dave).get("/capacity/").content.decode()
    assert "Commissioning briefing" not in client_for(tyne_user).get("/capacity/").content.decode()


def test_booking_a_past_event_says_it_has_closed(cast: Cast, clock: Clock, client_for: ClientFor) -> None:
    client_for(cast.alice).post(
        "/capacity/events/new/",
        {"kind": "training", "title": "Bid writing", "capacity": "10", "place": "York", "dates": "1/7/2006"},
    )
    event = Event.objects.get()
    answer = client_for(cast.dave).post(f"/capacity/events/{event.pk}/book/", follow=True)
    assert "Booking for this event has closed" in answer.content.decode()
    assert not Booking.objects.exists()
