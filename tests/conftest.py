from __future__ import annotations

import pytest
from django.test import Client

from tests.personas import Cast, build_cast


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):  # type: ignore[no-untyped-def]
    """Argon2 is deliberately slow; the cast's sign-ins would take seconds per test.

    tests/accounts/test_sign_in_lockout.py checks that the service itself hashes with Argon2.
    """
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def cast(db: None) -> Cast:
    return build_cast()


@pytest.fixture
def client_for(client: Client):  # type: ignore[no-untyped-def]
    """A fresh client signed in as the given user (or signed out for None)."""

    def make(user):  # type: ignore[no-untyped-def]
        c = Client()
        if user is not None:
            c.force_login(user)
        return c

    return make
