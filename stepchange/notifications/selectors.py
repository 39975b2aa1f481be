"""What the pages show of a person's notifications: always scoped by ``access.notifications_of``."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from stepchange.notifications.access import notifications_of
from stepchange.notifications.kinds import KINDS, Kind
from stepchange.notifications.models import Declined, Notification

RECENT = 5


def recent_for(user: Any, *, count: int = RECENT) -> dict[str, Any]:
    """For the home page's include (templates/notifications/_recent.html): the latest few and how
    many are unread. A view puts this in its context as ``notifications``."""
    mine = notifications_of(user)
    return {"latest": list(mine[:count]), "unread": mine.filter(read_at__isnull=True).count()}


def listing_for(user: Any) -> QuerySet[Notification]:
    return notifications_of(user)


def preferences_of(user: Any) -> list[tuple[Kind, bool]]:
    """Each kind with whether the person receives it (a required kind always)."""
    declined = set(Declined.objects.filter(user_id=user.pk).values_list("kind", flat=True))
    return [(kind, kind.required or kind.key not in declined) for kind in KINDS.values()]
