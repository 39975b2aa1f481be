from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from django.core.management import call_command


@pytest.fixture
def send() -> Callable[..., str]:
    """Run the outbox sender once (``manage.py send_notifications``) and return what it printed."""

    def run(*args: str) -> str:
        out = io.StringIO()
        call_command("send_notifications", *args, stdout=out)
        return out.getvalue()

    return run
