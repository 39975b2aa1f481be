"""The oracle of community engagement, on the records of tests/access/engagement.py: HMP Leeds's
(Frank its co-ordinator) and HMP Durham's (Pat its co-ordinator)."""

from __future__ import annotations

from collections.abc import Callable

from tests.access.oracle.base import SIGNED_IN, Case, _in, allowed, guarded
from tests.access.world import World

# Leeds's records: Frank, the Yorkshire and Humberside analyst (Grace) and commissioner (Alice), Root.
LEEDS_READERS = frozenset({"alice", "frank", "grace", "root"})
# Durham's: Pat, the North East's analyst (Rita) and commissioner (Nick), Root.
DURHAM_READERS = frozenset({"nick", "pat", "rita", "root"})
# Only the establishment's own co-ordinator keeps its records (and Root).
LEEDS_KEEPERS = frozenset({"frank", "root"})
DURHAM_KEEPERS = frozenset({"pat", "root"})
# The regional roll-up: the regional commissioners and the area analysts, and Root.
ROLL_UP = frozenset({"alice", "grace", "nick", "rita", "root"})


def _approve(label: str, ok: frozenset[str], pk: int) -> Case:
    """The approval page: its form's one field is optional, so an allowed POST approves (rolled back)."""
    return Case(label, {"pk": pk}, get=allowed(ok), post=allowed(ok), rollback=True)


def _both(label: str, leeds: frozenset[str], durham: frozenset[str], leeds_pk: int, durham_pk: int) -> list[Case]:
    return [guarded(f"Leeds {label}", leeds, pk=leeds_pk), guarded(f"Durham {label}", durham, pk=durham_pk)]


ORACLE: dict[str, Callable[[World], list[Case]]] = _in(
    "engagement",
    {
        # Everyone signed in reaches the index; it lists only the establishments they may see.
        "engagement:index": lambda w: [guarded("index", SIGNED_IN)],
        "engagement:gaps": lambda w: [guarded("regional gaps", ROLL_UP)],
        "engagement:establishment": lambda w: _both(
            "establishment", LEEDS_READERS, DURHAM_READERS, w.cast.leeds.pk, w.north.durham.pk
        ),
        "engagement:download": lambda w: _both(
            "links CSV", LEEDS_READERS, DURHAM_READERS, w.cast.leeds.pk, w.north.durham.pk
        ),
        "engagement:link-add": lambda w: _both(
            "new link", LEEDS_KEEPERS, DURHAM_KEEPERS, w.cast.leeds.pk, w.north.durham.pk
        ),
        "engagement:requirement-add": lambda w: _both(
            "new requirement", LEEDS_KEEPERS, DURHAM_KEEPERS, w.cast.leeds.pk, w.north.durham.pk
        ),
        "engagement:link": lambda w: _both(
            "link", LEEDS_READERS, DURHAM_READERS, w.engagement.link.pk, w.engagement.durham_link.pk
        ),
        "engagement:link-edit": lambda w: _both(
            "link", LEEDS_KEEPERS, DURHAM_KEEPERS, w.engagement.link.pk, w.engagement.durham_link.pk
        ),
        "engagement:link-review": lambda w: _both(
            "link", LEEDS_KEEPERS, DURHAM_KEEPERS, w.engagement.link.pk, w.engagement.durham_link.pk
        ),
        "engagement:link-end": lambda w: _both(
            "link", LEEDS_KEEPERS, DURHAM_KEEPERS, w.engagement.link.pk, w.engagement.durham_link.pk
        ),
        "engagement:action-add": lambda w: _both(
            "requirement",
            LEEDS_KEEPERS,
            DURHAM_KEEPERS,
            w.engagement.requirement.pk,
            w.engagement.durham_requirement.pk,
        ),
        # The area office analyst of the establishment's region approves its reviews (and Root).
        "engagement:review-approve": lambda w: [
            _approve("Leeds review", frozenset({"grace", "root"}), w.engagement.review.pk),
            _approve("Durham review", frozenset({"rita", "root"}), w.engagement.durham_review.pk),
        ],
        "engagement:action-edit": lambda w: [guarded("Leeds action", LEEDS_KEEPERS, pk=w.engagement.action.pk)],
    },
)
