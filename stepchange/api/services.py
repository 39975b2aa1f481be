"""Making and revoking API tokens: one transaction and one audit event each."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from stepchange.api.access import may_hold_tokens, tokens_of
from stepchange.api.models import ApiToken
from stepchange.core.audit import audit_record

TOKEN_START = "sc_"  # noqa: S105 - the start every token has, not a secret
PREFIX_HEX = 12
# A person may hold this many working tokens at once.
MOST_TOKENS = 20


def hash_of(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def split(token: str) -> tuple[str, str] | None:
    """The prefix of a token as written (``sc_<prefix>_<secret>``), or None if it is not one."""
    if not token.startswith(TOKEN_START):
        return None
    prefix, sep, secret = token[len(TOKEN_START) :].partition("_")
    if not sep or len(prefix) != PREFIX_HEX or not secret:
        return None
    return prefix, secret


def _snapshot(token: ApiToken) -> dict[str, str | None]:
    # Never the hash, never the secret: the name and the prefix identify it.
    return {
        "name": token.name,
        "prefix": token.prefix,
        "revoked_at": token.revoked_at.isoformat() if token.revoked_at else None,
    }


@transaction.atomic
def token_create(*, actor: Any, name: str) -> tuple[ApiToken, str]:
    """Make a token named ``name`` for ``actor``; returns it and the whole token, which is shown
    once and kept nowhere."""
    if not may_hold_tokens(actor):
        raise PermissionDenied("Sign in to make an API token.")
    name = name.strip()
    if not name:
        raise ValidationError({"name": "Enter a name for the token"})
    mine = tokens_of(actor)
    if mine.filter(name__iexact=name).exists():
        raise ValidationError({"name": f"You already have a token called {name}. Choose another name."})
    if mine.count() >= MOST_TOKENS:
        raise ValidationError({"name": f"You have {MOST_TOKENS} tokens already. Revoke one you no longer use."})
    prefix = secrets.token_hex(PREFIX_HEX // 2)
    while ApiToken.objects.filter(prefix=prefix).exists():  # pragma: no cover - 48 random bits
        prefix = secrets.token_hex(PREFIX_HEX // 2)
    whole = f"{TOKEN_START}{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(
        user=actor, name=name, prefix=prefix, secret_hash=hash_of(whole), created_at=timezone.now()
    )
    audit_record(actor=actor, action="api_token_create", obj=token, after=_snapshot(token))
    return token, whole


@transaction.atomic
def token_revoke(*, actor: Any, token: ApiToken) -> ApiToken:
    """Revoke one of the actor's own tokens: it stops working at once."""
    current = tokens_of(actor).select_for_update().filter(pk=token.pk).first()
    if current is None:
        raise PermissionDenied("That token is not one of yours, or is revoked already.")
    before = _snapshot(current)
    current.revoked_at = timezone.now()
    current.save(update_fields=["revoked_at"])
    audit_record(actor=actor, action="api_token_revoke", obj=current, before=before, after=_snapshot(current))
    return current
