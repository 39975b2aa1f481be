"""The sections of the steering group's quarterly pack, declared by the apps that own the figures.

The pack is what the regional steering group reads each quarter: the probation share and its
trend, prison provision, commissioning in the quarter, capacity-building reach, the action plan
with its RAG ratings, the sub-contracting projection. Each of those belongs to an app above this
one, which computes it with its own selectors (the same ones its pages use, so a figure in the
pack equals the figure on the page). Each such app declares its sections in its own ``pack.py``
(``SECTIONS``), and this module collects them through the app registry, as the navigation and the
organisation profile are collected, importing no app itself.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from importlib import import_module
from typing import Any

from django.apps import apps
from django.utils.module_loading import module_has_submodule

from stepchange.core.models import Region
from stepchange.core.periods import Quarter


@dataclass(frozen=True)
class PackSection:
    """One section of the pack.

    ``build(region, quarter)`` gives the section's context: its figures and tables for the region as
    they stood at the quarter's end, from the owning app's selectors. ``template`` renders that
    context; the same template serves the HTML page and the PDF, so it writes every chart beside a
    table of the same data. ``position`` orders the sections; ``slug`` names one (an anchor, a test).
    """

    position: int
    slug: str
    title: str
    build: Callable[[Region, Quarter], Mapping[str, Any]]
    template: str


def figures_date(quarter: Quarter) -> datetime.date:
    """The date a pack's figures stand at: the first day after the quarter, the date of the quarterly
    returns that report it (the region's report of 1 October 2006 is its second quarter's). Every
    section reads its figures at this date, unless it reports the quarter's own activity (events held,
    opportunities published, prison returns of the quarter), which it takes from the quarter's days."""
    return quarter.end + datetime.timedelta(days=1)


@functools.cache
def declared_sections() -> tuple[PackSection, ...]:
    found: list[PackSection] = []
    for config in apps.get_app_configs():
        if config.name.startswith("stepchange.") and module_has_submodule(config.module, "pack"):
            found.extend(import_module(f"{config.name}.pack").SECTIONS)
    return tuple(sorted(found, key=lambda section: section.position))
