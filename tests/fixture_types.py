"""Types of the shared fixtures and of what the test client answers, to annotate the tests (the
fixtures themselves live in the conftest.py files)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeAlias

from django.test import Client

if TYPE_CHECKING:
    # What the test client answers: django-stubs' name for it (there is none at run time, so it is
    # imported from here only under TYPE_CHECKING).
    from django.test.client import _MonkeyPatchedWSGIResponse as TestResponse

    from stepchange.accounts.models import User

# ``client_for``: a fresh client signed in as the given user (with their second factor passed when
# they must use one), or signed out for None.
ClientFor: TypeAlias = Callable[["User | None"], Client]

__all__ = ["ClientFor", "TestResponse"]
