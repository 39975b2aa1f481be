"""The oracle of the notifications pages: each person's own, nobody else's, not even Root's."""

from __future__ import annotations

from collections.abc import Callable

from django.utils import timezone

from stepchange.notifications.models import Notification
from tests.access.oracle.base import SIGNED_IN, Case, allowed, guarded
from tests.access.world import World


def _franks(w: World) -> Notification:
    """A notification of Frank's (the prison co-ordinator) about his return."""
    return Notification.objects.create(
        event_key="oracle-frank",
        kind="return_returned",
        recipient=w.cast.frank,
        subject="Returned for correction: HMP Leeds",
        body="Check ETE.",
        link="/returns/",
        why="You fill in HMP Leeds's prison returns.",
        created_at=timezone.now(),
        email_to=w.cast.frank.email,
    )


ORACLE: dict[str, Callable[[World], list[Case]]] = {
    # Everyone signed in has their own list and choices.
    "notifications:list": lambda w: [guarded("own list", SIGNED_IN)],
    # Choosing which to get: a POST without the kinds the page shows changes nothing (the page again,
    # with the error).
    "notifications:preferences": lambda w: [guarded("own choices", SIGNED_IN)],
    # Only Frank opens Frank's; opening it marks it read (no version, no new row).
    "notifications:detail": lambda w: [
        Case("Frank's", {"pk": _franks(w).pk}, get=allowed({"frank"}), post=allowed({"frank"}))
    ],
}
