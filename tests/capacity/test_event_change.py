"""Changing and cancelling an event: more places go to the waiting list in order, fewer than those
taken are refused, held places above a lowered number move down; a cancelled event stays listed,
marked, closed to booking, out of the bulletins, and everyone booked or waiting is told."""

from __future__ import annotations

import datetime
import html

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from stepchange.accounts.models import Role, User
from stepchange.capacity import bulletins, services, todo
from stepchange.capacity.models import Booking, Event
from stepchange.core.models import AuditEvent
from stepchange.notifications.models import Notification
from tests.factories import Clock, EventFactory, SessionFactory, UserFactory
from tests.fixture_types import ClientFor
from tests.personas import Cast

pytestmark = pytest.mark.django_db


def event_of(cast: Cast, clock: Clock, capacity: int, **extra: object) -> Event:
    event = EventFactory.create(
        region=cast.region, organiser=cast.alice, capacity=capacity, title="Bidding skills", **extra
    )
    SessionFactory.create(event=event, date=clock.today() + datetime.timedelta(days=10), place="Leeds")
    return event


def book_in_order(event: Event, clock: Clock, people: list[User]) -> None:
    for n, person in enumerate(people):
        services.booking_make(actor=person, event=event, now=clock.now + datetime.timedelta(minutes=n))


def providers(cast: Cast, *names: str) -> list[User]:
    return [UserFactory.create(username=n, role=Role.PROVIDER, organisation=cast.charity) for n in names]


def places(event: Event) -> list[tuple[str, int | None]]:
    live = Booking.objects.filter(event=event, cancelled_at__isnull=True).order_by("booked_at", "id")
    return [(b.person.username, b.place) for b in live]


def test_more_places_go_to_those_waiting_in_the_order_they_asked(cast: Cast, clock: Clock) -> None:
    event = event_of(cast, clock, capacity=2)
    book_in_order(event, clock, [cast.dave, cast.erin, *providers(cast, "ivan", "judy", "kim")])
    assert places(event) == [("dave", 1), ("erin", 2), ("ivan", None), ("judy", None), ("kim", None)]
    audits = AuditEvent.objects.count()

    promoted = services.event_change(
        actor=cast.alice, event=event, version=1, title=" Bidding well ", run_by="CRISP", capacity=4
    )

    # Two new places (3 and 4) for the first two waiting; Kim still waits.
    assert [(b.person.username, b.place) for b in promoted] == [("ivan", 3), ("judy", 4)]
    assert places(event) == [("dave", 1), ("erin", 2), ("ivan", 3), ("judy", 4), ("kim", None)]
    event.refresh_from_db()
    assert (event.title, event.run_by, event.capacity, event.version) == ("Bidding well", "CRISP", 4, 2)
    assert AuditEvent.objects.count() == audits + 1
    audit = AuditEvent.objects.latest("pk")
    assert audit.action == "event_change"
    assert audit.after is not None
    assert [p["person"] for p in audit.after["places_given_to"]] == ["Ivan", "Judy"]


def test_fewer_places_than_those_taken_is_refused_on_the_page(cast: Cast, client_for: ClientFor, clock: Clock) -> None:
    event = event_of(cast, clock, capacity=3)
    session = event.sessions.get()
    book_in_order(event, clock, [cast.dave, cast.erin])
    audits = AuditEvent.objects.count()
    url = f"/capacity/events/{event.pk}/change/"
    form = client_for(cast.alice).get(url).content.decode()
    assert f'name="session_{session.pk}_date"' in form and 'value="Leeds"' in form

    page = client_for(cast.alice).post(
        url,
        {
            "version": "1",
            "title": "Bidding skills",
            "run_by": "",
            "description": "",
            "capacity": "1",
            f"session_{session.pk}_date": f"{session.date:%d/%m/%Y}",
            f"session_{session.pk}_place": "Leeds",
        },
    )

    assert page.status_code == 200
    text = html.unescape(page.content.decode())
    assert "govuk-error-summary" in text and "govuk-error-message" in text
    assert "2 places are already taken: the event cannot have fewer than 2 places." in text
    event.refresh_from_db()
    assert (event.capacity, event.version) == (3, 1)
    assert AuditEvent.objects.count() == audits


def test_held_places_above_a_lowered_number_move_down(cast: Cast, clock: Clock) -> None:
    event = event_of(cast, clock, capacity=5)
    dave, erin, ivan = cast.dave, cast.erin, *providers(cast, "ivan")
    book_in_order(event, clock, [dave, erin, ivan])
    services.booking_cancel(actor=erin, booking=Booking.objects.get(event=event, person=erin))
    assert places(event) == [("dave", 1), ("ivan", 3)]

    services.event_change(actor=cast.alice, event=event, version=1, title="Bidding skills", capacity=2)

    # Place 3 no longer exists; Ivan takes the free place 2.
    assert places(event) == [("dave", 1), ("ivan", 2)]
    with pytest.raises(ValidationError, match="2 places are already taken"):
        services.event_change(actor=cast.alice, event=event, version=2, title="Bidding skills", capacity=1)


def test_only_those_who_manage_the_event_change_or_cancel_it(cast: Cast, clock: Clock) -> None:
    event = event_of(cast, clock, capacity=5)
    with pytest.raises(PermissionDenied):
        services.event_change(actor=cast.dave, event=event, version=1, title="Mine now", capacity=5)
    with pytest.raises(PermissionDenied):
        services.event_cancel(actor=cast.dave, event=event, version=1, reason="Because")
    assert Event.objects.get(pk=event.pk).version == 1


def test_a_cancelled_event_stays_listed_marked_closed_and_everyone_is_told(
    cast: Cast, client_for: ClientFor, clock: Clock
) -> None:
    event = event_of(cast, clock, capacity=1, announced=True)
    book_in_order(event, clock, [cast.dave, cast.erin])  # Dave holds the place, Erin waits
    assert bulletins.published_item(str(event.pk)) is not None
    alice = client_for(cast.alice)
    assert "Cancel the event" in alice.get(f"/capacity/events/{event.pk}/").content.decode()
    audits = AuditEvent.objects.count()

    done = alice.post(
        f"/capacity/events/{event.pk}/cancel-event/", {"version": "1", "reason": "The trainer is ill."}, follow=True
    )

    assert "Event cancelled. 2 people were told." in html.unescape(done.content.decode())
    assert AuditEvent.objects.count() == audits + 1
    told = Notification.objects.filter(kind="event_cancelled").order_by("recipient__username")
    assert [(n.recipient.username, n.subject) for n in told] == [
        ("dave", "Cancelled: Bidding skills"),
        ("erin", "Cancelled: Bidding skills"),
    ]
    assert all("The reason given: The trainer is ill." in n.body for n in told)
    # It leaves the bulletin, and nobody can book it any more.
    assert bulletins.published_item(str(event.pk)) is None
    frank = client_for(cast.frank)
    page = html.unescape(frank.get(f"/capacity/events/{event.pk}/").content.decode())
    assert "Cancelled" in page and "The trainer is ill." in page
    assert "Book a place" not in page and "Join the waiting list" not in page
    refused = html.unescape(frank.post(f"/capacity/events/{event.pk}/book/", follow=True).content.decode())
    assert "Booking for this event has closed: it was cancelled." in refused
    assert not Booking.objects.filter(event=event, person=cast.frank).exists()
    assert "Cancelled" in frank.get("/capacity/").content.decode()
    # Nor changed, nor cancelled twice.
    assert alice.get(f"/capacity/events/{event.pk}/change/").status_code == 404
    with pytest.raises(ValidationError, match="already cancelled"):
        services.event_cancel(actor=cast.alice, event=event, version=2, reason="Again")


def test_a_cancellation_needs_a_reason(cast: Cast, client_for: ClientFor, clock: Clock) -> None:
    event = event_of(cast, clock, capacity=5)
    page = client_for(cast.alice).post(f"/capacity/events/{event.pk}/cancel-event/", {"version": "1", "reason": ""})
    assert page.status_code == 200 and b"govuk-error-summary" in page.content
    event.refresh_from_db()
    assert event.cancelled_at is None


def test_a_sessions_date_and_place_are_changed_on_the_page(cast: Cast, client_for: ClientFor, clock: Clock) -> None:
    event = event_of(cast, clock, capacity=3)
    first = event.sessions.get()
    second = SessionFactory.create(event=event, date=clock.today() + datetime.timedelta(days=40), place="York")
    moved_to = clock.today() + datetime.timedelta(days=12)

    done = client_for(cast.alice).post(
        f"/capacity/events/{event.pk}/change/",
        {
            "version": "1",
            "title": "Bidding skills",
            "capacity": "3",
            f"session_{first.pk}_date": f"{moved_to:%d/%m/%Y}",
            f"session_{first.pk}_place": "Wakefield",
            f"session_{second.pk}_date": f"{second.date:%d/%m/%Y}",
            f"session_{second.pk}_place": "York",
        },
    )

    assert done.status_code == 302, done.content.decode()[:2000]
    assert [(s.date, s.place) for s in event.sessions.order_by("date")] == [
        (moved_to, "Wakefield"),
        (second.date, "York"),
    ]
    audit = AuditEvent.objects.latest("pk")
    assert audit.action == "event_change" and audit.after is not None and audit.before is not None
    assert audit.after["sessions"] == [f"{moved_to.isoformat()} Wakefield", f"{second.date.isoformat()} York"]
    assert audit.before["sessions"][0].endswith(" Leeds")


def test_a_session_of_another_event_is_refused(cast: Cast, clock: Clock) -> None:
    event, other = event_of(cast, clock, capacity=3), event_of(cast, clock, capacity=3)
    stranger = other.sessions.get()
    with pytest.raises(ValidationError, match="not of this event"):
        services.event_change(
            actor=cast.alice,
            event=event,
            version=1,
            title="Bidding skills",
            capacity=3,
            sessions={stranger.pk: (clock.today(), "Hull")},
        )
    assert other.sessions.get().place == "Leeds"


def test_a_cancelled_event_asks_nobody_to_record_who_came(cast: Cast, clock: Clock) -> None:
    held, called_off = (
        EventFactory.create(region=cast.region, organiser=cast.alice, capacity=5, title=title)
        for title in ("Held", "Called off")
    )
    for event in (held, called_off):
        SessionFactory.create(event=event, date=clock.today() - datetime.timedelta(days=1))
    services.event_cancel(actor=cast.alice, event=called_off, version=1, reason="Snow")

    assert [item.text for item in todo.attendance_to_record(cast.alice, clock.now)] == ["Record who came to Held"]
