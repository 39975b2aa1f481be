"""The demo tests: the module-scoped ``demo`` fixture (tests/conftest.py) loads the demo once per
module; here the service's own password hashing is kept."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def fast_password_hashing() -> None:
    """The demo's sign-ins are hashed with the service's own Argon2 when the module loads it; keep it."""
