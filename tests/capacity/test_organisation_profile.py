"""An organisation's profile shows the capacity building its people came to: each event, its kind,
the days they came and how many of them, to its own people and whoever works in its region; the
event links to its page only for those who may open it; nobody else sees the section."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from stepchange.accounts.models import Role, User
from stepchange.capacity import access
from stepchange.capacity.models import EventKind
from stepchange.organisations.models import Organisation
from tests.factories import AttendanceFactory, EventFactory, OrganisationFactory, SessionFactory, UserFactory
from tests.fixture_types import ClientFor
from tests.personas import Cast

pytestmark = pytest.mark.django_db

TITLE = "Capacity building attended"


@pytest.fixture
def attended(cast: Cast) -> dict[str, int]:
    """Acorn's people at a two-meeting action learning set of Yorkshire and Humberside (Dave at both,
    a guest without an account at the second: 2 people) and at a North East conference (1 person)."""
    alset = EventFactory.create(
        region=cast.region, kind=EventKind.ACTION_LEARNING_SET, title="CRISP action learning set", organiser=cast.alice
    )
    first = SessionFactory.create(event=alset, date=datetime.date(2006, 7, 13))
    second = SessionFactory.create(event=alset, date=datetime.date(2006, 8, 10))
    AttendanceFactory.create(session=first, person=cast.dave, name="Dave", organisation=cast.charity)
    AttendanceFactory.create(session=second, person=cast.dave, name="Dave", organisation=cast.charity)
    AttendanceFactory.create(session=second, name="Sam Guest", organisation=cast.charity)
    # Someone of another organisation at the same set does not count for Acorn.
    AttendanceFactory.create(session=first, person=cast.erin, name="Erin", organisation=cast.company)
    conference = EventFactory.create(region=cast.other_region, kind=EventKind.CONFERENCE, title="North East Summit")
    AttendanceFactory.create(
        session=SessionFactory.create(event=conference, date=datetime.date(2006, 6, 1)), organisation=cast.charity
    )
    return {"alset": alset.pk, "conference": conference.pk}


def _profile(client_for: ClientFor, user: User | None, organisation: Organisation) -> str:
    response = client_for(user).get(reverse("organisations:detail", args=[organisation.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_someone_of_the_region_sees_each_event_once_with_its_days_and_people(
    cast: Cast, attended: dict[str, int], client_for: ClientFor
) -> None:
    for viewer in (cast.alice, cast.dave, cast.erin, cast.root):
        page = _profile(client_for, viewer, cast.charity)
        assert TITLE in page
        # Ordered by the first day they came: the North East conference (1 June) first.
        assert page.index("North East Summit") < page.index("CRISP action learning set")
        assert "Conference, attended on 1 June 2006, 1 person" in page
        assert "Action learning set, attended on 13 July 2006 and 10 August 2006, 2 people" in page
    alset_link = f'href="{reverse("capacity:event", args=[attended["alset"]])}"'
    conference_link = f'href="{reverse("capacity:event", args=[attended["conference"]])}"'
    # Alice sees Yorkshire and Humberside's events, not the North East's: its title is not a link.
    alice = _profile(client_for, cast.alice, cast.charity)
    assert alset_link in alice and conference_link not in alice
    # A superuser opens every region's events.
    root = _profile(client_for, cast.root, cast.charity)
    assert alset_link in root and conference_link in root


def test_nobody_outside_the_region_nor_signed_out_sees_it(
    cast: Cast, attended: dict[str, int], client_for: ClientFor
) -> None:
    north_east = UserFactory.create(
        role=Role.PROVIDER, organisation=OrganisationFactory.create(region=cast.other_region)
    )
    for viewer in (north_east, None):
        page = _profile(client_for, viewer, cast.charity)
        assert "Acorn Housing Trust" in page
        assert TITLE not in page
        assert "CRISP action learning set" not in page and "North East Summit" not in page
    assert not access.may_see_capacity_building_of(north_east, cast.charity)
    # Acorn's own people see it wherever the organisation sits.
    assert access.may_see_capacity_building_of(cast.dave, cast.charity)


def test_an_organisation_nobody_came_from_says_so(cast: Cast, attended: dict[str, int], client_for: ClientFor) -> None:
    quiet = OrganisationFactory.create(name="Quiet Trust", region=cast.region)
    page = _profile(client_for, cast.alice, quiet)
    assert TITLE in page
    assert "Nobody from this organisation has been recorded at a capacity-building event." in page
    assert "CRISP action learning set" not in page
