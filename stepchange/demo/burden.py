"""The demo's burden figures: the time people said their returns and applications took, and a few
monitoring requests. The regional report says nothing of how long anything took, so every time
here is illustrative, made up to be plausible and said so in docs/burden.md: a prison return takes
a co-ordinator between two and six hours, some leave the question blank (not said, never 0); the
small grant applicants say between four and nine hours. The regional team asks Foundation Housing,
the prime of the region's Together Women contract, for monitoring each quarter of 2006-07: two
answered (one with its time, one without), the latest still waiting.

Saved through the demo Loader by natural key, so a second run writes nothing.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

from stepchange.burden.models import MonitoringRequest, Topic
from stepchange.contracts.models import Contract
from stepchange.funding.models import GrantApplication
from stepchange.returns.models import PrisonReturn

# The times, in hours, the prisons' co-ordinators give in turn; None: left blank.
PRISON_HOURS: tuple[Decimal | None, ...] = (
    Decimal("3.5"),
    Decimal("2"),
    None,
    Decimal("5"),
    Decimal("4.5"),
    Decimal("2.5"),
    None,
    Decimal("6"),
)
# By applicant: the time its small grant application took; an applicant not named left it blank.
APPLICATION_HOURS = {
    "Pakistani and Kashmiri Welfare Association": Decimal("6"),
    "Doncaster Women's Centre": Decimal("4.5"),
}
MONITORED = "DEMO-ROM-YH-001"
# (period start, period end, due, answered on (None: waiting), hours said (None: not said))
REQUESTS: tuple[tuple[datetime.date, datetime.date, datetime.date, datetime.date | None, Decimal | None], ...] = (
    (
        datetime.date(2006, 9, 1),
        datetime.date(2006, 9, 30),
        datetime.date(2006, 10, 31),
        datetime.date(2006, 10, 20),
        Decimal("3"),
    ),
    (
        datetime.date(2006, 10, 1),
        datetime.date(2006, 12, 31),
        datetime.date(2007, 1, 31),
        datetime.date(2007, 1, 29),
        None,
    ),
    (datetime.date(2007, 1, 1), datetime.date(2007, 3, 31), datetime.date(2007, 4, 30), None, None),
)
TOPICS = [Topic.PEOPLE_STARTED.value, Topic.PEOPLE_COMPLETED.value, Topic.SPEND.value]
OWN_QUESTION = "How many of the women were referred by the courts rather than by probation?"
ANSWERS = {
    Topic.PEOPLE_STARTED.value: "Illustrative demo answer: 46 women started in the period.",
    Topic.PEOPLE_COMPLETED.value: "Illustrative demo answer: 31 completed their plan.",
    Topic.SPEND.value: "Illustrative demo answer: spend is on budget for the period.",
    "own": "Illustrative demo answer: 9 of the 46 were referred by the courts.",
}


def _at(day: datetime.date, hour: int = 12) -> datetime.datetime:
    """The hour in London on the day, held in UTC as the database gives it back (so that a second
    run compares equal and writes nothing)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour))).astimezone(datetime.UTC)


def load_burden(loader: Any, *, region: Any, users: dict[str, Any]) -> None:
    submitted = (
        PrisonReturn.objects.filter(commissioner__region=region, submitted_at__isnull=False)
        .select_related("round__year", "commissioner__organisation")
        .order_by("submitted_at", "commissioner__code", "revision")
    )
    for index, prison_return in enumerate(submitted):
        loader.save(
            PrisonReturn,
            {
                "round": prison_return.round,
                "commissioner": prison_return.commissioner,
                "revision": prison_return.revision,
            },
            {"hours_taken": PRISON_HOURS[index % len(PRISON_HOURS)]},
        )
    for application in GrantApplication.objects.filter(round__region=region).select_related("organisation"):
        loader.save(
            GrantApplication,
            {"round": application.round, "organisation": application.organisation},
            {"hours_taken": APPLICATION_HOURS.get(application.organisation.name)},
        )
    contract = Contract.objects.filter(reference=MONITORED).first()
    if contract is None:
        return
    team, provider = users["rom.commissioner"], users["foundation.provider"]
    for start, end, due, answered, hours in REQUESTS:
        loader.save(
            MonitoringRequest,
            {"contract": contract, "period_start": start, "period_end": end},
            {
                "due_on": due,
                "topics": TOPICS,
                "own_question": OWN_QUESTION,
                "asked_by": team,
                "asked_at": _at(end - datetime.timedelta(days=10), 10),
                "answers": ANSWERS if answered else {},
                "answered_by": provider if answered else None,
                "answered_at": _at(answered) if answered else None,
                "hours_taken": hours,
            },
        )
