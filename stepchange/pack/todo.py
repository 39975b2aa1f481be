"""What the packs put on a person's home page (collected by ``core.todo``): for a regional
commissioner, the pack of the quarter last ended while it is not yet built, or still being built."""

from __future__ import annotations

import datetime
from typing import Any

from django.urls import reverse
from django.utils import timezone

from stepchange.core.todo import Item, ToDo
from stepchange.pack import access, selectors


def pack_to_build(user: Any, now: datetime.datetime) -> list[Item]:
    quarter = selectors.last_quarter(timezone.localdate(now))
    if quarter is None:
        return []
    pack = selectors.latest_pack_of(user, quarter)
    if pack is None:
        return [Item(text=f"Build the steering group pack for {quarter.label}", url=reverse("pack:index"))]
    if pack.is_running:
        return [Item(text=f"The pack for {quarter.label} is being built", url=reverse("pack:detail", args=[pack.pk]))]
    return []


TODOS = [
    ToDo(
        95,
        "pack",
        "Steering group pack",
        access.builds_own_regions_packs,
        pack_to_build,
        "The pack for the quarter last ended is built.",
    )
]
