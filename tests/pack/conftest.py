import pytest
from pytest_django import Settings


@pytest.fixture(autouse=True)
def tasks_run_at_once(settings: Settings) -> None:
    """A pack asked for is built as soon as its asking is committed (the worker's part, at once)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
