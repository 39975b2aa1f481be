"""The oracle of the burden app: the monitoring requests (on the unanswered request of
tests/access/burden.py: South Yorkshire probation asks Acorn) and the provider burden by organisation."""

from __future__ import annotations

from collections.abc import Callable

from tests.access.oracle.base import COMMISSIONER_MANAGERS, Case, guarded
from tests.access.world import World

# The providers' people, who answer the requests their organisation is asked as a contract's prime.
PROVIDERS = frozenset({"dave", "erin", "nora"})
# The request on SY: those who manage the contract (Alice the region's, Bob his area's, Root) and
# the prime's people (Dave, of Acorn).
SY_REQUEST = frozenset({"alice", "bob", "root", "dave"})


ORACLE: dict[str, Callable[[World], list[Case]]] = {
    # The regional commissioners see every organisation's row of their region, a provider its own.
    "burden:index": lambda w: [guarded("by organisation", {"alice", "nick", "root"} | PROVIDERS)],
    "burden:requests": lambda w: [guarded("requests", COMMISSIONER_MANAGERS | PROVIDERS)],
    "burden:ask": lambda w: [guarded("ask", COMMISSIONER_MANAGERS)],
    "burden:request": lambda w: [guarded("request", SY_REQUEST, pk=w.monitoring.pk)],
    # Only the prime's people answer it.
    "burden:answer": lambda w: [guarded("answer", {"dave"}, pk=w.monitoring.pk)],
}
