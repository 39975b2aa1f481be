"""The sealed-bid rule in time: a stage's bids are sealed until its deadline, and from the deadline
on (the deadline itself included) they are unsealed. This module is the only place that compares a
deadline with now; everything else asks it.

- ``sealed``: whether a stage (or any deadline) is still sealed at ``now``;
- ``sealed_q`` / ``unsealed_q``: the same as query conditions, on a stage's ``deadline`` reached
  through ``path`` (``"stage__"`` from a bid, ``"stages__"`` from an opportunity);
- ``unsealed_submitted_q``: bids submitted and not withdrawn whose stage is unsealed, the bids a
  commissioner, an evaluator, a count or a report may know of.

Who a sealed bid is sealed from (everyone but its bid team) is ``access.bid_sealed_from``.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Q
from django.utils import timezone


def _now(now: datetime.datetime | None) -> datetime.datetime:
    return now or timezone.now()


def deadline_sealed(deadline: datetime.datetime, now: datetime.datetime | None = None) -> bool:
    """A deadline still seals at ``now`` until it arrives: one second before, sealed; at it, not."""
    return _now(now) < deadline


def sealed(stage: Any, now: datetime.datetime | None = None) -> bool:
    """The stage's bids are sealed at ``now``: its deadline has not arrived."""
    return deadline_sealed(stage.deadline, now)


def sealed_q(now: datetime.datetime | None = None, path: str = "") -> Q:
    """Stages sealed at ``now``, as a condition on ``<path>deadline``."""
    return Q(**{f"{path}deadline__gt": _now(now)})


def unsealed_q(now: datetime.datetime | None = None, path: str = "") -> Q:
    """Stages unsealed at ``now`` (their deadline arrived), as a condition on ``<path>deadline``."""
    return Q(**{f"{path}deadline__lte": _now(now)})


def unsealed_submitted_q(now: datetime.datetime | None = None) -> Q:
    """Bids submitted, not withdrawn, whose stage is unsealed at ``now``."""
    return unsealed_q(now, "stage__") & Q(submitted_at__isnull=False, withdrawn_at__isnull=True)
