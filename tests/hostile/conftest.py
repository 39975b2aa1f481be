"""Hostile input: hypothesis settings for every property test here, and the count of inputs tried.

Profiles: ``ci`` (the default) is derandomised, so a run in CI and a run on a laptop try the same
inputs and a failure reproduces; ``explore`` tries many more, at random, for a hunt by hand:
``HYPOTHESIS_PROFILE=explore .venv/bin/python -m pytest tests/hostile``.

Each test tallies the hostile requests (and files) it sent; the tallies go to files under the run's
base temporary directory, because under pytest-xdist the tests run in worker processes and only
the controller prints the summary (``tests.hostile.tally.print_summary``, called from
tests/conftest.py: an xdist controller never loads this conftest).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, settings

from tests.hostile.tally import COUNTS_DIR, Tally, run_root

settings.register_profile(
    "ci",
    max_examples=25,
    deadline=None,
    derandomize=True,
    database=None,
    # The persona clients are made once per test, outside the examples, on purpose.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile("explore", parent=settings.get_profile("ci"), max_examples=300, derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture
def tally(request: pytest.FixtureRequest) -> Iterator[Tally]:
    counter = Tally()
    yield counter
    directory = run_root(request.config) / COUNTS_DIR
    directory.mkdir(exist_ok=True)
    (directory / f"{uuid.uuid4().hex}.txt").write_text(str(counter.tried))
