"""What the plans app puts on a person's home page (collected by ``core.todo``): for a regional
commissioner, the plans of their region awaiting approval; for an area's probation manager, its
plans sent back and not yet submitted again."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from stepchange.core.todo import Item, ToDo
from stepchange.plans.access import (
    approves_plans,
    drafts_plans,
    versions_awaiting_decision_by,
    versions_sent_back_to,
)


def plans_awaiting_approval(user: Any, now: datetime.datetime) -> list[Item]:
    """Submitted versions waiting for the person's decision, longest waiting first."""
    versions = versions_awaiting_decision_by(user).select_related("plan__area", "plan__year").order_by("submitted_at")
    return [
        Item(
            text=f"{v.plan.area.name}: sub-contracting plan {v.plan.year}, version {v.number}",
            url=v.plan.get_absolute_url(),
            deadline=timezone.localdate(v.submitted_at),
            deadline_label="Submitted on",
        )
        for v in versions
    ]


def plans_sent_back(user: Any, now: datetime.datetime) -> list[Item]:
    """The person's area's versions sent back, with why."""
    versions = versions_sent_back_to(user).select_related("plan__area", "plan__year").order_by("returned_at")
    return [
        Item(
            text=f"Sub-contracting plan {v.plan.year}, version {v.number}",
            url=v.plan.get_absolute_url(),
            deadline=timezone.localdate(v.returned_at),
            deadline_label="Sent back on",
            note=v.returned_reason,
        )
        for v in versions
    ]


TODOS = [
    ToDo(
        92,
        "plans-approval",
        "Sub-contracting plans to approve",
        approves_plans,
        plans_awaiting_approval,
        "No plan is waiting for approval.",
    ),
    ToDo(
        93,
        "plans-sent-back",
        "Sub-contracting plans sent back",
        drafts_plans,
        plans_sent_back,
        "No plan has been sent back.",
    ),
]
