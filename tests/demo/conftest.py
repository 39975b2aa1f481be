"""Load the demo once per test module, inside a transaction rolled back when the module ends,
so no other test module ever sees it."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from django.core.management import call_command
from django.db import transaction


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """The demo region, loaded; the value is what ``load_demo`` printed."""
    with django_db_blocker.unblock(), transaction.atomic():
        out = io.StringIO()
        call_command("load_demo", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def fast_password_hashing() -> None:
    """The demo's sign-ins are hashed with the service's own Argon2 when the module loads it; keep it."""
