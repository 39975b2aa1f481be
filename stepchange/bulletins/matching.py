"""Which of a bulletin's items a subscriber gets: one rule, used for digests and alerts alike.

An item is for a subscriber when its kind is one they chose, and it shares a pathway with their
pathways and an area with their areas. A subscriber who ticked no pathway (or no area) gets every
pathway (every area); an item for no pathway in particular (the whole region) is for everyone.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol, TypeVar

from stepchange.bulletins.models import Subscriber


class Announced(Protocol):
    source: str
    pathway_ids: list[int]
    area_ids: list[int]


@dataclass(frozen=True)
class Choices:
    kinds: frozenset[str]
    pathway_ids: frozenset[int]
    area_ids: frozenset[int]
    wants_alerts: bool

    @classmethod
    def of(cls, subscriber: Subscriber) -> Choices:
        """Read with ``prefetch_related("pathways", "areas")`` when there are many."""
        return cls(
            kinds=frozenset(subscriber.kinds),
            pathway_ids=frozenset(p.pk for p in subscriber.pathways.all()),
            area_ids=frozenset(a.pk for a in subscriber.areas.all()),
            wants_alerts=subscriber.wants_alerts,
        )


def _overlap(chosen: frozenset[int], of_item: Iterable[int]) -> bool:
    item = frozenset(of_item)
    return not chosen or not item or bool(chosen & item)


def is_for(choices: Choices, entry: Announced) -> bool:
    return (
        entry.source in choices.kinds
        and _overlap(choices.pathway_ids, entry.pathway_ids)
        and _overlap(choices.area_ids, entry.area_ids)
    )


E = TypeVar("E", bound=Announced)


def entries_for(choices: Choices, entries: Sequence[E]) -> list[E]:
    return [entry for entry in entries if is_for(choices, entry)]
