"""Where a bulletin's items come from: the sources the apps declare, collected like ``core.todo``.

Each app with something to announce declares it in its own ``bulletins.py``, as ``SOURCES``: a list
of ``Source``, each a key (the kind of item a subscriber ticks), a label, and two functions of the
app's own: ``published_between`` lists the items of a region published in a period (a digest
gathers them) and ``item`` finds one item by its key (an alert announces it). This module imports
no app: the apps above bulletins (commissioning, capacity, funding) import it, so the
dependency points down (docs/apps.md).

An item says which pathways and which areas (commissioners' ids) it is for; an empty set means
every pathway, or the whole region. It carries what a message and the archive show of it, so that
a bulletin keeps what was announced even when the item changes later.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import import_module

from django.apps import apps
from django.utils.module_loading import module_has_submodule


@dataclass(frozen=True)
class Item:
    source: str
    key: str
    title: str
    summary: str
    # A path of the service (the message makes it absolute).
    url: str
    published_at: datetime.datetime
    region_id: int
    pathway_ids: frozenset[int] = frozenset()
    area_ids: frozenset[int] = frozenset()
    # How the pathways and areas read ("Accommodation; Health"), for the message and the archive.
    pathways_text: str = ""
    areas_text: str = ""


@dataclass(frozen=True)
class Source:
    """A kind of item: ``key`` is what subscribers choose; ``position`` orders the kinds in a message."""

    position: int
    key: str
    label: str
    hint: str
    published_between: Callable[[int, datetime.datetime, datetime.datetime], Sequence[Item]]
    item: Callable[[str], Item | None]


@functools.cache
def declared_sources() -> tuple[Source, ...]:
    """Every source the service's apps declare, in position order."""
    found: list[Source] = []
    for config in apps.get_app_configs():
        if config.name.startswith("stepchange.") and module_has_submodule(config.module, "bulletins"):
            found.extend(import_module(f"{config.name}.bulletins").SOURCES)
    return tuple(sorted(found, key=lambda source: source.position))


def source_keys() -> list[str]:
    return [source.key for source in declared_sources()]


def source_named(key: str) -> Source | None:
    return next((source for source in declared_sources() if source.key == key), None)


def items_between(region_id: int, start: datetime.datetime, end: datetime.datetime) -> list[Item]:
    """The items of every source published in the region after ``start``, up to and including ``end``."""
    found: list[Item] = []
    for source in declared_sources():
        found.extend(source.published_between(region_id, start, end))
    return found
