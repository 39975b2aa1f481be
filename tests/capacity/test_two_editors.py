"""Two people change the same capacity-building record from pages opened together.

A needs assessment: two people of one organisation fill its form; the first save stands, the
second is refused with the stale-edit message and leaves no audit event (whether the first made
the year's assessment or changed it).

An event: its organiser and a regional commissioner change it (or one changes it and the other
cancels it) from pages opened together; the first save stands, the second is refused with the
stale-edit message and leaves no audit event. Two people pressing "Book a place" on its last place from pages opened together: the first holds
it, the second is told they wait. Two organisers recording the same person's attendance from
pages opened together: the person is recorded once, and the second organiser is told why.
"""

from __future__ import annotations

import datetime
import html
import re
from typing import Any
from unittest import mock

import pytest

from stepchange.accounts.models import Role
from stepchange.capacity import services
from stepchange.capacity.models import Attendance, Booking, NeedAnswer, NeedsAssessment
from stepchange.core.concurrency import AlreadyDone, StaleEdit
from stepchange.core.models import AuditEvent
from tests.factories import Clock, EventFactory, SessionFactory, persona, year_0607
from tests.fixture_types import ClientFor
from tests.personas import Cast

pytestmark = pytest.mark.django_db

THEMES = ("bidding", "governance", "finance", "partnership", "monitoring")
HIDDEN_VERSION = re.compile(r'<input[^>]*name="version"[^>]*value="(\d+)"|<input[^>]*value="(\d+)"[^>]*name="version"')
NEEDS = "/capacity/needs/"


def version_on(page: Any) -> str:
    assert page.status_code == 200
    found = HIDDEN_VERSION.search(page.content.decode())
    assert found, "the page carries no version"
    return found.group(1) or found.group(2)


def needs_form(version: str, level: int, note: str) -> dict[str, str]:
    data = {"version": version}
    for theme in THEMES:
        data[f"{theme}_level"] = str(level)
        data[f"{theme}_note"] = note
    return data


@pytest.mark.parametrize("already_assessed", [False, True], ids=["first assessment", "changed assessment"])
def test_the_second_of_two_colleagues_saving_the_needs_form_is_refused(
    cast: Cast, client_for: ClientFor, clock: Clock, already_assessed: bool
) -> None:
    dora = persona("dora", Role.PROVIDER, organisation=cast.charity)
    if already_assessed:
        services.needs_assessment_save(
            actor=cast.dave, year=year_0607(), answers={theme: (1, "") for theme in THEMES}, version=None
        )
    dave, colleague = client_for(cast.dave), client_for(dora)
    daves_version, doras_version = version_on(dave.get(NEEDS)), version_on(colleague.get(NEEDS))
    assert daves_version == doras_version == ("1" if already_assessed else "0")

    saved = dave.post(NEEDS, needs_form(daves_version, 3, "Dave's words"))
    events = AuditEvent.objects.count()
    refused = colleague.post(NEEDS, needs_form(doras_version, 4, "Dora's words"))

    assert saved.status_code == 302, saved.content.decode()[:2000]
    assert refused.status_code == 200
    assert StaleEdit.message in refused.content.decode()
    assert b"govuk-error-summary" in refused.content
    assessment = NeedsAssessment.objects.get(organisation=cast.charity)
    assert assessment.submitted_by == cast.dave
    assert assessment.version == (2 if already_assessed else 1)
    assert set(NeedAnswer.objects.filter(assessment=assessment).values_list("level", "note")) == {(3, "Dave's words")}
    assert AuditEvent.objects.count() == events


def test_the_last_place_booked_from_two_pages_opened_together_goes_to_the_first(
    cast: Cast, client_for: ClientFor, clock: Clock
) -> None:
    event = EventFactory.create(region=cast.region, organiser=cast.alice, capacity=1, title="Bidding for contracts")
    SessionFactory.create(event=event, date=clock.today() + datetime.timedelta(days=10))
    url = f"/capacity/events/{event.pk}/"
    dave, erin = client_for(cast.dave), client_for(cast.erin)
    for page in (dave.get(url), erin.get(url)):
        assert "1 (1 free)" in page.content.decode() and "Book a place" in page.content.decode()

    first = dave.post(f"{url}book/", follow=True)
    second = erin.post(f"{url}book/", follow=True)

    assert "You have a place at this event." in first.content.decode()
    assert "you are on the waiting list" in second.content.decode()
    held = Booking.objects.filter(event=event, cancelled_at__isnull=True).order_by("booked_at", "id")
    assert [(b.person.username, b.place) for b in held] == [("dave", 1), ("erin", None)]


def test_two_organisers_recording_the_same_person_at_once_record_them_once(
    cast: Cast, client_for: ClientFor, clock: Clock
) -> None:
    event = EventFactory.create(region=cast.region, organiser=cast.alice, capacity=5, title="Bidding for contracts")
    session = SessionFactory.create(event=event, date=clock.today())
    booking = services.booking_make(actor=cast.dave, event=event, now=clock.now - datetime.timedelta(days=3))
    url = f"/capacity/sessions/{session.pk}/attendance/"
    alice, root = client_for(cast.alice), client_for(cast.root)
    for page in (alice.get(url), root.get(url)):
        assert page.status_code == 200 and "Dave" in page.content.decode()

    saved = alice.post(url, {"booked": [str(booking.pk)]})
    events = AuditEvent.objects.count()
    refused = root.post(url, {"booked": [str(booking.pk)]}, follow=True)

    assert saved.status_code == 302, saved.content.decode()[:2000]
    assert refused.redirect_chain == [(f"/capacity/events/{event.pk}/", 302)]
    told = html.unescape(refused.content.decode())
    # 10:00 UTC on the clock is 11:00 in London in July.
    assert "Alice recorded Dave as having come at 11:00; nobody is recorded twice." in told
    assert Attendance.objects.filter(session=session, person=cast.dave).count() == 1
    assert Attendance.objects.get(session=session).recorded_by == cast.alice
    assert AuditEvent.objects.count() == events


def test_the_second_organiser_records_whoever_the_first_had_not(
    cast: Cast, client_for: ClientFor, clock: Clock
) -> None:
    event = EventFactory.create(region=cast.region, organiser=cast.alice, capacity=5, title="Bidding for contracts")
    session = SessionFactory.create(event=event, date=clock.today())
    booked_earlier = clock.now - datetime.timedelta(days=3)
    daves = services.booking_make(actor=cast.dave, event=event, now=booked_earlier)
    erins = services.booking_make(actor=cast.erin, event=event, now=booked_earlier)
    url = f"/capacity/sessions/{session.pk}/attendance/"
    alice, root = client_for(cast.alice), client_for(cast.root)
    for page in (alice.get(url), root.get(url)):
        assert page.content.decode().count('name="booked"') == 2  # Dave and Erin to tick

    assert alice.post(url, {"booked": [str(daves.pk)]}).status_code == 302
    both = root.post(url, {"booked": [str(daves.pk), str(erins.pk)]}, follow=True)

    assert "Attendance recorded: 1 person." in both.content.decode()
    recorded = Attendance.objects.filter(session=session).order_by("name")
    assert [(a.name, a.recorded_by.username) for a in recorded] == [("Dave", "alice"), ("Erin", "root")]
    assert 'name="booked"' not in alice.get(url).content.decode()  # nobody who booked is left to tick


def test_two_recordings_at_the_same_moment_the_constraint_refuses_the_second_and_says_who(
    cast: Cast, clock: Clock
) -> None:
    """Both organisers' requests look before either writes: the look finds nobody, and the
    database's one attendance a session for a person refuses the second write."""
    event = EventFactory.create(region=cast.region, organiser=cast.alice, capacity=5)
    session = SessionFactory.create(event=event, date=clock.today())
    booking = services.booking_make(actor=cast.dave, event=event, now=clock.now - datetime.timedelta(days=3))
    services.attendance_record(actor=cast.alice, session=session, bookings=[booking])
    events = AuditEvent.objects.count()
    looked = services._recorded_already
    with (
        mock.patch.object(services, "_recorded_already", side_effect=[None, looked(session, cast.dave.pk)]),
        pytest.raises(
            AlreadyDone, match=re.escape("Alice recorded Dave as having come at 11:00; nobody is recorded twice.")
        ),
    ):
        services.attendance_record(actor=cast.root, session=session, bookings=[booking])
    assert Attendance.objects.get(session=session).recorded_by == cast.alice
    assert AuditEvent.objects.count() == events


def event_form(version: str, title: str, capacity: int, session: Any) -> dict[str, str]:
    return {
        "version": version,
        "title": title,
        "run_by": "CRISP",
        "description": "",
        "capacity": str(capacity),
        f"session_{session.pk}_date": f"{session.date:%d/%m/%Y}",
        f"session_{session.pk}_place": "Leeds",
    }


@pytest.mark.parametrize("second", ["change", "cancel"])
def test_the_second_of_two_people_changing_the_same_event_is_refused(
    cast: Cast, client_for: ClientFor, clock: Clock, second: str
) -> None:
    # Alice organises it; Root, who manages every event, opens the same page at the same time.
    event = EventFactory.create(region=cast.region, organiser=cast.alice, capacity=10, title="Bidding for contracts")
    session = SessionFactory.create(event=event, date=clock.today() + datetime.timedelta(days=10))
    change = f"/capacity/events/{event.pk}/change/"
    other = change if second == "change" else f"/capacity/events/{event.pk}/cancel-event/"
    alice, root = client_for(cast.alice), client_for(cast.root)
    alices_version, roots_version = version_on(alice.get(change)), version_on(root.get(other))
    assert alices_version == roots_version == "1"

    saved = alice.post(change, event_form(alices_version, "Bidding well", 12, session))
    events = AuditEvent.objects.count()
    if second == "change":
        refused = root.post(change, event_form(roots_version, "Bidding badly", 8, session))
    else:
        refused = root.post(other, {"version": roots_version, "reason": "Nobody booked."})

    assert saved.status_code == 302, saved.content.decode()[:2000]
    assert refused.status_code == 200
    assert StaleEdit.message in refused.content.decode()
    assert b"govuk-error-summary" in refused.content
    event.refresh_from_db()
    assert (event.title, event.capacity, event.version, event.cancelled_at) == ("Bidding well", 12, 2, None)
    assert AuditEvent.objects.count() == events
