"""What community engagement puts on a co-ordinator's home page (collected by ``core.todo``): the
links of their establishment whose annual review is overdue (``rules.review_overdue``)."""

from __future__ import annotations

import datetime
from typing import Any

from django.urls import reverse
from django.utils import timezone

from stepchange.core.todo import Item, ToDo
from stepchange.engagement import access, selectors


def overdue_reviews(user: Any, now: datetime.datetime) -> list[Item]:
    today = timezone.localdate(now)
    links = access.links_visible_to(user).filter(establishment__in=access.establishments_kept_by(user))
    return [
        Item(
            text=f"Review the link with {row.link.partner_name}",
            url=reverse("engagement:link", args=[row.link.pk]),
            deadline=row.due_on,
            deadline_label="Review was due",
            late=True,
        )
        for row in selectors.link_rows(links, today)
        if row.overdue
    ]


TODOS = [
    ToDo(
        30,
        "engagement-reviews",
        "Community-engagement links overdue for review",
        access.keeps_own_records,
        overdue_reviews,
        "No link is overdue for its annual review.",
    )
]
