"""The action plan's section of the steering group's quarterly pack (collected by
``pack.sections``): for the region at a quarter, the actions by RAG and each objective's actions
with status, RAG and latest progress note, as they stood at the quarter's end.

An action written after the quarter's end is left out. Its RAG at the quarter is the RAG of its
latest progress note of that quarter or before; with no such note, the RAG it carries now. Its
status is the one it has now (statuses keep no history; the notes do)."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from stepchange.core.models import Region
from stepchange.core.periods import Quarter
from stepchange.governance import rules, selectors
from stepchange.governance.models import Action, ActionPlan, ProgressNote
from stepchange.pack.sections import PackSection


@dataclass(frozen=True)
class PackAction:
    action: Action
    rag: str
    note: ProgressNote | None
    overdue: bool


def _end_of(quarter: Quarter) -> datetime.datetime:
    day_after = quarter.end + datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime.combine(day_after, datetime.time.min))


def action_at(action: Action, quarter: Quarter) -> PackAction:
    """The action as it stood at the quarter's end (its notes prefetched, latest first)."""
    upto = rules.quarter_key(quarter.year, quarter.number)
    note = next((n for n in action.notes.all() if rules.quarter_key(n.year, n.quarter) <= upto), None)
    return PackAction(
        action=action,
        rag=note.rag if note else action.rag,
        note=note,
        overdue=rules.is_overdue(
            due_on=action.due_on, status=action.status, today=quarter.end + datetime.timedelta(days=1)
        ),
    )


def build(region: Region, quarter: Quarter) -> Mapping[str, Any]:
    plans = []
    for plan in ActionPlan.objects.filter(region=region).order_by("title"):
        actions = [action_at(a, quarter) for a in selectors.plan_actions(plan).filter(created_at__lt=_end_of(quarter))]
        objectives = [(o, [p for p in actions if p.action.objective_id == o.pk]) for o in plan.objectives.all()]
        plans.append(
            {
                "plan": plan,
                "rag_counts": selectors.rag_counts([p.rag for p in actions]),
                "overdue": sum(1 for p in actions if p.overdue),
                "objectives": objectives,
            }
        )
    return {"region": region, "quarter": quarter, "plans": plans}


SECTIONS = [PackSection(50, "action-plan", "The action plan", build, "governance/pack/_action_plan.html")]
