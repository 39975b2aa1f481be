"""The tokens of e-mailed single-use links: random, and stored only as a hash.

A token is 32 random bytes (URL-safe base64) that appear in the e-mail and nowhere else; the
database keeps their SHA-256. A plain hash is enough (no salt, no slow hash): the token has 256
bits of entropy, so there is no dictionary to try.
"""

from __future__ import annotations

import hashlib
import secrets

INVITATION_DAYS = 7
EMAIL_CHANGE_DAYS = 3


def new_token() -> tuple[str, str]:
    """A fresh token and the hash to store for it."""
    token = secrets.token_urlsafe(32)
    return token, token_hash(token)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()
