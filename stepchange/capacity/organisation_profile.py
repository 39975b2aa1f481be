"""The capacity building an organisation's people came to, on its profile: each event with its
kind, the days they came and how many of them came; only to those ``may_see_capacity_building_of``
lets see it (nothing of its needs assessment)."""

from __future__ import annotations

import datetime
from typing import Any

from django.urls import reverse

from stepchange.capacity.access import events_visible_to, may_see_capacity_building_of
from stepchange.capacity.models import Attendance, Event
from stepchange.organisations.profile_sections import Row, Section


def _days(dates: list[datetime.date]) -> str:
    words = [f"{d:%-d %B %Y}" for d in sorted(dates)]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _attended(user: Any, organisation: Any) -> list[Row]:
    """One row an event: its people counted once across its sessions (someone without an account
    told apart by name, as the event page counts them)."""
    dates: dict[int, set[datetime.date]] = {}
    people: dict[int, set[object]] = {}
    for attendance in Attendance.objects.filter(organisation=organisation).select_related("session"):
        event_id = attendance.session.event_id
        dates.setdefault(event_id, set()).add(attendance.session.date)
        people.setdefault(event_id, set()).add(attendance.person_id or attendance.name)
    events = Event.objects.filter(pk__in=dates).order_by("title", "pk")
    openable = set(events_visible_to(user).filter(pk__in=dates).values_list("pk", flat=True))
    rows = []
    for event in sorted(events, key=lambda e: (min(dates[e.pk]), e.title, e.pk)):
        came = len(people[event.pk])
        rows.append(
            Row(
                event.title,
                reverse("capacity:event", args=[event.pk]) if event.pk in openable else "",
                f"{event.get_kind_display()}, attended on {_days(list(dates[event.pk]))}, "
                f"{came} {'person' if came == 1 else 'people'}",
            )
        )
    return rows


SECTIONS = [
    Section(
        40,
        "Capacity building attended",
        "Nobody from this organisation has been recorded at a capacity-building event.",
        _attended,
        shown=may_see_capacity_building_of,
    )
]
