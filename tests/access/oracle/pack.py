"""The oracle of the steering group's packs (tests/access/packs.py).

A region's packs are its regional commissioner's (Alice; Nick in the North East): they read them,
follow one being built and see one that failed; nobody else of the region reads them; the national administrator (Nadia) and Root read every region's. Only a region's
regional commissioner asks for a pack (Alice, Nick): the list's POST is theirs.
"""

from __future__ import annotations

from collections.abc import Callable

from tests.access.oracle.base import NOT_ALLOWED, SIGN_IN, SIGNED_IN, Case, allowed
from tests.access.world import PERSONAS, World

GET_ONLY = {p: SIGN_IN if p == "signed out" else NOT_ALLOWED for p in PERSONAS}
YH_READERS = frozenset({"alice", "root", "nadia"})
NE_READERS = frozenset({"nick", "root", "nadia"})
FOLLOWERS = frozenset({"alice", "root", "nadia"})


def _pages(w: World, *, pdf: bool) -> list[Case]:
    p = w.packs
    return [
        Case("finished YH pack", {"pk": p.finished.pk}, get=allowed(YH_READERS), post=GET_ONLY),
        Case("finished NE pack", {"pk": p.north_east.pk}, get=allowed(NE_READERS), post=GET_ONLY),
        # Its PDF is not there until it is built: a 404 even for those who follow it.
        Case("YH pack being built", {"pk": p.building.pk}, get=allowed(set() if pdf else FOLLOWERS), post=GET_ONLY),
        Case("YH pack that failed", {"pk": p.failed.pk}, get=allowed(set() if pdf else FOLLOWERS), post=GET_ONLY),
    ]


ORACLE: dict[str, Callable[[World], list[Case]]] = {
    "pack:index": lambda w: [Case("packs", {}, get=allowed(SIGNED_IN), post=allowed({"alice", "nick"}))],
    "pack:detail": lambda w: _pages(w, pdf=False),
    "pack:pdf": lambda w: _pages(w, pdf=True),
}
