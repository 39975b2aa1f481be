from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.ops.postgres import admin, own_databases


@pytest.fixture
def dump_and_restore_databases() -> Iterator[tuple[str, ...]]:
    """A new, empty PostgreSQL database to load and dump, and the name of one to restore into
    (made by the test, as the procedure does); both dropped afterwards, whatever happened."""
    with own_databases("source", "restored") as names:
        admin(f'CREATE DATABASE "{names[0]}"')
        yield names
