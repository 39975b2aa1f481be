"""What the packs' pages read: the packs a person may see, and the quarters a pack may be built for."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import QuerySet

from stepchange.core.models import FinancialYear
from stepchange.core.periods import Quarter, quarters_of
from stepchange.pack.access import packs_visible_to
from stepchange.pack.models import Pack


def packs_for(user: Any) -> QuerySet[Pack]:
    return packs_visible_to(user)


def buildable_quarters(today: datetime.date) -> list[Quarter]:
    """The quarters a pack can be built for: every quarter of a year the service holds that has
    ended by ``today``, latest first (a pack is the account of a quarter gone by)."""
    found = [
        quarter
        for year in FinancialYear.objects.filter(start__lte=today).order_by("-start")
        for quarter in reversed(quarters_of(year))
        if quarter.end < today
    ]
    return found


def last_quarter(today: datetime.date) -> Quarter | None:
    """The latest quarter that has ended by ``today``."""
    quarters = buildable_quarters(today)
    return quarters[0] if quarters else None


def latest_pack_of(user: Any, quarter: Quarter) -> Pack | None:
    """The newest pack of ``quarter`` the person may see, finished or not; failed ones left out."""
    return (
        packs_visible_to(user)
        .filter(year__name=quarter.year, quarter=quarter.number, failure="")
        .order_by("-requested_at", "-id")
        .first()
    )
