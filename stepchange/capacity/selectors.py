"""Every read of capacity building a page needs, already scoped by ``access``.

The needs summary counts organisations, never names them: for each theme, how many assessed
organisations put themselves at each level; and, by pathway served and by size band, how many
have a clear or urgent need (level 3 or 4) in each theme. An organisation serving two pathways
counts once under each, as the contract profile counts a contract on two pathways.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from stepchange.capacity import access
from stepchange.capacity.models import (
    Attendance,
    Booking,
    Evaluation,
    Event,
    NeedAnswer,
    NeedLevel,
    NeedsAssessment,
    Theme,
)
from stepchange.core.models import FinancialYear, Pathway
from stepchange.core.money import round_half_up
from stepchange.organisations.models import Organisation, Sector, SizeBand

# A clear or urgent need: what the by-pathway and by-size tables count.
HIGH_NEED = (NeedLevel.CLEAR, NeedLevel.URGENT)
NO_SIZE = "Size not given"


@dataclass
class NeedsSummary:
    year: FinancialYear
    assessed: int
    # theme label -> counts at levels 1..4, in order
    by_theme: list[tuple[str, list[int]]]
    # (pathway or size band label, assessed organisations in it, counts of high need per theme in Theme order)
    by_pathway: list[tuple[str, int, list[int]]]
    by_size: list[tuple[str, int, list[int]]]
    themes: list[str] = field(default_factory=lambda: [t.label for t in Theme])


def needs_summary(user: Any, *, region_id: int | None, year: FinancialYear) -> NeedsSummary:
    assessments = access.needs_assessments_visible_to(user).filter(year=year)
    if region_id is not None:
        assessments = assessments.filter(organisation__region_id=region_id)
    answers = list(
        NeedAnswer.objects.filter(assessment__in=assessments).values_list(
            "assessment__organisation_id", "theme", "level"
        )
    )
    organisation_ids = {org for org, _, _ in answers}
    level_counts = Counter((theme, level) for _, theme, level in answers)
    high = {(org, theme) for org, theme, level in answers if level in HIGH_NEED}
    by_theme = [(t.label, [level_counts[(t.value, level)] for level in NeedLevel.values]) for t in Theme]

    def row(label: str, orgs: set[int]) -> tuple[str, int, list[int]]:
        return (label, len(orgs), [sum(1 for org in orgs if (org, t.value) in high) for t in Theme])

    served: dict[int, set[int]] = {}
    through = Organisation.pathways_served.through
    for org_id, pathway_id in through.objects.filter(organisation_id__in=organisation_ids).values_list(
        "organisation_id", "pathway_id"
    ):
        served.setdefault(pathway_id, set()).add(org_id)
    by_pathway = [row(p.name, served.get(p.pk, set())) for p in Pathway.objects.order_by("order")]
    sizes = dict(Organisation.objects.filter(pk__in=organisation_ids).values_list("pk", "size_band"))
    by_size = [row(str(band.label), {o for o, b in sizes.items() if b == band.value}) for band in SizeBand]
    unsized = {o for o, b in sizes.items() if not b}
    if unsized:
        by_size.append(row(NO_SIZE, unsized))
    return NeedsSummary(
        year=year, assessed=len(organisation_ids), by_theme=by_theme, by_pathway=by_pathway, by_size=by_size
    )


def own_assessment(user: Any, year: FinancialYear) -> NeedsAssessment | None:
    return (
        access.needs_assessments_visible_to(user)
        .filter(organisation_id=user.organisation_id, year=year)
        .prefetch_related("answers")
        .first()
    )


def events_for(user: Any) -> QuerySet[Event]:
    return access.events_visible_to(user).prefetch_related("sessions")


def event_dates(event: Event) -> tuple[datetime.date | None, datetime.date | None]:
    return access.first_day(event), access.last_day(event)


@dataclass
class Places:
    capacity: int
    held: list[Booking]
    waiting: list[Booking]

    @property
    def free(self) -> int:
        return self.capacity - len(self.held)


def places(event: Event) -> Places:
    active = Booking.objects.filter(event=event, cancelled_at__isnull=True).select_related("person", "organisation")
    return Places(
        capacity=event.capacity,
        held=sorted((b for b in active if b.place is not None), key=lambda b: b.place or 0),
        waiting=sorted((b for b in active if b.place is None), key=lambda b: (b.booked_at, b.pk)),
    )


def own_booking(user: Any, event: Event) -> Booking | None:
    return access.bookings_of(user).filter(event=event, cancelled_at__isnull=True).first()


def waiting_position(booking: Booking) -> int:
    """1 for the first in line."""
    return (
        Booking.objects.filter(event_id=booking.event_id, cancelled_at__isnull=True, place__isnull=True)
        .filter(booked_at__lt=booking.booked_at)
        .count()
        + Booking.objects.filter(
            event_id=booking.event_id,
            cancelled_at__isnull=True,
            place__isnull=True,
            booked_at=booking.booked_at,
            pk__lt=booking.pk,
        ).count()
        + 1
    )


SECTORS = [(Sector.PUBLIC, "Public"), (Sector.PRIVATE, "Private"), (Sector.VCS, "Voluntary and community")]


def attendance_by_sector(event: Event) -> list[tuple[str, int]]:
    """People who came to any session of the event, each once, by their sector; a person without
    an account is told apart by name and organisation."""
    people = {
        (a.person_id or f"{a.name}|{a.organisation_name}", a.sector)
        for a in Attendance.objects.filter(session__event=event)
    }
    counts = Counter(sector for _, sector in people)
    rows = [(label, counts[value]) for value, label in SECTORS]
    if counts[""]:
        rows.append(("Sector not known", counts[""]))
    return rows


def attendances(event: Event) -> QuerySet[Attendance]:
    return Attendance.objects.filter(session__event=event).select_related("session")


@dataclass
class EvaluationSummary:
    responses: int
    # rating label -> mean to two places, or None with no response
    means: list[tuple[str, Decimal | None]]
    comments: list[str]


RATINGS = (("content", "Content"), ("delivery", "Delivery"), ("usefulness", "Usefulness to your organisation"))


def evaluation_summary(event: Event) -> EvaluationSummary:
    evaluations = list(Evaluation.objects.filter(event=event))
    n = len(evaluations)
    means = [
        (label, round_half_up(Decimal(sum(getattr(e, key) for e in evaluations)) / n, 2) if n else None)
        for key, label in RATINGS
    ]
    return EvaluationSummary(responses=n, means=means, comments=[e.comments for e in evaluations if e.comments])


def events_held_in(region_id: int, start: datetime.date, end: datetime.date) -> list[Event]:
    """The region's events not cancelled whose first day fell from ``start`` to ``end`` (the
    steering group's pack counts an event in the quarter it began), in date order."""
    events = Event.objects.filter(region_id=region_id, cancelled_at__isnull=True).prefetch_related("sessions")
    held = [e for e in events if (day := event_dates(e)[0]) is not None and start <= day <= end]
    return sorted(held, key=lambda e: (event_dates(e)[0] or start, e.title))
