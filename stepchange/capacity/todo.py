"""What capacity building puts on a person's home page (collected by ``core.todo``).

For a provider's people (``access.may_fill_needs``): their organisation's needs assessment for the
current financial year, until it is filled. For whoever sets up events (``may_organise_events``):
the past sessions of the events they organise at which nobody has been recorded yet.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.urls import reverse
from django.utils import timezone

from stepchange.capacity import access
from stepchange.capacity.models import NeedsAssessment, Session
from stepchange.core.models import FinancialYear
from stepchange.core.todo import Item, ToDo


def needs_to_assess(user: Any, now: datetime.datetime) -> list[Item]:
    today = timezone.localdate(now)
    year = FinancialYear.objects.filter(start__lte=today, end__gte=today).first()
    if year is None:
        return []
    if NeedsAssessment.objects.filter(organisation_id=user.organisation_id, year=year).exists():
        return []
    return [Item(f"Say what your organisation needs for {year.name}", reverse("capacity:needs"))]


def attendance_to_record(user: Any, now: datetime.datetime) -> list[Item]:
    today = timezone.localdate(now)
    sessions = (
        Session.objects.filter(
            event__in=access.events_visible_to(user).filter(organiser_id=user.pk, cancelled_at__isnull=True),
            date__lte=today,
            attendances__isnull=True,
        )
        .select_related("event")
        .order_by("date", "pk")
    )
    return [
        Item(
            f"Record who came to {s.event.title}",
            reverse("capacity:attendance", args=[s.pk]),
            deadline=s.date,
            deadline_label="Held",
        )
        for s in sessions
    ]


TODOS = [
    ToDo(
        80,
        "needs",
        "Your organisation's needs",
        access.may_fill_needs,
        needs_to_assess,
        "Your organisation's needs for this year are recorded.",
    ),
    ToDo(
        81,
        "attendance",
        "Attendance to record",
        access.may_organise_events,
        attendance_to_record,
        "No event of yours is waiting for its attendance.",
    ),
]
