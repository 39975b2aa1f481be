"""Rate limits: per token for requests carrying one, per address for the rest (settings
``API_RATE_LIMITS``: ``token`` and ``anon``, read on each request)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle

from stepchange.api.models import ApiToken


class _Limit(SimpleRateThrottle):
    def get_rate(self) -> str | None:
        rate: str | None = settings.API_RATE_LIMITS[str(self.scope)]
        return rate


class TokenRateThrottle(_Limit):
    scope = "token"

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        if not isinstance(request.auth, ApiToken):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.auth.prefix}


class AnonymousRateThrottle(_Limit):
    scope = "anon"

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        if isinstance(request.auth, ApiToken):
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
