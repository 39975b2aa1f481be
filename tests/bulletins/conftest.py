from __future__ import annotations

import pytest
from pytest_django import Settings

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def immediate_tasks(settings: Settings) -> None:
    """The worker's task runs as soon as it is enqueued (after the enqueuing transaction commits,
    which ``django_capture_on_commit_callbacks`` makes happen in a test)."""
    settings.TASKS = IMMEDIATE
