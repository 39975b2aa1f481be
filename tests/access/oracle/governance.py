"""The oracle of governance, on the plan and groups of tests/access/governance.py."""

from __future__ import annotations

from collections.abc import Callable

from tests.access.oracle.base import SIGNED_IN, YH_MANAGERS, Case, _in, guarded
from tests.access.world import World

# Everyone who works in Yorkshire and Humberside reads its action plan; Nadia (the national
# administrator) and Root read every region's.
PLAN_READERS = frozenset({"alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "root", "nadia"})
# Alice owns the plan; Bob owns the linked action and keeps it up to date.
ACTION_KEEPERS = frozenset({"alice", "bob", "root"})
# The steering group's members on the service (Alice, Carol, Dave), and Nadia and Root.
STEERING_READERS = frozenset({"alice", "carol", "dave", "root", "nadia"})
# Its chair's regional team and its secretariat (Carol) record its meetings, papers and decisions.
STEERING_RUNNERS = frozenset({"alice", "carol", "root"})
# Nobody of the cast is a member of the working group: only the regional team, Nadia and Root.
WORKING_READERS = frozenset({"alice", "root", "nadia"})
# A regional commissioner sets up a plan or a group in their own region; Root works in none.
COMMISSIONERS = frozenset({"alice", "nick"})


ORACLE: dict[str, Callable[[World], list[Case]]] = _in(
    "governance",
    {
        "governance:index": lambda w: [guarded("index", SIGNED_IN)],
        "governance:plan-create": lambda w: [guarded("new plan", COMMISSIONERS)],
        "governance:plan": lambda w: [guarded("plan", PLAN_READERS, pk=w.governance.plan.pk)],
        "governance:objective-add": lambda w: [guarded("plan", YH_MANAGERS, pk=w.governance.plan.pk)],
        "governance:action-add": lambda w: [
            guarded("objective 1", YH_MANAGERS, pk=w.governance.plan.pk, objective=w.governance.objective.pk)
        ],
        "governance:action": lambda w: [guarded("Bob's action", PLAN_READERS, pk=w.governance.action.pk)],
        "governance:action-update": lambda w: [guarded("Bob's action", ACTION_KEEPERS, pk=w.governance.action.pk)],
        "governance:note-add": lambda w: [guarded("Bob's action", ACTION_KEEPERS, pk=w.governance.action.pk)],
        "governance:group-create": lambda w: [guarded("new group", COMMISSIONERS)],
        "governance:group": lambda w: [
            guarded("steering group", STEERING_READERS, pk=w.governance.steering.pk),
            guarded("working group", WORKING_READERS, pk=w.governance.working.pk),
        ],
        "governance:member-add": lambda w: [guarded("steering group", YH_MANAGERS, pk=w.governance.steering.pk)],
        "governance:meeting-add": lambda w: [guarded("steering group", STEERING_RUNNERS, pk=w.governance.steering.pk)],
        "governance:meeting": lambda w: [guarded("meeting", STEERING_READERS, pk=w.governance.meeting.pk)],
        "governance:paper-add": lambda w: [guarded("meeting", STEERING_RUNNERS, pk=w.governance.meeting.pk)],
        "governance:decision-add": lambda w: [guarded("meeting", STEERING_RUNNERS, pk=w.governance.meeting.pk)],
        "governance:paper": lambda w: [guarded("paper", STEERING_READERS, pk=w.governance.paper.pk)],
    },
)
