"""Capacity-building pages, under /capacity/. Thin: each asks ``access``, reads through
``selectors`` and writes through ``services``. What a person may not see is a 404."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from stepchange.capacity import access, selectors, services
from stepchange.capacity.forms import (
    AttendanceForm,
    EvaluationForm,
    EventCancelForm,
    EventChangeForm,
    EventForm,
    NeedsForm,
)
from stepchange.capacity.models import Event, Session
from stepchange.core.concurrency import StaleEdit
from stepchange.core.models import FinancialYear, Region
from stepchange.core.periods import DateOutsideAnyYear, year_containing

NOT_FOUND = "Page not found"


def _refused(form: Any, refused: ValidationError | StaleEdit) -> None:
    form.add_error(None, getattr(refused, "message", None) or str(refused))


def _page(
    request: HttpRequest, form: Any, *, title: str, caption: str, back: str, button: str, **extra: Any
) -> HttpResponse:
    return render(
        request,
        "capacity/form.html",
        {"form": form, "title": title, "caption": caption, "back": back, "button": button, **extra},
    )


def _this_year() -> FinancialYear:
    try:
        return year_containing(timezone.localdate())
    except DateOutsideAnyYear:
        raise Http404(NOT_FOUND) from None


def _year_asked(request: HttpRequest) -> FinancialYear:
    name = request.GET.get("year", "").strip()
    if not name:
        return _this_year()
    year = FinancialYear.objects.filter(name=name).first()
    if year is None:
        raise Http404(NOT_FOUND)
    return year


def _region_of(request: HttpRequest) -> Region | None:
    region_id = access.region_of(request.user)
    return None if region_id is None else Region.objects.filter(pk=region_id).first()


def _visible_event(request: HttpRequest, pk: int) -> Event:
    return get_object_or_404(access.events_visible_to(request.user).prefetch_related("sessions"), pk=pk)


def _managed_event(request: HttpRequest, pk: int) -> Event:
    event = _visible_event(request, pk)
    if not access.may_manage_event(request.user, event):
        raise Http404(NOT_FOUND)
    return event


@login_required
def index(request: HttpRequest) -> HttpResponse:
    events = list(selectors.events_for(request.user))
    today = timezone.localdate()
    rows = [(event, *selectors.event_dates(event)) for event in events]
    rows.sort(key=lambda r: (r[1] or today, r[0].title))
    return render(
        request,
        "capacity/index.html",
        {
            "upcoming": [r for r in rows if r[2] is not None and r[2] >= today],
            "past": [r for r in rows if r[2] is None or r[2] < today],
            "may_fill_needs": access.may_fill_needs(request.user),
            "may_read_needs_summary": access.may_read_needs_summary(request.user),
            "may_organise": access.may_organise_events(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def needs(request: HttpRequest) -> HttpResponse:
    if not access.may_fill_needs(request.user):
        raise Http404(NOT_FOUND)
    year = _this_year()
    current = selectors.own_assessment(request.user, year)
    initial: dict[str, Any] = {"version": current.version if current else 0}
    if current:
        for answer in current.answers.all():
            initial[f"{answer.theme}_level"] = answer.level
            initial[f"{answer.theme}_note"] = answer.note
    form = NeedsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        version = form.cleaned_data["version"] or None
        try:
            services.needs_assessment_save(actor=request.user, year=year, answers=form.answers(), version=version)
        except (ValidationError, StaleEdit) as refused:
            _refused(form, refused)
        else:
            messages.success(request, f"Your organisation's needs for {year.name} are saved.")
            return redirect("capacity:index")
    return _page(
        request,
        form,
        title=f"Your organisation's needs, {year.name}",
        caption=str(getattr(request.user, "organisation", "")),
        back=reverse("capacity:index"),
        button="Save the needs assessment",
        intro="For each theme, say how much help your organisation needs, from 1 (none) to 4 (urgent). "
        "The regional team sees the answers of every organisation added up, not yours by name.",
    )


@login_required
def needs_summary(request: HttpRequest) -> HttpResponse:
    if not access.may_read_needs_summary(request.user):
        raise Http404(NOT_FOUND)
    year = _year_asked(request)
    region = _region_of(request)
    region_id = region.pk if region else None
    summary = selectors.needs_summary(request.user, region_id=region_id, year=year)
    return render(
        request,
        "capacity/needs_summary.html",
        {
            "summary": summary,
            "region": region,
            "years": FinancialYear.objects.order_by("start"),
            "levels": ["1: none", "2: some", "3: clear", "4: urgent"],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def event_create(request: HttpRequest) -> HttpResponse:
    if not access.may_organise_events(request.user):
        raise Http404(NOT_FOUND)
    region = _region_of(request)
    if region is None:
        raise Http404(NOT_FOUND)
    form = EventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            event = services.event_create(
                actor=request.user,
                region=region,
                kind=data["kind"],
                title=data["title"],
                run_by=data["run_by"],
                description=data["description"],
                capacity=data["capacity"],
                sessions=[(day, data["place"]) for day in data["dates"]],
                announce=data["announce"],
            )
        except ValidationError as refused:
            _refused(form, refused)
        else:
            messages.success(request, "Event set up. People of the region can now book it.")
            return redirect("capacity:event", pk=event.pk)
    return _page(
        request,
        form,
        title="Set up an event",
        caption=f"Capacity building, {region.name}",
        back=reverse("capacity:index"),
        button="Set up the event",
    )


@login_required
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    event = _visible_event(request, pk)
    manages = access.may_manage_event(request.user, event)
    booking = selectors.own_booking(request.user, event)
    return render(
        request,
        "capacity/event.html",
        {
            "event": event,
            "sessions": list(event.sessions.all()),
            "places": selectors.places(event),
            "booking": booking,
            "waiting_position": selectors.waiting_position(booking) if booking and booking.waiting else None,
            "may_book": booking is None and access.may_book(request.user, event),
            "manages": manages,
            "attendances": list(selectors.attendances(event)) if manages else [],
            "by_sector": selectors.attendance_by_sector(event) if manages else [],
            "may_evaluate": access.may_evaluate(request.user, event),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def event_change(request: HttpRequest, pk: int) -> HttpResponse:
    event = _managed_event(request, pk)
    if event.cancelled_at is not None:
        raise Http404(NOT_FOUND)
    initial = {
        "version": event.version,
        "title": event.title,
        "run_by": event.run_by,
        "description": event.description,
        "capacity": event.capacity,
    }
    form = EventChangeForm(request.POST or None, initial=initial, sessions=list(event.sessions.all()))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            promoted = services.event_change(
                actor=request.user,
                event=event,
                version=data["version"],
                title=data["title"],
                run_by=data["run_by"],
                description=data["description"],
                capacity=data["capacity"],
                sessions=form.session_changes(),
            )
        except (ValidationError, StaleEdit) as refused:
            if isinstance(refused, ValidationError) and refused.code == "below_taken":
                form.add_error("capacity", refused.messages[0])
            else:
                _refused(form, refused)
        else:
            given = f" {len(promoted)} waiting {'person was' if len(promoted) == 1 else 'people were'} given a place."
            messages.success(request, "Event changed." + (given if promoted else ""))
            return redirect("capacity:event", pk=event.pk)
    return _page(
        request,
        form,
        title="Change the event",
        caption=event.title,
        back=reverse("capacity:event", args=[event.pk]),
        button="Save the changes",
    )


@login_required
@require_http_methods(["GET", "POST"])
def event_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    event = _managed_event(request, pk)
    if event.cancelled_at is not None:
        raise Http404(NOT_FOUND)
    form = EventCancelForm(request.POST or None, initial={"version": event.version})
    if request.method == "POST" and form.is_valid():
        try:
            told = services.event_cancel(
                actor=request.user,
                event=event,
                version=form.cleaned_data["version"],
                reason=form.cleaned_data["reason"],
            )
        except (ValidationError, StaleEdit) as refused:
            _refused(form, refused)
        else:
            messages.success(
                request, f"Event cancelled. {len(told)} {'person was' if len(told) == 1 else 'people were'} told."
            )
            return redirect("capacity:event", pk=event.pk)
    return _page(
        request,
        form,
        title="Cancel the event",
        caption=event.title,
        back=reverse("capacity:event", args=[event.pk]),
        button="Cancel the event",
        intro="A cancelled event stays listed, marked cancelled with the reason. Nobody can book it, and it "
        "leaves the region's bulletin. This cannot be undone.",
    )


@login_required
@require_POST
def book(request: HttpRequest, pk: int) -> HttpResponse:
    event = _visible_event(request, pk)
    if not access.may_book(request.user, event):
        closed = "it was cancelled" if event.cancelled_at is not None else "its last day has passed"
        messages.error(request, f"Booking for this event has closed: {closed}.")
        return redirect("capacity:event", pk=event.pk)
    try:
        booking = services.booking_make(actor=request.user, event=event)
    except PermissionDenied:
        raise Http404(NOT_FOUND) from None
    except ValidationError as refused:
        messages.error(request, refused.messages[0])
    else:
        if booking.place is not None:
            messages.success(request, "You have a place at this event.")
        else:
            messages.success(request, "The event is full: you are on the waiting list and get a place when one frees.")
    return redirect("capacity:event", pk=event.pk)


@login_required
@require_POST
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    event = _visible_event(request, pk)
    booking = selectors.own_booking(request.user, event)
    if booking is None:
        raise Http404(NOT_FOUND)
    try:
        services.booking_cancel(actor=request.user, booking=booking)
    except ValidationError as refused:
        messages.error(request, refused.messages[0])
    else:
        messages.success(request, "Your booking is cancelled.")
    return redirect("capacity:event", pk=event.pk)


@login_required
@require_http_methods(["GET", "POST"])
def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_object_or_404(Session.objects.select_related("event"), pk=pk)
    event = _managed_event(request, session.event_id)
    form = AttendanceForm(request.POST or None, session=session)
    if request.method == "POST" and form.is_valid():
        try:
            recorded = services.attendance_record(
                actor=request.user, session=session, bookings=form.cleaned_data["booked"], walk_in=form.walk_in()
            )
        except ValidationError as refused:
            _refused(form, refused)
        else:
            messages.success(
                request, f"Attendance recorded: {len(recorded)} {'person' if len(recorded) == 1 else 'people'}."
            )
            return redirect("capacity:event", pk=event.pk)
    return _page(
        request,
        form,
        title="Record who came",
        caption=f"{event.title}, {session.date:%-d %B %Y}",
        back=reverse("capacity:event", args=[event.pk]),
        button="Record attendance",
    )


@login_required
@require_http_methods(["GET", "POST"])
def evaluate(request: HttpRequest, pk: int) -> HttpResponse:
    event = _visible_event(request, pk)
    if not access.may_evaluate(request.user, event):
        raise Http404(NOT_FOUND)
    form = EvaluationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.evaluation_submit(actor=request.user, event=event, **form.cleaned_data)
        except ValidationError as refused:
            _refused(form, refused)
        else:
            messages.success(request, "Thank you: your evaluation is saved.")
            return redirect("capacity:event", pk=event.pk)
    return _page(
        request,
        form,
        title="Evaluate the event",
        caption=event.title,
        back=reverse("capacity:event", args=[event.pk]),
        button="Send the evaluation",
    )


@login_required
def evaluations(request: HttpRequest, pk: int) -> HttpResponse:
    event = _managed_event(request, pk)
    return render(
        request, "capacity/evaluations.html", {"event": event, "summary": selectors.evaluation_summary(event)}
    )
