"""The oracle of capacity building, on the action learning set of tests/access/events.py."""

from __future__ import annotations

from collections.abc import Callable

from tests.access.oracle.base import REGION_MANAGERS, SIGNED_IN, YH_MANAGERS, Case, guarded, post_only
from tests.access.world import World

# Whoever works in Yorkshire and Humberside (their own region, their commissioner's or their
# organisation's) sees its events; Root sees every region's.
YH_PEOPLE = frozenset({"alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "root"})
PROVIDERS = frozenset({"dave", "erin", "nora"})


ORACLE: dict[str, Callable[[World], list[Case]]] = {
    # The index lists the events a person may see (none for someone of no region).
    "capacity:index": lambda w: [guarded("index", SIGNED_IN)],
    # A provider fills its own organisation's needs; nobody fills another's.
    "capacity:needs": lambda w: [guarded("own needs", PROVIDERS)],
    # The region's needs added up: its regional commissioners, and Root.
    "capacity:needs-summary": lambda w: [guarded("summary", REGION_MANAGERS)],
    # Setting up an event: a regional commissioner (or infrastructure body) of a region; Root has none.
    "capacity:event-create": lambda w: [guarded("new event", {"alice", "nick"})],
    "capacity:event": lambda w: [guarded("YH set", YH_PEOPLE, pk=w.events.event.pk)],
    # Changing and cancelling the event: the organiser and the region's commissioners, and Root.
    "capacity:event-change": lambda w: [guarded("YH set", YH_MANAGERS, pk=w.events.event.pk)],
    "capacity:event-cancel": lambda w: [guarded("YH set", YH_MANAGERS, pk=w.events.event.pk)],
    "capacity:book": lambda w: [post_only("YH set", YH_PEOPLE, rollback=True, pk=w.events.event.pk)],
    # Only one's own booking is cancelled: Erin's.
    "capacity:cancel": lambda w: [post_only("YH set", {"erin"}, rollback=True, pk=w.events.event.pk)],
    # Who came evaluates, from the first day on.
    "capacity:evaluate": lambda w: [guarded("YH set", {"erin"}, pk=w.events.event.pk)],
    # The organiser and the region's commissioners (Alice is both), and Root.
    "capacity:evaluations": lambda w: [guarded("YH set", YH_MANAGERS, pk=w.events.event.pk)],
    "capacity:attendance": lambda w: [guarded("YH set's first meeting", YH_MANAGERS, pk=w.events.session.pk)],
}
