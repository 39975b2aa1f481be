"""Whose notifications a person sees: only their own, whoever they are (Root included).

A notification tells one person why they got it and may name what only they may see (their
partnership, their return): nobody reads another's, not even an administrator.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from stepchange.core import access
from stepchange.notifications.models import Notification


def notifications_of(user: Any) -> QuerySet[Notification]:
    if not access.is_signed_in(user):
        return Notification.objects.none()
    return Notification.objects.filter(recipient_id=user.pk)
