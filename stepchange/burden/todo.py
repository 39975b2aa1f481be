"""What monitoring puts on a provider's home page (collected by ``core.todo``): the monitoring
requests its organisation, as a contract's prime, has still to answer."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from stepchange.burden import access
from stepchange.core.todo import Item, ToDo


def requests_to_answer(user: Any, now: datetime.datetime) -> list[Item]:
    today = timezone.localdate(now)
    waiting = access.monitoring_requests_answerable_by(user).select_related("contract").order_by("due_on", "pk")
    return [
        Item(
            f"Answer the monitoring request on {r.contract.reference}",
            r.get_absolute_url(),
            deadline=r.due_on,
            deadline_label="Due",
            late=r.due_on < today,
        )
        for r in waiting
    ]


TODOS = [
    ToDo(
        84,
        "monitoring",
        "Monitoring requests to answer",
        access.may_answer_monitoring,
        requests_to_answer,
        "No monitoring request is waiting for your answer.",
    ),
]
