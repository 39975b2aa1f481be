"""What every service of a return checks: the return's state, its lock and its version."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

from django.core.exceptions import ValidationError
from django.utils import timezone

from stepchange.core.concurrency import already_done, save_if_unchanged
from stepchange.returns.models import (
    PrisonReturn,
    ProbationReturn,
    Status,
)

# Either kind of return; a service given one kind gives back the same kind.
AnyReturn = TypeVar("AnyReturn", PrisonReturn, ProbationReturn)


# Two people at once ------------------------------------------------------------------------------

SUBMITTED_ACTIONS = ("return_submit", "return_submit_late", "return_submit_nil", "return_submit_nil_late")
# What each sign-off leaves the return as, the audit events that record it, and what it is in words.
DONE = {
    Status.SUBMITTED: (SUBMITTED_ACTIONS, "submitted this return"),
    Status.NIL: (SUBMITTED_ACTIONS, "submitted this return"),
    Status.APPROVED: (("return_approve",), "approved this return"),
    Status.RETURNED: (("return_send_back",), "returned this return for correction"),
}


def done_already(the_return: AnyReturn, *, wanted: Iterable[Status]) -> None:
    """If the return is already in one of the ``wanted`` states (what this request was about to
    bring it to), raise ``AlreadyDone`` saying who did it and when."""
    if the_return.status in set(wanted):
        actions, did = DONE[the_return.status]
        raise already_done(the_return, actions=actions, did=did, then="here it is.")


def _locked(the_return: AnyReturn, *, wanted: Iterable[Status]) -> AnyReturn:
    """The return's row, locked for this transaction (a second request doing the same waits here
    for the first to finish, then reads what it did): ``done_already`` on what it holds now."""
    current = type(the_return).objects.select_for_update().get(pk=the_return.pk)
    done_already(current, wanted=wanted)
    return current


# Filling in ---------------------------------------------------------------------------------------


def _editable(the_return: AnyReturn) -> None:
    if not the_return.is_open:
        raise ValidationError(
            f"This return is {the_return.status.label.lower()}: it cannot be changed. "
            "An approved return can be reopened as a correction."
        )


def _touch(the_return: AnyReturn, expected_version: int) -> None:
    """Mark the return as started and bump its version, refusing a stale edit."""
    save_if_unchanged(
        the_return, expected_version=expected_version, fields={"started_at": the_return.started_at or timezone.now()}
    )
