"""The API's one way in: ``Authorization: Bearer sc_<prefix>_<secret>``.

A browser's session is not taken: a request without a token is read as someone signed out's,
whatever cookies it carries (so no page's cookie can make the API change anything, and CSRF does
not arise). A token that is wrong, revoked, or whose person's account is closed is refused (401).
"""

from __future__ import annotations

import datetime
import hmac
from typing import Any

from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from stepchange.api.access import token_works
from stepchange.api.models import ApiToken
from stepchange.api.services import hash_of, split

# How often the "last used" time is written: at most once a minute a token, not on every request.
LAST_USED_EVERY = datetime.timedelta(minutes=1)
REFUSED = "The token is not valid: it may be mistyped, revoked, or its account closed."


class TokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request: Request) -> tuple[Any, ApiToken] | None:
        header = authentication.get_authorization_header(request).decode("latin-1").split()
        if not header or header[0].lower() != self.keyword.lower():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("Send the token as: Authorization: Bearer <token>.")
        given = header[1]
        parts = split(given)
        if parts is None:
            raise exceptions.AuthenticationFailed(REFUSED)
        token = ApiToken.objects.select_related("user").filter(prefix=parts[0]).first()
        if token is None or not hmac.compare_digest(token.secret_hash, hash_of(given)) or not token_works(token):
            raise exceptions.AuthenticationFailed(REFUSED)
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at >= LAST_USED_EVERY:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
            token.last_used_at = now
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        return f'{self.keyword} realm="api"'


class TokenScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]
    target_class = "stepchange.api.authentication.TokenAuthentication"
    name = "token"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {"type": "http", "scheme": "bearer", "description": "A token made on Your account, API tokens."}
