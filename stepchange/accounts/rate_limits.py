"""Limits on requests that send e-mail: per address and per IP address, over a sliding hour.

Without them the password reset page and the invitation pages could be used to flood an inbox,
or to send mail in bulk from the service's address. The counts live in the database
(``RateLimitHit``) so that every web process sees the same ones; the per-process cache would let
each process allow its own five.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from stepchange.accounts.models import RateLimitHit

WINDOW = datetime.timedelta(hours=1)
PER_ADDRESS = 5
PER_IP = 20
TOO_MANY = "Too many requests. Try again later."


@dataclass(frozen=True)
class Limit:
    key: str
    most: int


def limits_for(action: str, *, email: str, request: HttpRequest) -> list[Limit]:
    """An action's limits for one e-mail address (compared case-insensitively) and one client."""
    ip = request.META.get("REMOTE_ADDR") or "unknown"
    return [
        Limit(f"{action}:email:{email.strip().lower()}", PER_ADDRESS),
        Limit(f"{action}:ip:{ip}", PER_IP),
    ]


def take(limits: list[Limit]) -> bool:
    """Count one request against each limit; False (and nothing counted) when any is used up.

    A refused request is not counted, so someone who keeps trying is let in again an hour after
    their last allowed request, not an hour after they stop.
    """
    now = timezone.now()
    with transaction.atomic():
        RateLimitHit.objects.filter(at__lt=now - WINDOW).delete()
        for limit in limits:
            if RateLimitHit.objects.filter(key=limit.key, at__gte=now - WINDOW).count() >= limit.most:
                return False
        RateLimitHit.objects.bulk_create([RateLimitHit(key=limit.key[:300], at=now) for limit in limits])
    return True
