"""The fast lane's table of slow tests names places that exist: a module renamed or moved would
otherwise leave the table and quietly join ``make test-fast``."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import EVERY_URL_FOR_EVERY_PERSONA, SLOW

TESTS = Path(__file__).parent


def _exists(place: str) -> bool:
    path, _, test = place.partition("::")
    if not (TESTS / path).exists():
        return False
    return not test or f"def {test}(" in (TESTS / path).read_text()


def test_every_slow_place_exists() -> None:
    missing = [place for place in SLOW if not _exists(place)]
    assert not missing, f"tests/conftest.py SLOW names what is not there: {missing}"


def test_a_place_that_is_not_there_is_found() -> None:
    assert not _exists("reports/test_report_pages.py::test_no_such_test")
    assert not _exists("no_such_module.py")
    assert _exists("reports/test_report_pages.py::test_each_report_is_open_to_everyone_in_every_format")


def test_every_sweep_module_exists() -> None:
    missing = [name for name in EVERY_URL_FOR_EVERY_PERSONA if not (TESTS / "access" / name).exists()]
    assert not missing, f"tests/conftest.py EVERY_URL_FOR_EVERY_PERSONA names what is not there: {missing}"
