"""Booking a place on an event: a place while there is one, the waiting list after, the first in
line promoted when a place frees, and the last place never given twice."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from stepchange.accounts.models import Role, User
from stepchange.capacity import services
from stepchange.capacity.models import Booking, Event
from stepchange.core.models import AuditEvent
from tests.factories import Clock, EventFactory, SessionFactory, UserFactory
from tests.personas import Cast

pytestmark = pytest.mark.django_db

MEETING = datetime.date(2006, 7, 20)


def small_event(cast: Cast, capacity: int = 2) -> Event:
    event = EventFactory.create(region=cast.region, organiser=cast.alice, capacity=capacity, title="Bidding skills")
    SessionFactory.create(event=event, date=MEETING)
    return event


def provider(cast: Cast, name: str) -> User:
    return UserFactory.create(username=name, role=Role.PROVIDER, organisation=cast.charity)


def test_places_then_waiting_list_in_order(cast: Cast, clock: Clock) -> None:
    event = small_event(cast)
    dave = services.booking_make(actor=cast.dave, event=event)
    erin = services.booking_make(actor=cast.erin, event=event)
    ivan = services.booking_make(actor=provider(cast, "ivan"), event=event)
    judy = services.booking_make(actor=provider(cast, "judy"), event=event)
    assert (dave.place, erin.place, ivan.place, judy.place) == (1, 2, None, None)
    assert dave.organisation == cast.charity and erin.organisation == cast.company
    assert AuditEvent.objects.filter(action="booking_make").count() == 4


def test_a_freed_place_goes_to_the_first_waiting(cast: Cast, clock: Clock) -> None:
    event = small_event(cast)
    dave = services.booking_make(actor=cast.dave, event=event)
    services.booking_make(actor=cast.erin, event=event)
    ivan_user, judy_user = provider(cast, "ivan"), provider(cast, "judy")
    ivan = services.booking_make(actor=ivan_user, event=event)
    clock.set(datetime.date(2006, 7, 4))
    judy = services.booking_make(actor=judy_user, event=event)

    promoted = services.booking_cancel(actor=cast.dave, booking=dave)

    assert promoted is not None and promoted.pk == ivan.pk
    ivan.refresh_from_db()
    judy.refresh_from_db()
    dave.refresh_from_db()
    assert ivan.place == 1 and ivan.placed_at == clock.now
    assert judy.place is None
    assert dave.cancelled_at == clock.now and dave.place is None
    event_audit = AuditEvent.objects.get(action="booking_cancel")
    assert event_audit.after is not None and event_audit.after["place_given_to"]["person"] == str(ivan_user)


def test_cancelling_a_waiting_booking_promotes_nobody(cast: Cast, clock: Clock) -> None:
    event = small_event(cast, capacity=1)
    services.booking_make(actor=cast.dave, event=event)
    waiting = services.booking_make(actor=cast.erin, event=event)
    assert services.booking_cancel(actor=cast.erin, booking=waiting) is None
    assert Booking.objects.filter(event=event, cancelled_at__isnull=True, place__isnull=False).count() == 1


def test_one_booking_a_person_and_only_ones_own_cancelled(cast: Cast, clock: Clock) -> None:
    event = small_event(cast)
    booking = services.booking_make(actor=cast.dave, event=event)
    with pytest.raises(ValidationError):
        services.booking_make(actor=cast.dave, event=event)
    with pytest.raises(PermissionDenied):
        services.booking_cancel(actor=cast.erin, booking=booking)


def test_no_booking_after_the_last_day_nor_from_another_region(cast: Cast, clock: Clock) -> None:
    event = small_event(cast)
    elsewhere = EventFactory.create(region=cast.other_region)
    SessionFactory.create(event=elsewhere, date=MEETING)
    with pytest.raises(PermissionDenied):
        services.booking_make(actor=cast.dave, event=elsewhere)
    clock.set(MEETING + datetime.timedelta(days=1))
    with pytest.raises(PermissionDenied):
        services.booking_make(actor=cast.dave, event=event)


def test_the_database_refuses_two_holders_of_one_place(cast: Cast, clock: Clock) -> None:
    event = small_event(cast, capacity=1)
    Booking.objects.create(event=event, person=cast.dave, place=1, booked_at=clock.now)
    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.create(event=event, person=cast.erin, place=1, booked_at=clock.now)


def test_a_place_taken_between_look_and_write_puts_the_booker_on_the_list(
    cast: Cast, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The race, played out in order: Erin's booking sees place 1 free, Dave takes it before Erin
    writes, and Erin's write is refused by the database and becomes a place on the waiting list."""
    event = small_event(cast, capacity=1)
    looked = services._free_place

    def dave_gets_in_first(of: Event) -> int | None:
        free = looked(of)
        monkeypatch.setattr(services, "_free_place", looked)
        Booking.objects.create(event=of, person=cast.dave, place=1, placed_at=clock.now, booked_at=clock.now)
        return free

    monkeypatch.setattr(services, "_free_place", dave_gets_in_first)
    erin = services.booking_make(actor=cast.erin, event=event)
    assert erin.place is None
    held = Booking.objects.filter(event=event, place__isnull=False)
    assert [b.person for b in held] == [cast.dave]
