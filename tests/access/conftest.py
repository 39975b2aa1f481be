"""Fixtures of the access tests: a way to count what each test checked (see tally.py)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.access import tally


@pytest.fixture
def count_requests(request: pytest.FixtureRequest) -> Callable[..., None]:
    """Record how many requests a test checked, for the line printed after the run."""

    def count(url: str, *, personas: int, requests: int) -> None:
        tally.record(request.config, url=url, personas=personas, requests=requests)

    return count
