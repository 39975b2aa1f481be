"""The service navigation: the same few places for everyone, and the work of each role.

Each app declares its own entries in its ``navigation.py`` (``ENTRIES``), each with the predicate
from its own ``access.py`` that decides who is offered it; this module collects them through the
app registry and imports no app itself. ``position`` orders the entries (Home 10, Opportunities
20, Reports 30, Funding 35, Contracts 40, Organisations 50, Evaluations 60, Returns 70, Monitoring
72, People 80, and Manage or Grants 90, Imports 95).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from typing import Any

from django.apps import apps
from django.http import HttpRequest
from django.urls import reverse
from django.utils.module_loading import module_has_submodule


@dataclass(frozen=True)
class Entry:
    """A place the navigation offers, at ``position``, to whoever ``shown_to`` says (None: everyone)."""

    position: int
    label: str
    url_name: str
    shown_to: Callable[[Any], bool] | None = None


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    active: bool


ENTRIES = [Entry(10, "Home", "core:home")]


@functools.cache
def declared_entries() -> tuple[Entry, ...]:
    """Every entry the service's apps declare, in position order."""
    found: list[Entry] = []
    for config in apps.get_app_configs():
        # The service's own apps only: a third-party app's module of that name is not ours to read.
        if config.name.startswith("stepchange.") and module_has_submodule(config.module, "navigation"):
            found.extend(import_module(f"{config.name}.navigation").ENTRIES)
    return tuple(sorted(found, key=lambda entry: entry.position))


def navigation_for(request: HttpRequest) -> list[NavItem]:
    user = request.user
    entries = [
        (entry.label, reverse(entry.url_name))
        for entry in declared_entries()
        if entry.shown_to is None or entry.shown_to(user)
    ]
    path = request.path
    # One entry is the current page's: the longest that the path starts with (Evaluations, not
    # Opportunities, for /opportunities/evaluations/), so only one link says aria-current="page".
    matching = [url for _, url in entries if (path == url if url == "/" else path.startswith(url))]
    current = max(matching, key=len, default=None)
    return [NavItem(label=label, url=url, active=url == current) for label, url in entries]
