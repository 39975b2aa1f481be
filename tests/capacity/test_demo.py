"""The demo's capacity building: the June 2006 race equality conference with delegates of every
sector and the BME-led groups it reached, CRISP's action learning sets and sub-regional
conferences, and what the Pakistani and Kashmiri Welfare Association went on to win."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from stepchange.capacity import selectors
from stepchange.capacity.models import Attendance, Event, EventKind
from stepchange.capacity.reports import outcomes
from stepchange.core.models import Region

pytestmark = pytest.mark.usefixtures("db")


def test_the_race_equality_conference(demo: str) -> None:
    conference = Event.objects.get(title="Promoting Race Equality Conference")
    assert [s.date for s in conference.sessions.all()] == [datetime.date(2006, 6, 21)]
    # 5 public (the ROM, two probation areas, two prisons), 2 private, 10 voluntary and community.
    assert selectors.attendance_by_sector(conference) == [
        ("Public", 5),
        ("Private", 2),
        ("Voluntary and community", 10),
    ]
    reached_bme = set(
        Attendance.objects.filter(session__event=conference, organisation__bme_led=True).values_list(
            "organisation__name", flat=True
        )
    )
    assert reached_bme == {
        "Pakistani and Kashmiri Welfare Association",
        "Yorkshire and Humber Regional BME Panel",
        "Demo Community Project 03",
        "Demo Community Project 17",
    }
    summary = selectors.evaluation_summary(conference)
    # Content (5 + 4 + 4) / 3 = 4.33; delivery (4 + 4 + 5) / 3 = 4.33; usefulness (5 + 3 + 4) / 3 = 4.00.
    assert [mean for _, mean in summary.means] == [Decimal("4.33"), Decimal("4.33"), Decimal("4.00")]


def test_crisp_sets_keep_their_members_and_conferences_cover_the_sub_regions(demo: str) -> None:
    sets = Event.objects.filter(kind=EventKind.ACTION_LEARNING_SET)
    assert sets.count() == 2
    for learning_set in sets:
        meetings = list(learning_set.sessions.order_by("date"))
        assert len(meetings) == 4
        members = [set(m.attendances.values_list("name", flat=True)) for m in meetings]
        assert members[0] == members[1] == members[3] and len(members[0]) == 6
        assert members[2] < members[0] and len(members[2]) == 5
    titles = set(
        Event.objects.filter(title__startswith="CRISP sub-regional conference").values_list("title", flat=True)
    )
    assert {t.split(": ")[1] for t in titles} == {"South Yorkshire", "West Yorkshire", "North Yorkshire", "Humberside"}


def test_what_the_kashmiri_welfare_association_went_on_to(demo: str) -> None:
    yh = Region.objects.get(code="YH")
    by_name = {o.organisation.name: o for o in outcomes(yh.pk, datetime.date(2007, 3, 31))}
    pkwa = by_name["Pakistani and Kashmiri Welfare Association"]
    # First event 21 June 2006; its Kirklees partnership formed in May 2006, before it, so it does
    # not count; its NOMS VCS Grants Fund grant (DEMO-WYPA-104) started on 1 January 2007.
    assert pkwa.reached and pkwa.since == datetime.date(2006, 6, 21)
    assert not pkwa.joined
    assert pkwa.contracts == [Decimal("42000.00")]
    assert by_name["Yorkshire and Humber Regional BME Panel"].reached
