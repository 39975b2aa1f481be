"""Every write of capacity building: keyword-only, one transaction and one audit event each.

Booking is the one that must hold under a race. ``booking_make`` locks the event's row (on
PostgreSQL two bookings of one event then take turns) and takes the lowest free place; the unique
held place of a booking (``one_person_a_place``) makes the database refuse a second holder of the
same place whatever happens, and a booking refused so waits instead. ``booking_cancel`` gives the
freed place to the first person waiting, in the order they asked.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from functools import partial
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from stepchange.bulletins.services import alert_published
from stepchange.capacity import access
from stepchange.capacity.models import (
    Attendance,
    Booking,
    Evaluation,
    Event,
    NeedAnswer,
    NeedsAssessment,
    Session,
    Theme,
)
from stepchange.core.audit import audit_record, snapshot
from stepchange.core.concurrency import AlreadyDone, StaleEdit, already_done, first_wins, save_if_unchanged
from stepchange.core.models import FinancialYear, Region
from stepchange.notifications.services import notify
from stepchange.organisations.models import Organisation


def _now(now: datetime.datetime | None) -> datetime.datetime:
    return now or timezone.now()


def _answers(assessment: NeedsAssessment) -> dict[str, Any]:
    return {a.theme: {"level": a.level, "note": a.note} for a in assessment.answers.all()}


@transaction.atomic
def needs_assessment_save(
    *,
    actor: Any,
    year: FinancialYear,
    answers: Mapping[str, tuple[int, str]],
    version: int | None = None,
    now: datetime.datetime | None = None,
) -> NeedsAssessment:
    """Save the actor's organisation's needs for ``year``: a level and a note for every theme.

    ``version`` is the version the form was read at (None for a first assessment); a save over
    someone else's newer one is refused."""
    if not access.may_fill_needs(actor):
        raise PermissionDenied("Only a provider fills its organisation's needs assessment.")
    missing = [t.label for t in Theme if t.value not in answers]
    if missing:
        raise ValidationError(f"Say how much need there is for {missing[0].lower()}.")
    now = _now(now)
    assessment = (
        NeedsAssessment.objects.select_for_update().filter(organisation_id=actor.organisation_id, year=year).first()
    )
    if assessment is None:
        if version is not None:
            raise StaleEdit()
        assessment = NeedsAssessment.objects.create(
            organisation_id=actor.organisation_id, year=year, submitted_by=actor, submitted_at=now
        )
        before = None
    else:
        if version != assessment.version:
            raise StaleEdit()
        before = {**snapshot(assessment), "answers": _answers(assessment)}
        assessment.version += 1
        assessment.submitted_by = actor
        assessment.submitted_at = now
        assessment.save()
        assessment.answers.all().delete()
    NeedAnswer.objects.bulk_create(
        NeedAnswer(assessment=assessment, theme=theme, level=level, note=note.strip())
        for theme, (level, note) in answers.items()
    )
    audit_record(
        actor=actor,
        action="needs_assessment_save",
        obj=assessment,
        before=before,
        after={**snapshot(assessment), "answers": _answers(assessment)},
    )
    return assessment


@transaction.atomic
def event_create(
    *,
    actor: Any,
    region: Region,
    kind: str,
    title: str,
    capacity: int,
    sessions: Iterable[tuple[datetime.date, str]],
    description: str = "",
    run_by: str = "",
    announce: bool = False,
    now: datetime.datetime | None = None,
) -> Event:
    """Set up an event; announced (``announce``), it is in the region's bulletin, and subscribers
    who asked for alerts are alerted once this transaction commits."""
    if not access.may_organise_events(actor):
        raise PermissionDenied("Only the regional team or an infrastructure body sets up events.")
    if not access.may_organise_events_in(actor, region.pk):
        raise PermissionDenied("Events are set up for your own region.")
    days = list(sessions)
    if not days:
        raise ValidationError("An event needs at least one date.")
    event = Event.objects.create(
        region=region,
        kind=kind,
        title=title.strip(),
        description=description.strip(),
        run_by=run_by.strip(),
        organiser=actor,
        capacity=capacity,
        created_at=_now(now),
        announced=announce,
    )
    Session.objects.bulk_create(Session(event=event, date=day, place=place.strip()) for day, place in days)
    audit_record(
        actor=actor,
        action="event_create",
        obj=event,
        after={**snapshot(event), "sessions": [f"{day.isoformat()} {place}" for day, place in days]},
    )
    if announce:
        alert_published(source="events", key=str(event.pk), now=now)
    return event


def _free_place(event: Event) -> int | None:
    """The lowest place of the event nobody holds, or None when every place is held."""
    held = set(
        Booking.objects.filter(event=event, cancelled_at__isnull=True, place__isnull=False).values_list(
            "place", flat=True
        )
    )
    return next((n for n in range(1, event.capacity + 1) if n not in held), None)


def _fill_free_places(event: Event, now: datetime.datetime) -> list[Booking]:
    """Give the event's free places, lowest first, to the people waiting, in the order they asked;
    returns those given one. The caller holds the event's row locked."""
    promoted: list[Booking] = []
    waiting = (
        Booking.objects.select_for_update()
        .filter(event=event, cancelled_at__isnull=True, place__isnull=True)
        .order_by("booked_at", "id")
    )
    for booking in waiting:
        place = _free_place(event)
        if place is None:
            break
        booking.place = place
        booking.placed_at = now
        booking.save(update_fields=["place", "placed_at"])
        promoted.append(booking)
    return promoted


@transaction.atomic
def booking_make(*, actor: Any, event: Event, now: datetime.datetime | None = None) -> Booking:
    """Book the actor a place on ``event`` for their organisation, or a place on its waiting list."""
    now = _now(now)
    if not access.may_book(actor, event, timezone.localdate(now)):
        raise PermissionDenied("You cannot book this event.")
    locked = Event.objects.select_for_update().get(pk=event.pk)
    if Booking.objects.filter(event=locked, person=actor, cancelled_at__isnull=True).exists():
        raise ValidationError("You have already booked this event.")
    values = {"event": locked, "person": actor, "organisation_id": actor.organisation_id, "booked_at": now}
    booking: Booking | None = None
    place = _free_place(locked)
    if place is not None:
        try:
            with transaction.atomic():
                booking = Booking.objects.create(**values, place=place, placed_at=now)
        except IntegrityError:
            # Someone took that place between our look and our write: wait in line instead.
            booking = None
    if booking is None:
        try:
            with transaction.atomic():
                booking = Booking.objects.create(**values)
        except IntegrityError:
            raise ValidationError("You have already booked this event.") from None
    audit_record(actor=actor, action="booking_make", obj=booking, after=snapshot(booking))
    return booking


@transaction.atomic
def booking_cancel(*, actor: Any, booking: Booking, now: datetime.datetime | None = None) -> Booking | None:
    """Cancel the actor's own booking; a place it held goes to the first person waiting, who is
    returned (None if nobody was)."""
    if not access.bookings_of(actor).filter(pk=booking.pk).exists():
        raise PermissionDenied("You can cancel only your own booking.")
    now = _now(now)
    locked = Event.objects.select_for_update().get(pk=booking.event_id)
    booking = Booking.objects.select_for_update().get(pk=booking.pk)
    if booking.cancelled_at is not None:
        raise ValidationError("This booking was already cancelled.")
    before = snapshot(booking)
    freed = booking.place
    booking.cancelled_at = now
    booking.place = None
    booking.save(update_fields=["cancelled_at", "place"])
    promoted: Booking | None = None
    if freed is not None:
        promoted = next(iter(_fill_free_places(locked, now)), None)
    after = snapshot(booking)
    if promoted is not None:
        after["place_given_to"] = {"booking": promoted.pk, "person": str(promoted.person), "place": promoted.place}
    audit_record(actor=actor, action="booking_cancel", obj=booking, before=before, after=after)
    return promoted


def _sessions_of(event: Event) -> list[str]:
    return [f"{s.date.isoformat()} {s.place}" for s in Session.objects.filter(event=event).order_by("date", "id")]


def _held(event: Event) -> list[Booking]:
    return list(
        Booking.objects.select_for_update()
        .filter(event=event, cancelled_at__isnull=True, place__isnull=False)
        .order_by("place", "id")
    )


@transaction.atomic
def event_change(
    *,
    actor: Any,
    event: Event,
    version: int,
    title: str,
    capacity: int,
    description: str = "",
    run_by: str = "",
    sessions: Mapping[int, tuple[datetime.date, str]] | None = None,
    now: datetime.datetime | None = None,
) -> list[Booking]:
    """Change an event's title, description, who runs it, its number of places and (``sessions``,
    by session id) the date and place of its sessions, if nobody has changed it since ``version``
    was read. More places go to the people waiting, in the order they
    asked (returned); fewer than the places already taken is refused. Held place numbers above a
    lowered number of places move down to the free ones below it."""
    if not access.may_manage_event(actor, event):
        raise PermissionDenied("Only the event's organiser or the region's commissioners change it.")
    now = _now(now)
    locked = Event.objects.select_for_update().get(pk=event.pk)
    if locked.cancelled_at is not None:
        raise ValidationError("This event was cancelled: it cannot be changed.")
    if locked.version != version:
        raise StaleEdit()
    held = _held(locked)
    if capacity < len(held):
        raise ValidationError(
            f"{len(held)} places are already taken: the event cannot have fewer than {len(held)} places.",
            code="below_taken",
        )
    own = {s.pk: s for s in Session.objects.filter(event=locked)}
    if sessions and set(sessions) - set(own):
        raise ValidationError("A date sent is not of this event.")
    before = {**snapshot(locked), "sessions": _sessions_of(locked)}
    for pk, (day, place) in (sessions or {}).items():
        session = own[pk]
        if (session.date, session.place) != (day, place.strip()):
            session.date, session.place = day, place.strip()
            session.save(update_fields=["date", "place"])
    save_if_unchanged(
        locked,
        expected_version=version,
        fields={
            "title": title.strip(),
            "description": description.strip(),
            "run_by": run_by.strip(),
            "capacity": capacity,
        },
    )
    taken = {b.place for b in held}
    for booking in held:
        if booking.place is not None and booking.place > capacity:
            booking.place = next(n for n in range(1, capacity + 1) if n not in taken)
            taken.add(booking.place)
            booking.save(update_fields=["place"])
    promoted = _fill_free_places(locked, now)
    after = {**snapshot(locked), "sessions": _sessions_of(locked)}
    if promoted:
        after["places_given_to"] = [{"booking": b.pk, "person": str(b.person), "place": b.place} for b in promoted]
    audit_record(actor=actor, action="event_change", obj=locked, before=before, after=after)
    event.refresh_from_db()
    return promoted


@transaction.atomic
def event_cancel(
    *, actor: Any, event: Event, version: int, reason: str, now: datetime.datetime | None = None
) -> list[Any]:
    """Cancel an event, with a reason: it stays listed, marked cancelled; booking closes, it leaves
    the bulletins, and everyone booked or waiting is told by e-mail. Returns the notifications."""
    if not access.may_manage_event(actor, event):
        raise PermissionDenied("Only the event's organiser or the region's commissioners cancel it.")
    reason = reason.strip()
    if not reason:
        raise ValidationError("Enter why the event is cancelled.")
    now = _now(now)
    locked = Event.objects.select_for_update().get(pk=event.pk)
    if locked.cancelled_at is not None:
        raise ValidationError("This event was already cancelled.")
    if locked.version != version:
        raise StaleEdit()
    before = snapshot(locked)
    save_if_unchanged(locked, expected_version=version, fields={"cancelled_at": now, "cancel_reason": reason})
    live = Booking.objects.filter(event=locked, cancelled_at__isnull=True).select_related("person")
    first = access.first_day(locked)
    when = f" on {first:%-d %B %Y}" if first else ""
    told = notify(
        event_key=f"event-cancelled:{locked.pk}",
        kind="event_cancelled",
        recipients=[b.person for b in live],
        subject=f"Cancelled: {locked.title}",
        body=f"{locked.title}{when} is cancelled. The reason given: {reason}",
        link=reverse("capacity:event", args=[locked.pk]),
        why="You had a place on this event, or were on its waiting list.",
        now=now,
    )
    audit_record(
        actor=actor,
        action="event_cancel",
        obj=locked,
        before=before,
        after={**snapshot(locked), "told": len(told)},
    )
    event.refresh_from_db()
    return told


@transaction.atomic
def attendance_record(
    *,
    actor: Any,
    session: Session,
    bookings: Iterable[Booking] = (),
    walk_in: Mapping[str, Any] | None = None,
    now: datetime.datetime | None = None,
) -> list[Attendance]:
    """Record who came to ``session``: people who booked (their organisation as booked, its sector),
    and someone without a booking or an account (``walk_in``: name, organisation or
    organisation_name, sector). Someone already recorded is not recorded twice: they are left
    out, and when nobody else is left (two organisers recording the same people from pages
    opened together) the second is told who recorded them and when (``AlreadyDone``)."""
    event = session.event
    if not access.may_manage_event(actor, event):
        raise PermissionDenied("Only the event's organiser records attendance.")
    now = _now(now)
    recorded: list[Attendance] = []
    already: AlreadyDone | None = None
    for booking in bookings:
        if booking.event_id != event.pk or booking.cancelled_at is not None:
            raise ValidationError(f"{booking.person} has no booking on this event.")
        if (done := _recorded_already(session, booking.person_id)) is not None:
            already = already or done
            continue
        booked_for = booking.organisation
        with first_wins(partial(_recorded_already, session, booking.person_id)):
            recorded.append(
                Attendance.objects.create(
                    session=session,
                    person_id=booking.person_id,
                    name=booking.person.get_full_name() or booking.person.username,
                    organisation=booked_for,
                    organisation_name=booked_for.name if booked_for else "",
                    sector=booked_for.sector if booked_for else "",
                    recorded_by=actor,
                    recorded_at=now,
                )
            )
    if walk_in:
        organisation: Organisation | None = walk_in.get("organisation")
        name = (walk_in.get("organisation_name") or "").strip()
        if organisation is None and not name:
            raise ValidationError("Enter the organisation of the person who came.")
        recorded.append(
            Attendance.objects.create(
                session=session,
                name=walk_in["name"].strip(),
                organisation=organisation,
                organisation_name=organisation.name if organisation else name,
                sector=walk_in.get("sector") or (organisation.sector if organisation else ""),
                recorded_by=actor,
                recorded_at=now,
            )
        )
    if not recorded:
        if already is not None:
            raise already
        raise ValidationError("Choose who came, or enter someone who came without booking.")
    audit_record(
        actor=actor,
        action="attendance_record",
        obj=session,
        after={"recorded": [f"{a.name} ({a.organisation_name}, {a.get_sector_display()})" for a in recorded]},
    )
    return recorded


def _recorded_already(session: Session, person_id: int) -> AlreadyDone | None:
    """Who recorded ``person_id`` as having come to ``session``, and when; None if nobody has."""
    attendance = Attendance.objects.filter(session=session, person_id=person_id).select_related("recorded_by").first()
    if attendance is None:
        return None
    return already_done(
        attendance,
        did=f"recorded {attendance.name} as having come",
        then="nobody is recorded twice.",
        url=reverse("capacity:event", args=[session.event_id]),
        by=attendance.recorded_by,
        at=attendance.recorded_at,
    )


@transaction.atomic
def evaluation_submit(
    *,
    actor: Any,
    event: Event,
    content: int,
    delivery: int,
    usefulness: int,
    comments: str = "",
    now: datetime.datetime | None = None,
) -> Evaluation:
    now = _now(now)
    if not access.may_evaluate(actor, event, timezone.localdate(now)):
        raise PermissionDenied("Only someone who came to the event evaluates it, from its first day.")
    if Evaluation.objects.filter(event=event, person=actor).exists():
        raise ValidationError("You have already evaluated this event.")
    evaluation = Evaluation.objects.create(
        event=event,
        person=actor,
        content=content,
        delivery=delivery,
        usefulness=usefulness,
        comments=comments.strip(),
        submitted_at=now,
    )
    audit_record(actor=actor, action="evaluation_submit", obj=evaluation, after=snapshot(evaluation))
    return evaluation
