"""What governance puts on a person's home page (collected by ``core.todo``).

For the owner of an action (a user of the service): their actions that are overdue
(``rules.is_overdue``). For the owner of an action plan: the open actions with no progress note
for the current quarter, due by the quarter's end.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.urls import reverse
from django.utils import timezone

from stepchange.core import periods
from stepchange.core.todo import Item, ToDo
from stepchange.governance import access, rules
from stepchange.governance.models import ProgressNote


def overdue_actions(user: Any, now: datetime.datetime) -> list[Item]:
    today = timezone.localdate(now)
    actions = (
        access.actions_visible_to(user)
        .filter(owner_user=user)
        .exclude(status__in=rules.FINISHED)
        .order_by("due_on", "pk")
    )
    return [
        Item(a.title, reverse("governance:action", args=[a.pk]), deadline=a.due_on, late=True)
        for a in actions
        if rules.is_overdue(due_on=a.due_on, status=a.status, today=today)
    ]


def notes_due(user: Any, now: datetime.datetime) -> list[Item]:
    quarter = periods.quarter_containing(timezone.localdate(now))
    items = []
    for plan in access.plans_owned_by(user).order_by("title"):
        noted = ProgressNote.objects.filter(
            action__objective__plan=plan, year=quarter.year, quarter=quarter.number
        ).values("action_id")
        waiting = (
            access.actions_visible_to(user)
            .filter(objective__plan=plan)
            .exclude(status__in=rules.FINISHED)
            .exclude(pk__in=noted)
            .count()
        )
        if waiting:
            items.append(
                Item(
                    f"Note {quarter.label} progress on {plan.title}",
                    reverse("governance:plan", args=[plan.pk]),
                    deadline=quarter.end,
                    count=waiting,
                    count_of="actions without a note",
                )
            )
    return items


TODOS = [
    ToDo(
        85,
        "overdue-actions",
        "Your overdue actions",
        access.owns_actions,
        overdue_actions,
        "None of your actions is overdue.",
    ),
    ToDo(
        86,
        "progress-notes",
        "Progress notes due this quarter",
        access.owns_plans,
        notes_due,
        "Every open action of your plans has its note for this quarter.",
    ),
]
