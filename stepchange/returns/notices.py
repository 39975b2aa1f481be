"""What the people filling a return are told, and why: the notifications of the returns' events.

Each event has its key, so that telling of it twice tells nobody twice: a return returned for
correction is keyed by the moment it was sent back, which is also what the daily reminders key a
returned return by (stepchange/returns/reminders.py), so the reminder of that state adds nothing
to the message its sending back already wrote.
"""

from __future__ import annotations

from typing import Any

from stepchange.notifications.services import notify
from stepchange.returns.access import people_filling


def _what(the_return: Any) -> str:
    return (
        f"the {the_return.round} return for {the_return.commissioner.name}"
        if the_return.round_id
        else (f"the {the_return.kind} return for {the_return.commissioner.name}")
    )


def _why(the_return: Any) -> str:
    return f"You fill in {the_return.commissioner.name}'s {the_return.kind} returns."


def returned_key(the_return: Any) -> str:
    return f"return-returned:{the_return.kind}:{the_return.pk}:{the_return.returned_at.isoformat()}"


def returned(the_return: Any) -> None:
    notify(
        event_key=returned_key(the_return),
        kind="return_returned",
        recipients=people_filling(the_return),
        subject=f"Returned for correction: {_what(the_return)}",
        body=f"Your return was returned for correction: {the_return.returned_reason}\n"
        "Please correct it and submit it again.",
        link=the_return.get_absolute_url(),
        why=_why(the_return),
    )


def approved(the_return: Any) -> None:
    notify(
        event_key=f"return-approved:{the_return.kind}:{the_return.pk}",
        kind="return_approved",
        recipients=people_filling(the_return),
        subject=f"Approved: {_what(the_return)}",
        body=f"{_what(the_return).capitalize()} was approved on {the_return.approved_at:%-d %B %Y}.",
        link=the_return.get_absolute_url(),
        why=_why(the_return),
    )


def reminder(the_return: Any, *, reminder: str, state_key: str, subject: str, body: str) -> None:
    """A daily reminder of a return's state (a returned one's is its sending back's message)."""
    event_key = (
        returned_key(the_return)
        if reminder == "returned"
        else f"return-{reminder}:{the_return.kind}:{the_return.pk}:{state_key}"
    )
    notify(
        event_key=event_key,
        kind="return_returned" if reminder == "returned" else "return_deadline",
        recipients=people_filling(the_return),
        subject=subject,
        body=body,
        link=the_return.get_absolute_url(),
        why=_why(the_return),
    )
