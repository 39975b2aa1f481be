from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from pytest_django import Settings

from tests.conftest import Mailbox, _Collect, _free_port

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def immediate_tasks(settings: Settings) -> None:
    """The worker's task runs as soon as it is enqueued (after the enqueuing transaction commits,
    which ``django_capture_on_commit_callbacks`` makes happen in a test)."""
    settings.TASKS = IMMEDIATE


@dataclass
class HoldingServer:
    """A real SMTP server that holds the ``hold_at``-th connection at its greeting (EHLO) until
    ``release`` is set, telling the test through ``holding`` that it does."""

    port: int
    mailbox: Mailbox
    holding: threading.Event
    release: threading.Event


class _HoldAtGreeting(_Collect):
    def __init__(self, mailbox: Mailbox, hold_at: int, holding: threading.Event, release: threading.Event) -> None:
        super().__init__(mailbox)
        self.greetings = 0
        self.hold_at, self.holding, self.release = hold_at, holding, release

    async def handle_EHLO(
        self, server: object, session: Any, envelope: object, hostname: str, responses: list[str]
    ) -> list[str]:
        session.host_name = hostname  # what aiosmtpd's own EHLO does; a hook of it must too
        self.greetings += 1
        if self.greetings == self.hold_at:
            self.holding.set()
            while not self.release.is_set():  # waits on the test, not on the clock
                await asyncio.sleep(0.01)
        return responses


@pytest.fixture
def smtp_holding_third() -> Iterator[HoldingServer]:
    from aiosmtpd.controller import Controller

    mailbox, holding, release = Mailbox(), threading.Event(), threading.Event()
    controller = Controller(_HoldAtGreeting(mailbox, 3, holding, release), hostname="127.0.0.1", port=_free_port())
    controller.start()
    try:
        yield HoldingServer(controller.port, mailbox, holding, release)
    finally:
        release.set()
        controller.stop()
