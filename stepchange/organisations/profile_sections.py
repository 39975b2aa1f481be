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
    text: str
    url: str
    detail: str


@dataclass(frozen=True)
class Section:
    """A titled list on the profile; ``rows`` gives the rows this viewer may see (ordered by position)."""

    position: int
    title: str
    empty: str
    rows: Callable[[Any, Any], list[Row]]


@functools.cache
def declared_sections() -> tuple[Section, ...]:
    found: list[Section] = []
    for config in apps.get_app_configs():
        if config.name.startswith("stepchange.") and module_has_submodule(config.module, "organisation_profile"):
            found.extend(import_module(f"{config.name}.organisation_profile").SECTIONS)
    return tuple(sorted(found, key=lambda section: section.position))


def sections_for(user: Any, organisation: Any) -> list[tuple[Section, list[Row]]]:
    return [(section, section.rows(user, organisation)) for section in declared_sections()]
