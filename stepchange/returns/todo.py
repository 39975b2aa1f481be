"""What the returns app puts on a person's home page (collected by ``core.todo``).

For whoever fills returns in (``access.fills_in_returns``), their own returns (``own_returns``):
due, returned for correction, and recently approved. For whoever signs returns off
(``access.signs_off_returns``), the returns of the kinds they sign off in their region
(``returns_approvable_by``): waiting for review, and overdue. For whoever reviews the
organisations proposed in prison returns (``access.reviews_proposals``), the names waiting for a
decision (``selectors.proposals_awaiting_review``), as one link to the review queue.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from stepchange.core.todo import Item, ToDo
from stepchange.returns.access import (
    MODELS,
    fills_in_returns,
    own_returns,
    return_kinds_signed_off_by,
    returns_approvable_by,
    reviews_proposals,
    signs_off_returns,
)
from stepchange.returns.selectors import proposals_awaiting_review

# A return approved within this many days is still listed to the people who filled it in.
RECENTLY_APPROVED_DAYS = 30


def _current(returns: QuerySet[Any]) -> QuerySet[Any]:
    """Returns of a round that have not been replaced by a correction."""
    return returns.filter(round__isnull=False, superseded_at__isnull=True).select_related(
        "round__year", "commissioner__organisation"
    )


def _own(user: Any) -> Iterable[QuerySet[Any]]:
    return (_current(own_returns(user, kind)) for kind in MODELS)


def _signed_off(user: Any) -> Iterable[QuerySet[Any]]:
    return (_current(returns_approvable_by(user, kind)) for kind in return_kinds_signed_off_by(user))


def _by_deadline(items: list[tuple[Any, Item]]) -> list[Item]:
    return [item for _, item in sorted(items, key=lambda pair: pair[0])]


def returns_due(user: Any, now: datetime.datetime) -> list[Item]:
    """The person's own returns not yet submitted (not started or in draft), soonest deadline first;
    one past its deadline is marked late (``is_overdue``)."""
    today = timezone.localdate(now)
    found = []
    for returns in _own(user):
        for the_return in returns.filter(submitted_at__isnull=True, approved_at__isnull=True, returned_at__isnull=True):
            item = Item(
                text=f"{the_return.round} for {the_return.commissioner.name}",
                url=the_return.get_absolute_url(),
                deadline=the_return.deadline,
                late=the_return.is_overdue(today),
            )
            found.append(((the_return.deadline, item.text), item))
    return _by_deadline(found)


def returns_returned(user: Any, now: datetime.datetime) -> list[Item]:
    """The person's own returns sent back for correction and not yet submitted again, with why."""
    found = []
    for returns in _own(user):
        sent_back = returns.filter(returned_at__isnull=False, submitted_at__isnull=True, approved_at__isnull=True)
        for the_return in sent_back:
            item = Item(
                text=f"{the_return.round} for {the_return.commissioner.name}",
                url=the_return.get_absolute_url(),
                deadline=the_return.deadline,
                note=f"Returned on {timezone.localdate(the_return.returned_at):%-d %B %Y}: {the_return.returned_reason}",
            )
            found.append(((the_return.deadline, item.text), item))
    return _by_deadline(found)


def returns_approved(user: Any, now: datetime.datetime) -> list[Item]:
    """The person's own returns approved in the last ``RECENTLY_APPROVED_DAYS`` days, newest first."""
    since = now - datetime.timedelta(days=RECENTLY_APPROVED_DAYS)
    found = []
    for returns in _own(user):
        for the_return in returns.filter(approved_at__gte=since, approved_at__lte=now):
            item = Item(
                text=f"{the_return.round} for {the_return.commissioner.name}",
                url=the_return.get_absolute_url(),
                deadline=timezone.localdate(the_return.approved_at),
                deadline_label="Approved on",
            )
            found.append(((-the_return.approved_at.timestamp(), item.text), item))
    return _by_deadline(found)


def returns_to_review(user: Any, now: datetime.datetime) -> list[Item]:
    """Returns of the kinds the person signs off, submitted and waiting for approval or return
    (``awaits_sign_off``), longest waiting first; one submitted after its deadline is marked late."""
    found = []
    for returns in _signed_off(user):
        for the_return in returns.filter(submitted_at__isnull=False, approved_at__isnull=True):
            item = Item(
                text=f"{the_return.commissioner.name}: {the_return.round}",
                url=the_return.get_absolute_url(),
                deadline=the_return.submitted_on,
                deadline_label="Submitted on",
                late=the_return.is_late,
            )
            found.append(((the_return.submitted_at, item.text), item))
    return _by_deadline(found)


def returns_overdue(user: Any, now: datetime.datetime) -> list[Item]:
    """Returns of the kinds the person signs off, past their deadline and not submitted
    (``is_overdue``), the longest overdue first."""
    today = timezone.localdate(now)
    found = []
    for returns in _signed_off(user):
        unsubmitted = returns.filter(
            submitted_at__isnull=True, approved_at__isnull=True, returned_at__isnull=True, round__deadline__lt=today
        )
        for the_return in unsubmitted:
            if not the_return.is_overdue(today):
                continue
            item = Item(
                text=f"{the_return.commissioner.name}: {the_return.round}",
                url=the_return.get_absolute_url(),
                deadline=the_return.deadline,
                late=True,
            )
            found.append(((the_return.deadline, item.text), item))
    return _by_deadline(found)


def proposals_to_review(user: Any, now: datetime.datetime) -> list[Item]:
    """The organisations proposed in the prison returns the person reviews and nobody has decided
    yet: one link to the queue with how many there are, or nothing when none waits."""
    waiting = proposals_awaiting_review(user)
    if not waiting.count:
        return []
    return [
        Item(
            text="Organisations proposed in prison returns",
            url=reverse("returns:proposals"),
            count=waiting.count,
            count_of="waiting for a decision",
        )
    ]


TODOS = [
    ToDo(10, "returns-due", "Returns to fill in", fills_in_returns, returns_due, "No return is due."),
    ToDo(
        11,
        "returns-returned",
        "Returned for correction",
        fills_in_returns,
        returns_returned,
        "No return has been sent back.",
    ),
    ToDo(
        12,
        "returns-approved",
        f"Approved in the last {RECENTLY_APPROVED_DAYS} days",
        fills_in_returns,
        returns_approved,
        "None approved recently.",
    ),
    ToDo(20, "returns-review", "Returns to review", signs_off_returns, returns_to_review, "No return is waiting."),
    ToDo(21, "returns-overdue", "Overdue returns", signs_off_returns, returns_overdue, "No return is overdue."),
    ToDo(
        22,
        "returns-proposals",
        "Organisations proposed for the directory",
        reviews_proposals,
        proposals_to_review,
        "No proposed organisation is waiting for a decision.",
    ),
]
