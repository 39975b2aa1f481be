"""Who may see and do what in capacity building: the only place that decides it.

- a provider (``may_fill_needs``): fills its own organisation's needs assessment, one a year, and
  reads its own; nobody else's;
- the regional team (a regional commissioner, ``may_read_needs_summary``): reads the needs of the
  organisations of its region, added up by theme, pathway and size band, never one organisation's
  answers by name;
- everyone signed in who works in a region (their own, their commissioner's or their
  organisation's): sees the region's events (``events_visible_to``) and books a place for
  themselves while the event has not ended (``may_book``); cancels their own booking;
- a regional commissioner or an infrastructure body of the region (``may_organise_events``): sets
  up events; the event's organiser and the region's commissioners (``may_manage_event``) see who
  booked and who waits, record attendance, change the event (its title, description, who runs it,
  its places) and cancel it;
- someone recorded as having come to an event (``may_evaluate``): fills its evaluation once, from
  its first day on; the organiser (``may_manage_event``) reads the summary;
- the capacity building an organisation's people came to, on its profile
  (``may_see_capacity_building_of``): whoever works in the organisation's region, and its own
  people; never anyone signed out, and never its needs assessment.

A superuser reads every region's events and needs, and manages every event; setting one up is
for someone who works in the region it belongs to.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from stepchange.capacity.models import Attendance, Booking, Event, NeedsAssessment
from stepchange.core import access
from stepchange.core.roles import Role

# The region a person works in: core's one rule (their own or their commissioner's, else their
# organisation's).
region_of = access.region_worked_in


def may_use_capacity_building(user: Any) -> bool:
    """Whether the navigation offers capacity building: to whoever works in a region, and a superuser."""
    return access.is_superuser(user) or region_of(user) is not None


def may_fill_needs(user: Any) -> bool:
    return access.has_role(user, Role.PROVIDER) and access.own_organisation_id(user) is not None


def may_read_needs_summary(user: Any) -> bool:
    return access.is_superuser(user) or (access.is_regional_commissioner(user) and region_of(user) is not None)


def needs_assessments_visible_to(user: Any) -> QuerySet[NeedsAssessment]:
    """The assessments a person may read: their organisation's (a provider); those of their region's
    organisations (the regional team, for the summary); every one (a superuser)."""
    if access.is_superuser(user):
        return NeedsAssessment.objects.all()
    region_id = region_of(user)
    if may_read_needs_summary(user) and region_id is not None:
        return NeedsAssessment.objects.filter(organisation__region_id=region_id)
    organisation_id = access.own_organisation_id(user)
    if may_fill_needs(user) and organisation_id is not None:
        return NeedsAssessment.objects.filter(organisation_id=organisation_id)
    return NeedsAssessment.objects.none()


def events_visible_to(user: Any) -> QuerySet[Event]:
    if access.is_superuser(user):
        return Event.objects.all()
    region_id = region_of(user)
    if region_id is None:
        return Event.objects.none()
    return Event.objects.filter(region_id=region_id)


def may_organise_events(user: Any) -> bool:
    """An event belongs to a region, so only someone who works in one sets one up (a superuser too)."""
    return access.has_role(user, Role.REGIONAL_COMMISSIONER, Role.INFRASTRUCTURE) and region_of(user) is not None


def may_organise_events_in(user: Any, region_id: int) -> bool:
    """Whether this person sets up an event of that region: an organiser of their own region only
    (a superuser of any)."""
    if not may_organise_events(user):
        return False
    return access.is_superuser(user) or region_of(user) == region_id


def may_manage_event(user: Any, event: Event) -> bool:
    """The organiser, and the regional commissioners of the event's region."""
    if access.is_superuser(user):
        return True
    if not access.is_signed_in(user):
        return False
    if event.organiser_id == user.pk:
        return True
    return access.is_regional_commissioner(user) and region_of(user) == event.region_id


def last_day(event: Event) -> datetime.date | None:
    return max((s.date for s in event.sessions.all()), default=None)


def first_day(event: Event) -> datetime.date | None:
    return min((s.date for s in event.sessions.all()), default=None)


def may_book(user: Any, event: Event, today: datetime.date | None = None) -> bool:
    """Anyone who sees the event, until its last day has passed, unless it was cancelled."""
    end = last_day(event)
    today = today or timezone.localdate()
    return (
        event.cancelled_at is None
        and access.is_signed_in(user)
        and events_visible_to(user).filter(pk=event.pk).exists()
        and end is not None
        and today <= end
    )


def bookings_of(user: Any) -> QuerySet[Booking]:
    """A person's own bookings: the only ones they may cancel."""
    if not access.is_signed_in(user):
        return Booking.objects.none()
    return Booking.objects.filter(person=user)


def attended(user: Any, event: Event) -> bool:
    return access.is_signed_in(user) and Attendance.objects.filter(session__event=event, person_id=user.pk).exists()


def may_evaluate(user: Any, event: Event, today: datetime.date | None = None) -> bool:
    """Who came, from the event's first day on."""
    start = first_day(event)
    today = today or timezone.localdate()
    return start is not None and start <= today and attended(user, event)


def may_see_capacity_building_of(user: Any, organisation: Any) -> bool:
    """The events an organisation's people came to (titles, kinds, dates and how many), on its
    profile: to its own people and whoever works in its region (who see the region's events), and a
    superuser. Who came by name stays the organiser's (``may_manage_event``)."""
    if not access.is_signed_in(user):
        return False
    if access.is_superuser(user) or access.own_organisation_id(user) == organisation.pk:
        return True
    return organisation.region_id is not None and region_of(user) == organisation.region_id
