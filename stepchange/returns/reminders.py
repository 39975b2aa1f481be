"""Reminder e-mails about returns: due within 7 days, overdue, or returned for correction.

Safe to run every day (``manage.py send_return_reminders`` from cron): each return gets one
e-mail per state it is in, never the same one twice. The state is keyed by what makes it
distinct (the deadline for due and overdue, the moment it was sent back for a return), and the
database refuses a second record of the same state.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from stepchange.accounts.models import User
from stepchange.core.audit import audit_record, snapshot
from stepchange.returns.access import FILLER
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
    """The people who fill the return in: the commissioner's active users in the filling role."""
    users = User.objects.filter(
        organisation_id=the_return.commissioner.organisation_id, role=FILLER[the_return.kind], is_active=True
    ).exclude(email="")
    return sorted(users.values_list("email", flat=True))


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
            to = recipients_of(the_return)
            if not to:
                continue
            sent.append(_send(the_return, key, due, to))
    return sent


@transaction.atomic
def _send(the_return: Any, key: str, due: Due, to: list[str]) -> ReminderSent:
    """Record and send in one transaction: if the e-mail cannot be sent, nothing is recorded."""
    record = ReminderSent.objects.create(
        **{key: the_return},
        reminder=due.reminder,
        state_key=due.state_key,
        recipients=", ".join(to),
        sent_at=timezone.now(),
    )
    send_mail(due.subject, due.body, settings.DEFAULT_FROM_EMAIL, to)
    audit_record(actor=None, action="reminder_send", obj=record, after=snapshot(record))
    return record
