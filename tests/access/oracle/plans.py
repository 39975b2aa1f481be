"""The oracle of sub-contracting plans, on the plans of tests/access/plans.py."""

from __future__ import annotations

from collections.abc import Callable

from tests.access.oracle.base import SIGNED_IN, Case, _in, guarded
from tests.access.world import World

# An area's plans: its probation manager, the region's commissioner, the national administrator, Root.
SYPA_READERS = frozenset({"alice", "bob", "root", "nadia"})
WYPA_READERS = frozenset({"alice", "carol", "root", "nadia"})
NEPA_READERS = frozenset({"nick", "olga", "root", "nadia"})
# The area drafts and changes its own plan (Root any); the regional team never does.
SYPA_DRAFTERS = frozenset({"bob", "root"})
# The region's commissioner decides a submitted plan (Root any).
YH_DECIDERS = frozenset({"alice", "root"})
# The roll-up: the regional commissioners (their own region), the national administrator, Root.
ROLLUP = frozenset({"alice", "nick", "root", "nadia"})


def _draft(w: World) -> int:
    return w.plans.draft.pk


ORACLE: dict[str, Callable[[World], list[Case]]] = _in(
    "plans",
    {
        "plans:index": lambda w: [guarded("Sub-contracting plans", SIGNED_IN)],
        # Whoever drafts an area's plans: the areas' probation managers, and Root.
        "plans:create": lambda w: [guarded("Start a sub-contracting plan", {"bob", "carol", "olga", "root"})],
        "plans:rollup": lambda w: [guarded("Sub-contracting projection", ROLLUP)],
        "plans:rollup-csv": lambda w: [guarded("", ROLLUP)],
        "plans:detail": lambda w: [
            guarded("South Yorkshire", SYPA_READERS, pk=_draft(w)),
            guarded("West Yorkshire", WYPA_READERS, pk=w.plans.submitted.pk),
            guarded("North East", NEPA_READERS, pk=w.plans.north_east.pk),
        ],
        "plans:version": lambda w: [guarded("South Yorkshire", SYPA_READERS, pk=w.plans.approved.pk, number=1)],
        "plans:notes": lambda w: [guarded("notes", SYPA_DRAFTERS, pk=_draft(w))],
        "plans:planned-add": lambda w: [guarded("planned contract", SYPA_DRAFTERS, pk=_draft(w))],
        "plans:planned-edit": lambda w: [guarded("planned contract", SYPA_DRAFTERS, pk=_draft(w), line=1)],
        "plans:planned-remove": lambda w: [guarded("Mentoring", SYPA_DRAFTERS, pk=_draft(w), line=1)],
        "plans:other-add": lambda w: [guarded("secondment", SYPA_DRAFTERS, pk=_draft(w))],
        "plans:other-remove": lambda w: [guarded("Acorn", SYPA_DRAFTERS, pk=_draft(w), line=2)],
        "plans:submit": lambda w: [
            guarded("Submit", SYPA_DRAFTERS, pk=_draft(w)),
            # Submitted already: nobody submits it again.
            guarded("Submit", set(), pk=w.plans.submitted.pk),
        ],
        "plans:approve": lambda w: [
            guarded("Approve", YH_DECIDERS, pk=w.plans.submitted.pk),
            # A draft is not for approval yet.
            guarded("Approve", set(), pk=_draft(w)),
        ],
        "plans:send-back": lambda w: [guarded("Send the plan back", YH_DECIDERS, pk=w.plans.submitted.pk)],
        "plans:revise": lambda w: [guarded("Revise", SYPA_DRAFTERS, pk=w.plans.approved.pk)],
    },
)
