"""Fixtures of the access tests: a way to count what each test checked (see tally.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.access import tally


@pytest.fixture
def count_requests(request: pytest.FixtureRequest) -> Callable[..., None]:
    """Record how many requests a test checked, for the line printed after the run."""

    def count(url: str, *, personas: int, requests: int) -> None:
        tally.record(request.config, url=url, personas=personas, requests=requests)

    return count


@pytest.fixture(autouse=True)
def static_files_looked_up_on_request(settings: Any) -> None:
    """Every test client loads the middleware afresh, and WhiteNoise (outside DEBUG) then reads
    the whole collected static tree: most of a second a client, ten clients a test. No access
    test asks for a static file, so WhiteNoise may look one up when asked instead."""
    settings.WHITENOISE_AUTOREFRESH = True
