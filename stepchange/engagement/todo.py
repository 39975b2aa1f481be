"""What community engagement puts on the home page (collected by ``core.todo``): for a co-ordinator,
the links of their establishment whose annual review is overdue (``rules.review_overdue``); for an
area office analyst, the reviews of their region waiting for approval."""

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


def reviews_to_approve(user: Any, now: datetime.datetime) -> list[Item]:
    reviews = access.reviews_approvable_by(user).select_related("link__establishment__organisation")
    return [
        Item(
            text=f"Approve the review of {r.link.partner_name}, {r.link.establishment.name}",
            url=reverse("engagement:link", args=[r.link_id]),
            deadline=r.reviewed_on,
            deadline_label="Reviewed on",
        )
        for r in reviews.order_by("reviewed_on", "pk")
    ]


TODOS = [
    ToDo(
        30,
        "engagement-reviews",
        "Community-engagement links overdue for review",
        access.keeps_own_records,
        overdue_reviews,
        "No link is overdue for its annual review.",
    ),
    ToDo(
        31,
        "engagement-approvals",
        "Community-engagement reviews to approve",
        access.approves_reviews,
        reviews_to_approve,
        "No review is waiting for your approval.",
    ),
]
