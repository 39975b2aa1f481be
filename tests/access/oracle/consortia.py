"""The oracle of consortia, on the consortium of tests/access/consortia.py (Acorn its lead member)."""

from __future__ import annotations

from collections.abc import Callable

from tests.access.oracle.base import SIGNED_IN, Case, guarded
from tests.access.world import World

# Whoever works in Yorkshire and Humberside sees its consortia; Root sees every one.
YH_PEOPLE = frozenset({"alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "root"})
# The region's commissioner, the lead member's provider (Dave, of Acorn), and Root.
MANAGERS = frozenset({"alice", "dave", "root"})


ORACLE: dict[str, Callable[[World], list[Case]]] = {
    "consortia:index": lambda w: [guarded("index", SIGNED_IN)],
    # A regional commissioner of a region sets one up there; Root works in none.
    "consortia:create": lambda w: [guarded("new consortium", {"alice", "nick"})],
    "consortia:detail": lambda w: [guarded("consortium", YH_PEOPLE, pk=w.consortia.consortium.pk)],
    "consortia:edit": lambda w: [guarded("consortium", MANAGERS, pk=w.consortia.consortium.pk)],
    "consortia:member-add": lambda w: [guarded("consortium", MANAGERS, pk=w.consortia.consortium.pk)],
    "consortia:member-remove": lambda w: [
        guarded("Calder", MANAGERS, pk=w.consortia.consortium.pk, member=w.consortia.member.pk)
    ],
    # Only a lead member's provider links a partnership their organisation leads: not the regional
    # team (who may not know it exists), not Root. The tenders give Acorn partnerships to link.
    "consortia:link": lambda w: [guarded("consortium", {"dave"}, pk=w.consortia.consortium.pk)],
}
