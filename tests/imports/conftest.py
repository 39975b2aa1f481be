import pytest
from pytest_django import Settings


@pytest.fixture(autouse=True)
def tasks_run_at_once(settings: Settings) -> None:
    """The import's checking and saving run as soon as a page enqueues them (test_worker.py runs
    the real database worker instead)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: Settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
