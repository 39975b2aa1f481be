"""What the governance pages read, beyond what ``access`` scopes."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from stepchange.accounts.models import User
from stepchange.core.models import Region
from stepchange.governance import figures, rules
from stepchange.governance.models import Action, ActionPlan, ProgressNote, Rag
from stepchange.organisations.models import Commissioner, CommissionerKind


def people_of(region_id: int) -> QuerySet[User]:
    """The active users who work in a region: those an action or a membership may name."""
    return (
        User.objects.filter(is_active=True)
        .filter(
            Q(region_id=region_id)
            | Q(organisation__commissioner__region_id=region_id)
            | Q(organisation__region_id=region_id)
        )
        .order_by("first_name", "last_name", "username")
    )


def probation_areas_of(region_id: int) -> QuerySet[Commissioner]:
    return Commissioner.objects.filter(region_id=region_id, kind=CommissionerKind.PROBATION).select_related(
        "organisation"
    )


@dataclass
class ActionRow:
    action: Action
    overdue: bool
    latest_note: ProgressNote | None
    reading: figures.Reading | None


def action_rows(
    actions: list[Action], *, region: Region, today: datetime.date, cache: dict[Any, Any]
) -> list[ActionRow]:
    rows = []
    for action in actions:
        notes = list(action.notes.all())
        reading = None
        if action.figure and action.figure in figures.FIGURES and action.target is not None:
            reading = figures.read(
                action.figure, region=region, area=action.figure_area, target=action.target, cache=cache
            )
        rows.append(
            ActionRow(
                action=action,
                overdue=rules.is_overdue(due_on=action.due_on, status=action.status, today=today),
                latest_note=notes[0] if notes else None,
                reading=reading,
            )
        )
    return rows


def plan_actions(plan: ActionPlan) -> QuerySet[Action]:
    return (
        Action.objects.filter(objective__plan=plan)
        .select_related("owner_user", "figure_area__organisation", "objective")
        .prefetch_related("notes")
    )


def rag_counts(rags: list[str]) -> list[tuple[str, str, int]]:
    """(value, label, count) for red, amber and green, in that order."""
    return [(value, str(label), sum(1 for r in rags if r == value)) for value, label in Rag.choices]
