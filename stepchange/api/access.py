"""Who may hold, see and revoke API tokens, and whose token the API believes: the only place that
decides it.

What a token lets its holder read or change is decided by the apps' own access functions, exactly
as for the pages: the API asks them with the token's person.

- everyone signed in: makes named tokens, sees their own (never anyone else's), revokes their own;
- a token works while it is not revoked and its person's account is open (a closed account is
  signed out: ``core.access.is_signed_in``);
- signed out: no tokens.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from stepchange.api.models import ApiToken
from stepchange.core import access


def may_hold_tokens(user: Any) -> bool:
    return access.is_signed_in(user)


def tokens_of(user: Any) -> QuerySet[ApiToken]:
    """The person's own tokens still working (not revoked): what their tokens page lists."""
    if not may_hold_tokens(user):
        return ApiToken.objects.none()
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True)


def token_works(token: ApiToken) -> bool:
    """Whether a request carrying this token is taken as its person's: not revoked, account open."""
    return token.revoked_at is None and access.is_signed_in(token.user)


def has_token_person(user: Any) -> bool:
    """Whether an API request is someone's (it carried a working token): writes, and the reports
    kept for people signed in, need one. A request without a token is someone signed out's."""
    return access.is_signed_in(user)
