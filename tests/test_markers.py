"""The fast lane's table of slow tests names places that exist: a module renamed or moved would
otherwise leave the table and quietly join ``make test-fast``."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import EVERY_URL_FOR_EVERY_PERSONA, SLOW

TESTS = Path(__file__).parent


def test_every_slow_place_exists() -> None:
    missing = [place for place in SLOW if not (TESTS / place).exists()]
    assert not missing, f"tests/conftest.py SLOW names what is not there: {missing}"


def test_every_sweep_module_exists() -> None:
    missing = [name for name in EVERY_URL_FOR_EVERY_PERSONA if not (TESTS / "access" / name).exists()]
    assert not missing, f"tests/conftest.py EVERY_URL_FOR_EVERY_PERSONA names what is not there: {missing}"
