"""The forms of capacity building: a needs assessment, an event, attendance and an evaluation."""

from __future__ import annotations

from typing import Any

from django import forms

from stepchange.capacity.models import Booking, EventKind, NeedLevel, Session, Theme
from stepchange.core.forms import Form, UKDateField, VersionedForm
from stepchange.organisations.models import Organisation, Sector

MAX_SESSIONS = 9


class NeedsForm(VersionedForm):
    """A level and a note for every theme; ``version`` 0 for a first assessment."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for theme in Theme:
            self.fields[f"{theme.value}_level"] = forms.TypedChoiceField(
                label=f"{theme.label}: how much help does your organisation need?",
                choices=NeedLevel.choices,
                coerce=int,
                widget=forms.RadioSelect,
            )
            self.fields[f"{theme.value}_note"] = forms.CharField(
                label=f"{theme.label}: what would help (optional)",
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 3}),
            )

    def answers(self) -> dict[str, tuple[int, str]]:
        return {t.value: (self.cleaned_data[f"{t.value}_level"], self.cleaned_data[f"{t.value}_note"]) for t in Theme}


class EventForm(Form):
    kind = forms.ChoiceField(label="Kind of event", choices=EventKind.choices, widget=forms.RadioSelect)
    title = forms.CharField(label="Title", max_length=200)
    run_by = forms.CharField(label="Run by", max_length=200, required=False, help_text="For example, CRISP")
    description = forms.CharField(label="Description", required=False, max_length=4000, widget=forms.Textarea)
    capacity = forms.IntegerField(label="Places", min_value=1, max_value=10000)
    place = forms.CharField(label="Place", max_length=200, help_text="Where every date of the event is held")
    dates = forms.CharField(
        label="Dates",
        max_length=400,
        help_text="One date for a single event; for an action learning set, every meeting's date, "
        "separated by commas, for example 12/6/2006, 10/7/2006",
    )
    announce = forms.BooleanField(
        label="Announce it in the region's bulletin",
        required=False,
        help_text="Its title, kind, who runs it, dates and place become public: in the bulletin's e-mails, "
        "archive and feed. Who books never does.",
    )

    def clean_dates(self) -> list[Any]:
        field = UKDateField()
        parts = [p.strip() for p in self.cleaned_data["dates"].split(",") if p.strip()]
        if not parts:
            raise forms.ValidationError("Enter at least one date")
        if len(parts) > MAX_SESSIONS:
            raise forms.ValidationError(f"Enter at most {MAX_SESSIONS} dates")
        days = []
        for part in parts:
            try:
                days.append(field.clean(part))
            except forms.ValidationError:
                raise forms.ValidationError(f"{part} is not a date: write it like 12/6/2006") from None
        return sorted(days)


class BookingChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.person.get_full_name() or obj.person.username}, {obj.organisation or 'no organisation'}"


class AttendanceForm(Form):
    """Who came to one session: those who booked, ticked; someone else typed in."""

    booked = BookingChoiceField(
        label="People who booked and came",
        queryset=Booking.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    name = forms.CharField(label="Name of someone else who came (optional)", max_length=200, required=False)
    organisation = forms.ModelChoiceField(
        label="Their organisation, if it is listed",
        queryset=Organisation.objects.none(),
        required=False,
    )
    organisation_name = forms.CharField(label="Their organisation, if it is not listed", max_length=200, required=False)
    sector = forms.ChoiceField(
        label="Their organisation's sector", choices=[("", "Choose a sector"), *Sector.choices], required=False
    )

    def __init__(self, *args: Any, session: Session, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["booked"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        placed = Booking.objects.filter(event=session.event, cancelled_at__isnull=True, place__isnull=False)
        if not self.is_bound:
            # The page offers those not yet recorded. A choice sent is checked against every place
            # held: someone another organiser recorded meanwhile is the service's to explain.
            placed = placed.exclude(person_id__in=session.attendances.filter(person__isnull=False).values("person_id"))
        field.queryset = placed.select_related("person", "organisation")
        organisation = self.fields["organisation"]
        assert isinstance(organisation, forms.ModelChoiceField)
        organisation.queryset = Organisation.objects.order_by("name")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        name = (data.get("name") or "").strip()
        if name:
            if not data.get("organisation") and not (data.get("organisation_name") or "").strip():
                self.add_error("organisation_name", "Enter the organisation of the person who came")
            if not data.get("organisation") and not data.get("sector"):
                self.add_error("sector", "Choose the sector of their organisation")
        elif not data.get("booked"):
            self.add_error("booked", "Choose who came, or enter the name of someone who came without booking")
        return data

    def walk_in(self) -> dict[str, Any] | None:
        name = (self.cleaned_data.get("name") or "").strip()
        if not name:
            return None
        return {
            "name": name,
            "organisation": self.cleaned_data.get("organisation"),
            "organisation_name": self.cleaned_data.get("organisation_name") or "",
            "sector": self.cleaned_data.get("sector") or "",
        }


RATING_CHOICES = [(5, "5: very good"), (4, "4: good"), (3, "3: fair"), (2, "2: poor"), (1, "1: very poor")]


def _rating(label: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(label=label, choices=RATING_CHOICES, coerce=int, widget=forms.RadioSelect)


class EvaluationForm(Form):
    content = _rating("The content")
    delivery = _rating("How it was delivered")
    usefulness = _rating("How useful it was to your organisation")
    comments = forms.CharField(label="Comments (optional)", required=False, max_length=4000, widget=forms.Textarea)


class EventChangeForm(VersionedForm):
    """What may change once an event is set up: its words, its number of places, and the date and
    place of each of its sessions (``sessions``, in date order)."""

    title = forms.CharField(label="Title", max_length=200)
    run_by = forms.CharField(label="Run by", max_length=200, required=False, help_text="For example, CRISP")
    description = forms.CharField(label="Description", required=False, max_length=4000, widget=forms.Textarea)
    capacity = forms.IntegerField(
        label="Places",
        min_value=1,
        max_value=10000,
        help_text="More places go to the people waiting, in the order they asked. "
        "It cannot be fewer than the places already taken.",
    )

    def __init__(self, *args: Any, sessions: list[Session], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sessions = sessions
        for n, session in enumerate(sessions, start=1):
            what = "date" if len(sessions) == 1 else f"date of meeting {n}"
            self.fields[f"session_{session.pk}_date"] = UKDateField(
                label=what[0].upper() + what[1:], initial=session.date
            )
            self.fields[f"session_{session.pk}_place"] = forms.CharField(
                label="Place" if len(sessions) == 1 else f"Place of meeting {n}", max_length=200, initial=session.place
            )

    def session_changes(self) -> dict[int, tuple[Any, str]]:
        return {
            s.pk: (self.cleaned_data[f"session_{s.pk}_date"], self.cleaned_data[f"session_{s.pk}_place"])
            for s in self.sessions
        }


class EventCancelForm(VersionedForm):
    reason = forms.CharField(
        label="Why is the event cancelled?",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Everyone booked or waiting is sent this by e-mail, and it shows on the event's page.",
    )
