"""The home page's to-do lists: what needs each person now, assembled from what the apps declare.

Each app that has work to put in front of someone declares it in its own ``todo.py``, as ``TODOS``:
a list of ``ToDo``, each a heading, the predicate from the app's own ``access.py`` that says whom
the list is for (``shown_to``), and the app's selector that lists the person's items (``items``),
scoped by that app's own access functions. This module collects them through the app registry,
as ``navigation`` collects the navigation, and imports no app itself: it never decides who sees
what, it only asks.

``position`` orders the lists on the page (returns 10-39, commissioning 40-79). A list is shown to
everyone its predicate holds for, with what it says when it is empty (``empty``), so a person
learns that nothing waits on them as well as what does.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import import_module
from typing import Any

from django.apps import apps
from django.utils import timezone
from django.utils.module_loading import module_has_submodule


@dataclass(frozen=True)
class Item:
    """One thing to do: what it is, the page where it is done, and when it is due.

        ``deadline_label`` says what the date is ("Due", "Closed", "Answer by"); ``late`` marks a
        deadline already missed; ``count`` is how many things the one link stands for, ``count_of`` what they
        are ("bids to score"); ``days_left`` is said beside the date where the
    days count (a standstill); ``note`` is a short second line (a reason)."""

    text: str
    url: str
    deadline: datetime.date | None = None
    deadline_label: str = "Due"
    late: bool = False
    count: int | None = None
    count_of: str = ""
    days_left: int | None = None
    note: str = ""

    @property
    def shows_time(self) -> bool:
        """A moment (a stage's deadline) is shown with its time; a day (a return's) without."""
        return isinstance(self.deadline, datetime.datetime)


@dataclass(frozen=True)
class ToDo:
    """A list the home page offers, at ``position``, to whoever ``shown_to`` says; ``items`` lists
    the person's items at ``now``."""

    position: int
    key: str
    heading: str
    shown_to: Callable[[Any], bool]
    items: Callable[[Any, datetime.datetime], Sequence[Item]]
    empty: str = "Nothing at the moment."


@dataclass(frozen=True)
class ToDoList:
    key: str
    heading: str
    items: Sequence[Item]
    empty: str


# Core itself declares no list; it is collected like every app's (it is an app of the service).
TODOS: list[ToDo] = []


@functools.cache
def declared_todos() -> tuple[ToDo, ...]:
    """Every to-do list the service's apps declare, in position order."""
    found: list[ToDo] = []
    for config in apps.get_app_configs():
        # The service's own apps only, as for the navigation.
        if config.name.startswith("stepchange.") and module_has_submodule(config.module, "todo"):
            found.extend(import_module(f"{config.name}.todo").TODOS)
    return tuple(sorted(found, key=lambda todo: todo.position))


def todos_for(user: Any, now: datetime.datetime | None = None) -> list[ToDoList]:
    """The lists for this person, each with its items, in position order."""
    now = now or timezone.now()
    return [
        ToDoList(key=todo.key, heading=todo.heading, items=list(todo.items(user, now)), empty=todo.empty)
        for todo in declared_todos()
        if todo.shown_to(user)
    ]


def days_left(deadline: datetime.date, today: datetime.date) -> int:
    """Whole days from ``today`` to ``deadline`` (0 on the day, negative once it has passed)."""
    return (deadline - today).days
