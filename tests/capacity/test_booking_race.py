"""Many people press "Book a place" on the last place at once: exactly one gets it, every other
waits. Real threads through the service, each with its own database connection (on SQLite the
test database refuses a second writer, so there they take turns once released)."""

from __future__ import annotations

import datetime
import threading
import time

import pytest
from django.db import connection

from stepchange.accounts.models import Role, User
from stepchange.capacity import services
from stepchange.capacity.models import Booking
from tests.factories import EventFactory, SessionFactory, UserFactory
from tests.personas import Cast, build_cast

pytestmark = pytest.mark.django_db(transaction=True)

PEOPLE = 8


@pytest.fixture
def cast(transactional_db: None) -> Cast:
    return build_cast()


def test_the_last_place_goes_to_exactly_one(cast: Cast) -> None:
    today = datetime.date.today()
    event = EventFactory.create(region=cast.region, organiser=cast.alice, capacity=1)
    SessionFactory.create(event=event, date=today + datetime.timedelta(days=30))
    people: list[User] = [
        UserFactory.create(username=f"booker{n}", role=Role.PROVIDER, organisation=cast.charity) for n in range(PEOPLE)
    ]
    barrier = threading.Barrier(PEOPLE)
    errors: list[BaseException] = []

    def press(person: User) -> None:
        try:
            barrier.wait()
            # SQLite answers "database is locked" at once to a second writer; it tries again until
            # it gets its turn (a loaded machine can take many turns), within two minutes.
            give_up = time.monotonic() + 120
            while time.monotonic() < give_up:
                try:
                    services.booking_make(actor=person, event=event)
                    return
                except Exception as exc:
                    if "locked" not in str(exc):
                        raise
                time.sleep(0.01)
            raise AssertionError("never got to book")
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=press, args=(p,)) for p in people]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert errors == []
    bookings = Booking.objects.filter(event=event, cancelled_at__isnull=True)
    assert bookings.count() == PEOPLE
    assert bookings.filter(place__isnull=False).count() == 1
    assert bookings.filter(place__isnull=True).count() == PEOPLE - 1
