"""Reminders about returns: due within 7 days, overdue, or returned for correction.

Safe to run every day (``manage.py send_return_reminders`` from cron): each return gets one
reminder per state it is in, never the same one twice. The state is keyed by what makes it
distinct (the deadline for due and overdue, the moment it was sent back for a return), and the
database refuses a second record of the same state. A reminder is a notification
(stepchange/returns/notices.py): shown on its people's notifications page and e-mailed by the
outbox sender (``manage.py send_notifications``), each person once; people who turned reminders
of deadlines off are not told (a return returned for correction is told to everyone).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from stepchange.core.audit import audit_record, snapshot
from stepchange.returns import notices
from stepchange.returns.access import people_filling
from stepchange.returns.models import PrisonReturn, ProbationReturn, ReminderKind, ReminderSent, Status

DUE_WITHIN_DAYS = 7


@dataclass(frozen=True)
class Due:
    reminder: str
    state_key: str
    subject: str
    body: str


def reminder_due(the_return: Any, today: datetime.date) -> Due | None:
    """The reminder this return's state calls for today, if any."""
    deadline = the_return.round.deadline
    what = f"the {the_return.round} return for {the_return.commissioner.name}"
    if the_return.status == Status.RETURNED:
        return Due(
            ReminderKind.RETURNED,
            the_return.returned_at.isoformat(),
            f"Returned for correction: {what}",
            f"Your return was returned for correction: {the_return.returned_reason}\n"
            "Please correct it and submit it again.",
        )
    if not the_return.is_open:
        return None
    if the_return.is_overdue(today):
        return Due(
            ReminderKind.OVERDUE,
            deadline.isoformat(),
            f"Overdue: {what}",
            f"The deadline was {deadline:%-d %B %Y} and the return has not been submitted. "
            "It can still be submitted; it will be marked late.",
        )
    if (deadline - today).days <= DUE_WITHIN_DAYS:
        return Due(
            ReminderKind.DUE_SOON,
            deadline.isoformat(),
            f"Due by {deadline:%-d %B %Y}: {what}",
            f"Please submit {what} by {deadline:%-d %B %Y}.",
        )
    return None


def recipients_of(the_return: Any) -> list[str]:
    """The addresses of the people who fill the return in (``access.people_filling``)."""
    return sorted(person.email for person in people_filling(the_return) if person.email)


def send_reminders(*, today: datetime.date) -> list[ReminderSent]:
    sent = []
    for model, key in ((PrisonReturn, "prison_return"), (ProbationReturn, "probation_return")):
        open_returns = model.objects.filter(
            round__isnull=False, superseded_at__isnull=True, submitted_at__isnull=True, approved_at__isnull=True
        ).select_related("round__year", "commissioner__organisation")
        for the_return in open_returns:
            due = reminder_due(the_return, today)
            if due is None:
                continue
            if ReminderSent.objects.filter(
                **{key: the_return}, reminder=due.reminder, state_key=due.state_key
            ).exists():
                continue
            if not recipients_of(the_return):
                continue
            sent.append(_record(the_return, key, due))
    return sent


@transaction.atomic
def _record(the_return: Any, key: str, due: Due) -> ReminderSent:
    """Record the state as told and write its notifications, in one transaction."""
    notices.reminder(the_return, reminder=due.reminder, state_key=due.state_key, subject=due.subject, body=due.body)
    record = ReminderSent.objects.create(
        **{key: the_return},
        reminder=due.reminder,
        state_key=due.state_key,
        recipients=", ".join(recipients_of(the_return)),
        sent_at=timezone.now(),
    )
    audit_record(actor=None, action="reminder_send", obj=record, after=snapshot(record))
    return record
