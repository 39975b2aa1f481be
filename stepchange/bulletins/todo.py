"""What the bulletins put on a person's home page (collected by ``core.todo``): for a region's
regional commissioner, the region's draft digest waiting to be reviewed and sent."""

from __future__ import annotations

import datetime
from typing import Any

from django.urls import reverse

from stepchange.bulletins import access
from stepchange.bulletins.models import BulletinKind
from stepchange.core.todo import Item, ToDo


def digests_to_send(user: Any, now: datetime.datetime) -> list[Item]:
    drafts = (
        access.bulletins_managed_by(user)
        .filter(kind=BulletinKind.DIGEST, sent_at__isnull=True)
        .select_related("region")
        .order_by("drafted_at")
    )
    return [
        Item(
            text=f"Review and send the {draft.region.name} digest",
            url=reverse("bulletins:edit", args=[draft.region.code, draft.pk]),
            count=draft.entries.count(),
            count_of="items",
        )
        for draft in drafts
    ]


TODOS = [
    ToDo(
        90,
        "bulletin-draft",
        "Bulletin",
        access.sends_own_regions_digest,
        digests_to_send,
        "No digest is waiting to be sent.",
    )
]
