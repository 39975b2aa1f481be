"""The demo's capacity building (sections 4, 7.5-7.6 and 8 of the report): the Promoting Race
Equality Conference of June 2006, CRISP's cross-sector action learning sets and its sub-regional
conferences, with who came from which sector, a few evaluations, and two needs assessments.

The report says the conference's delegates came from public, private and voluntary sector
organisations and that it was the starting point for links with BME-led groups, among them the
Pakistani and Kashmiri Welfare Association, whose Kirklees coalition went on to win NOMS VCS Grants
funding (the demo's DEMO-WYPA-104, from January 2007). It gives no count of delegates by sector, no
day in June, no venue, and no dates or members of the action learning sets (nine across CRISP's
three regions) or of the sub-regional conferences. Those are demo choices, said so in each event's
description; the delegates named here are invented, the organisations are the demo's own.

Saved through the demo Loader by natural key, so a second run writes nothing.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from stepchange.capacity.models import (
    Attendance,
    Booking,
    Evaluation,
    Event,
    EventKind,
    NeedAnswer,
    NeedsAssessment,
    Session,
    Theme,
)
from stepchange.core.models import FinancialYear
from stepchange.organisations.models import Sector

DEMO_CHOICE = "Demo data: the report gives {what}; the demo chose {choice}."


def at(year: int, month: int, day: int, hour: int = 12) -> datetime.datetime:
    """Noon in London, held in UTC as the database returns it, so a second run compares equal."""
    return timezone.make_aware(datetime.datetime(year, month, day, hour)).astimezone(datetime.UTC)


ROM = "Regional Offender Manager for Yorkshire and Humberside"
BME_PANEL = "Yorkshire and Humber Regional BME Panel"
PKWA = "Pakistani and Kashmiri Welfare Association"

# (delegate, organisation of the demo or None, organisation as typed when it has no record, sector)
# Each sector of the report's "public, private and voluntary sector organisations" is there; the
# BME-led groups the conference reached are the Pakistani and Kashmiri Welfare Association, the
# regional BME Panel, two demo community projects flagged BME-led, and two groups with no record.
RACE_EQUALITY_DELEGATES: tuple[tuple[str, str | None, str, str], ...] = (
    ("Ruth Ormerod", ROM, "", Sector.PUBLIC),
    ("Sam Pickering", "South Yorkshire Probation Area", "", Sector.PUBLIC),
    ("Wendy Pollard", "West Yorkshire Probation Area", "", Sector.PUBLIC),
    ("Lee Carver", "HMP Leeds", "", Sector.PUBLIC),
    ("Harjit Sandhu", "HMP Hull", "", Sector.PUBLIC),
    ("Graham Long", "GSL UK Ltd", "", Sector.PRIVATE),
    ("Paul Denton", "Demo Services Ltd 01", "", Sector.PRIVATE),
    ("Fiona Hartley", "Foundation Housing", "", Sector.VCS),
    ("Imran Baig", "Yorkshire and Humber Regional Forum", "", Sector.VCS),
    ("Nasreen Akhtar", PKWA, "", Sector.VCS),
    ("Tariq Mahmood", PKWA, "", Sector.VCS),
    ("Grace Mensah", BME_PANEL, "", Sector.VCS),
    ("Delroy Campbell", "Demo Community Project 03", "", Sector.VCS),
    ("Shazia Begum", "Demo Community Project 17", "", Sector.VCS),
    ("Amina Hassan", None, "Demo Sheffield Somali Community Group", Sector.VCS),
    ("Winston Clarke", None, "Demo Bradford African Caribbean Forum", Sector.VCS),
    ("Claire Ward", "Clinks", "", Sector.VCS),
)
# Delegates with a demo sign-in: their booking and attendance name them; some evaluate the day.
SIGN_INS = {
    "Ruth Ormerod": "rom.commissioner",
    "Sam Pickering": "sypa.manager",
    "Wendy Pollard": "wypa.manager",
    "Lee Carver": "leeds.coordinator",
    "Paul Denton": "private.provider",
    "Fiona Hartley": "foundation.provider",
    "Imran Baig": "forum.member",
}
RACE_EQUALITY_EVALUATIONS = {
    "foundation.provider": (5, 4, 5, "The showcase of culturally specific services was the most useful part."),
    "private.provider": (4, 4, 3, "Good to hear the ROM's commitment; more on how commissioning will follow."),
    "sypa.manager": (4, 5, 4, "The workshop on engaging BME-led groups gave us contacts in Sheffield."),
}

# CRISP's action learning sets in the region: the same members at every meeting (one missed one).
LEARNING_SETS = (
    (
        "CRISP action learning set: South and West Yorkshire",
        "Sheffield",
        (
            ("Sam Pickering", "South Yorkshire Probation Area", Sector.PUBLIC),
            ("Lee Carver", "HMP Leeds", Sector.PUBLIC),
            ("Paul Denton", "Demo Services Ltd 01", Sector.PRIVATE),
            ("Fiona Hartley", "Foundation Housing", Sector.VCS),
            ("Nasreen Akhtar", PKWA, Sector.VCS),
            ("Joe Barker", "Demo Community Project 05", Sector.VCS),
        ),
    ),
    (
        "CRISP action learning set: Humberside and North Yorkshire",
        "Hull",
        (
            ("Helen Pearson", "Humberside Probation Area", Sector.PUBLIC),
            ("Neil Parkin", "North Yorkshire Probation Area", Sector.PUBLIC),
            ("Harjit Sandhu", "HMP Hull", Sector.PUBLIC),
            ("Mark Fenwick", "Demo Services Ltd 02", Sector.PRIVATE),
            ("Delroy Campbell", "Demo Community Project 03", Sector.VCS),
            ("Jenny Holt", "Demo Community Project 10", Sector.VCS),
        ),
    ),
)
LEARNING_SET_MEETINGS = (
    datetime.date(2006, 9, 14),
    datetime.date(2006, 11, 9),
    datetime.date(2007, 1, 11),
    datetime.date(2007, 3, 8),
)

# (sub-region, place, date, delegates as (name, organisation, sector))
SUB_REGIONAL = (
    (
        "South Yorkshire",
        "Sheffield",
        datetime.date(2006, 10, 5),
        (
            ("Sam Pickering", "South Yorkshire Probation Area", Sector.PUBLIC),
            ("Dana Cole", "HMP & YOI Doncaster", Sector.PUBLIC),
            ("Kath Moss", "Doncaster Women's Centre", Sector.VCS),
            ("Joe Barker", "Demo Community Project 05", Sector.VCS),
            ("Ian Shaw", "Demo Community Project 11", Sector.VCS),
        ),
    ),
    (
        "West Yorkshire",
        "Leeds",
        datetime.date(2006, 10, 12),
        (
            ("Wendy Pollard", "West Yorkshire Probation Area", Sector.PUBLIC),
            ("Lee Carver", "HMP Leeds", Sector.PUBLIC),
            ("Paul Denton", "Demo Services Ltd 01", Sector.PRIVATE),
            ("Nasreen Akhtar", PKWA, Sector.VCS),
            ("Rachel Dyson", "Touchstone", Sector.VCS),
            ("Shazia Begum", "Demo Community Project 17", Sector.VCS),
        ),
    ),
    (
        "North Yorkshire",
        "York",
        datetime.date(2006, 10, 19),
        (
            ("Neil Parkin", "North Yorkshire Probation Area", Sector.PUBLIC),
            ("Tom Ellis", "Demo Community Project 02", Sector.VCS),
            ("Alison Kerr", "Demo Community Project 14", Sector.VCS),
        ),
    ),
    (
        "Humberside",
        "Hull",
        datetime.date(2006, 11, 2),
        (
            ("Helen Pearson", "Humberside Probation Area", Sector.PUBLIC),
            ("Harjit Sandhu", "HMP Hull", Sector.PUBLIC),
            ("Mark Fenwick", "Demo Services Ltd 02", Sector.PRIVATE),
            ("Jenny Holt", "Demo Community Project 10", Sector.VCS),
            ("Owen Price", "Demo Community Project 20", Sector.VCS),
        ),
    ),
)

# Needs for 2006-07 of the two providers with a demo sign-in: (bidding, governance, finance,
# partnership, monitoring) levels, and a note on the first.
NEEDS = {
    "foundation.provider": ((2, 1, 2, 3, 2), "Leading a consortium: sharing risk and the joint bidding protocol."),
    "private.provider": ((3, 1, 1, 3, 3), "Understanding pathway outcomes NOMS will ask us to report."),
}
THEMES = tuple(Theme)


def load_capacity(loader: Any, *, region: Any, organisations: dict[str, Any], users: dict[str, Any]) -> None:
    rom, forum = users["rom.commissioner"], users["forum.member"]
    conference = _event(
        loader,
        region=region,
        title="Promoting Race Equality Conference",
        kind=EventKind.CONFERENCE,
        run_by="Step Change project",
        organiser=rom,
        capacity=80,
        description=(
            "Opened by the Regional Offender Manager; good practice of VCS providers showcased, models of "
            "culturally specific services and workshops. "
            + DEMO_CHOICE.format(what="June 2006 and no venue", choice="21 June, in Leeds")
        ),
        days=[(datetime.date(2006, 6, 21), "Leeds")],
    )
    session = conference.sessions.get()
    place = 0
    for name, org_name, typed, sector in RACE_EQUALITY_DELEGATES:
        person = users.get(SIGN_INS.get(name, ""))
        organisation = organisations[org_name] if org_name else None
        if person is not None:
            place += 1
            loader.save(
                Booking,
                {"event": conference, "person": person},
                {
                    "organisation": organisation,
                    "place": place,
                    "booked_at": at(2006, 6, 1),
                    "placed_at": at(2006, 6, 1),
                    "cancelled_at": None,
                },
            )
        _attended(loader, session, name, organisation, typed, sector, recorded_by=rom, person=person)
    for username, (content, delivery, usefulness, comments) in RACE_EQUALITY_EVALUATIONS.items():
        loader.save(
            Evaluation,
            {"event": conference, "person": users[username]},
            {
                "content": content,
                "delivery": delivery,
                "usefulness": usefulness,
                "comments": comments,
                "submitted_at": at(2006, 6, 23),
            },
        )

    for title, town, members in LEARNING_SETS:
        learning_set = _event(
            loader,
            region=region,
            title=title,
            kind=EventKind.ACTION_LEARNING_SET,
            run_by="CRISP (Clinks)",
            organiser=forum,
            capacity=len(members),
            description=(
                "A cross-sector set: the same members from public, private and voluntary organisations at "
                "every meeting. "
                + DEMO_CHOICE.format(
                    what="nine sets across CRISP's three regions, with no dates or members",
                    choice="two sets in the region, four meetings each",
                )
            ),
            days=[(day, town) for day in LEARNING_SET_MEETINGS],
        )
        for number, meeting in enumerate(learning_set.sessions.order_by("date")):
            for index, (name, org_name, sector) in enumerate(members):
                if number == 2 and index == len(members) - 1:
                    continue  # one member missed the third meeting
                _attended(loader, meeting, name, organisations[org_name], "", sector, recorded_by=forum)

    for sub_region, town, day, delegates in SUB_REGIONAL:
        event = _event(
            loader,
            region=region,
            title=f"CRISP sub-regional conference: {sub_region}",
            kind=EventKind.CONFERENCE,
            run_by="CRISP with NOMS, prisons and probation",
            organiser=forum,
            capacity=60,
            description=(
                "What NOMS, offender management and commissioning mean for VCS organisations. "
                + DEMO_CHOICE.format(what="no dates, places or delegates", choice=f"{day:%-d %B %Y} in {town}")
            ),
            days=[(day, town)],
        )
        meeting = event.sessions.get()
        for name, org_name, sector in delegates:
            _attended(loader, meeting, name, organisations[org_name], "", sector, recorded_by=forum)

    year = FinancialYear.objects.get(name="2006-07")
    for username, (levels, note) in NEEDS.items():
        person = users[username]
        assessment = loader.save(
            NeedsAssessment,
            {"organisation": person.organisation, "year": year},
            {"submitted_by": person, "submitted_at": at(2006, 5, 15)},
        )
        for index, (theme, level) in enumerate(zip(THEMES, levels, strict=True)):
            loader.save(
                NeedAnswer,
                {"assessment": assessment, "theme": theme},
                {"level": level, "note": note if index == 0 else ""},
            )


def _event(
    loader: Any,
    *,
    region: Any,
    title: str,
    kind: str,
    run_by: str,
    organiser: Any,
    capacity: int,
    description: str,
    days: list[tuple[datetime.date, str]],
) -> Event:
    event: Event = loader.save(
        Event,
        {"region": region, "title": title},
        {
            "kind": kind,
            "run_by": run_by,
            "organiser": organiser,
            "capacity": capacity,
            "description": description,
            "created_at": at(2006, 5, 1),
        },
    )
    for day, place in days:
        loader.save(Session, {"event": event, "date": day}, {"place": place})
    return event


def _attended(
    loader: Any,
    session: Session,
    name: str,
    organisation: Any,
    typed: str,
    sector: str,
    *,
    recorded_by: Any,
    person: Any = None,
) -> None:
    loader.save(
        Attendance,
        {"session": session, "name": name},
        {
            "person": person,
            "organisation": organisation,
            "organisation_name": organisation.name if organisation else typed,
            "sector": sector,
            "recorded_by": recorded_by,
            "recorded_at": timezone.make_aware(datetime.datetime.combine(session.date, datetime.time(17))).astimezone(
                datetime.UTC
            ),
        },
    )
