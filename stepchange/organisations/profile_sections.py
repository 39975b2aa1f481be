"""What other apps show on an organisation's profile: the contracts it holds, its partnerships.

Those records belong to apps above this one, which decide who may see them; each declares its
sections in its own ``organisation_profile.py`` (``SECTIONS``), and this module collects them through the app
registry, as the navigation is collected, importing no app itself.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from typing import Any

from django.apps import apps
from django.utils.module_loading import module_has_submodule


@dataclass(frozen=True)
class Row:
    """One line of a section: ``text`` links to ``url``, or is plain text when ``url`` is empty (a
    page the viewer may not open)."""

    text: str
    url: str
    detail: str


@dataclass(frozen=True)
class Section:
    """A titled list on the profile; ``rows`` gives the rows this viewer may see (ordered by position).

    ``shown``, when given, is the owning app's access predicate (viewer, organisation) saying whether
    the viewer sees the section at all; without it everyone sees the title, and ``empty`` when they
    may see no row.
    """

    position: int
    title: str
    empty: str
    rows: Callable[[Any, Any], list[Row]]
    shown: Callable[[Any, Any], bool] | None = None


@functools.cache
def declared_sections() -> tuple[Section, ...]:
    found: list[Section] = []
    for config in apps.get_app_configs():
        if config.name.startswith("stepchange.") and module_has_submodule(config.module, "organisation_profile"):
            found.extend(import_module(f"{config.name}.organisation_profile").SECTIONS)
    return tuple(sorted(found, key=lambda section: section.position))


def sections_for(user: Any, organisation: Any) -> list[tuple[Section, list[Row]]]:
    return [
        (section, section.rows(user, organisation))
        for section in declared_sections()
        if section.shown is None or section.shown(user, organisation)
    ]
