"""Fixtures of the access tests: the world built once per module, and a way to count what each
test checked (see tally.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.db import transaction
from django.test import override_settings

from tests.access import tally
from tests.access.sealed import tables_removing_changes
from tests.access.world import World, build_world


def _built_once(django_db_blocker: Any, *, whole: bool) -> Iterator[World]:
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]),
        transaction.atomic(),
    ):
        world = build_world()
        if whole:
            world.tenders  # noqa: B018 (built now, not on first use)
            world.documents  # noqa: B018
            world.rounds  # noqa: B018
            world.events  # noqa: B018
            world.consortia  # noqa: B018
            world.plans  # noqa: B018
            world.governance  # noqa: B018
            world.engagement  # noqa: B018
            world.packs  # noqa: B018
            world.monitoring  # noqa: B018
        world.sign_everyone_in()
        yield world
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def world_once(django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    """The access world (tests/access/world.py), tenders, documents, returns rounds, events, consortia, plans,
    governance, community engagement, packs and the monitoring request included,
    built once for a test module (so once per xdist worker that runs part of it) inside a
    transaction rolled back when the module ends.

    A test that takes it also takes ``db``, which wraps the test in a savepoint rolled back when the
    test ends: what one test writes (a POST the oracle lets through, signing a persona out) no other
    test sees, exactly as when each test built the world for itself. Every persona is signed in
    here, once (``World.sign_everyone_in``); ``world.client(persona)`` carries that session. The
    parts the world otherwise builds on first use are built here, so that no test builds them
    inside its own savepoint and leaves the next test holding rows that were rolled back. The
    passwords are hashed with the tests' fast hasher: the function-scoped ``fast_password_hashing``
    is not in force yet.
    """
    yield from _built_once(django_db_blocker, whole=True)


@pytest.fixture(scope="module")
def sealed_tables(world_once: World, django_db_blocker: Any) -> frozenset[str]:
    """The tables taking the sealed bids out of the module's world changes (``tables_removing_changes``),
    found once a module: the matrix asks again, without them, only what read one of these."""
    with django_db_blocker.unblock():
        return tables_removing_changes(world_once.tenders)


@pytest.fixture(scope="module")
def bare_world_once(django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    """The same, without the tenders, documents, rounds and events, for tests whose expectations are of the
    world alone (the returns a list shows, say). A test that builds one of those parts does so in
    its own savepoint and must forget it when it ends (``tenders_world`` in test_rows.py)."""
    yield from _built_once(django_db_blocker, whole=False)


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
