"""The oracle's vocabulary: outcomes, personas' groups and the ``Case`` a URL is checked with."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tests.access.world import PERSONAS, World

OK, NOT_FOUND, SIGN_IN, NOT_ALLOWED, AWAY = "ok", "404", "sign-in", "405", "redirect"
# The API's answer to a request that needs a token and has none (a session is not one).
UNAUTHORISED = "401"
EVERYONE = frozenset(PERSONAS)
SIGNED_IN = EVERYONE - {"signed out"}
# The regional commissioners, each of their own region (Alice Yorkshire and Humberside's, Nick the
# North East's), and Root.
REGION_MANAGERS = frozenset({"alice", "nick", "root"})
# Those who manage Yorkshire and Humberside's own records: Alice and Root.
YH_MANAGERS = frozenset({"alice", "root"})
# Those who manage at least one commissioner's contracts and grants: Alice and Nick their region's,
# Bob, Carol and Olga their own areas', Root everyone's.
COMMISSIONER_MANAGERS = frozenset({"alice", "bob", "carol", "nick", "olga", "root"})
INVALID = {"deliberately": "invalid"}


def allowed(ok: set[str] | frozenset[str], *, signed_out: str = SIGN_IN) -> dict[str, str]:
    """``ok`` for the named personas; the rest get a 404, someone signed out ``signed_out``."""
    return {p: OK if p in ok else signed_out if p == "signed out" else NOT_FOUND for p in PERSONAS}


def everyone(outcome: str) -> dict[str, str]:
    return dict.fromkeys(PERSONAS, outcome)


@dataclass
class Case:
    label: str
    kwargs: dict[str, Any]
    get: dict[str, str]
    # What a POST gets. Pages that only read answer a POST as a GET and change nothing.
    post: dict[str, str]
    data: dict[str, str] = field(default_factory=lambda: dict(INVALID))
    # The POST of those it is "ok" for may really change something (confirm a membership, withdraw
    # a bid, log the opening of a bid, remove a sub-contract), so it is not compared with the
    # fingerprint. Every request of the matrix is rolled back afterwards.
    rollback: bool = False


def public(label: str, **kwargs: Any) -> Case:
    return Case(label, kwargs, get=everyone(OK), post=everyone(OK))


def read_only(label: str, get: dict[str, str] | None = None, **kwargs: Any) -> Case:
    """A page, download or API URL that only reads: a POST is a method it does not take (405, for
    everyone, whatever the GET gives: ``get``, everyone ``ok`` unless given)."""
    return Case(label, kwargs, get=everyone(OK) if get is None else get, post=everyone(NOT_ALLOWED))


def guarded(label: str, ok: set[str] | frozenset[str], **kwargs: Any) -> Case:
    """A page behind sign-in that only ``ok`` reach; it takes POST (a form, or a list answering as a GET)."""
    return Case(label, kwargs, get=allowed(ok), post=allowed(ok))


def post_only(label: str, ok: set[str] | frozenset[str], *, rollback: bool = False, **kwargs: Any) -> Case:
    """A button's target: a GET is refused (after sign-in), a POST is ``ok`` for the named personas."""
    return Case(
        label,
        kwargs,
        get={p: SIGN_IN if p == "signed out" else NOT_ALLOWED for p in PERSONAS},
        post=allowed(ok),
        rollback=rollback,
    )


def _in(part: str, entries: dict[str, Callable[[World], list[Case]]]) -> dict[str, Callable[[World], list[Case]]]:
    """The entries, each building its part of the world (tenders or rounds) first."""

    def building(cases: Callable[[World], list[Case]]) -> Callable[[World], list[Case]]:
        def build_then_list(w: World) -> list[Case]:
            getattr(w, part)
            return cases(w)

        return build_then_list

    return {name: building(cases) for name, cases in entries.items()}
