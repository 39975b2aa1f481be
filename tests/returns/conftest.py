"""Fixtures the returns stories share. The fixed clock (``clock``) is in tests/conftest.py; rounds are
opened and returns filled by the builders of tests/factories.py."""

from __future__ import annotations

from collections.abc import Iterator
from unittest import mock

import pytest
from django.db import transaction
from django.utils import timezone
from pytest_django import DjangoDbBlocker

from stepchange.organisations.models import Commissioner
from tests.factories import STORY_STARTS, Clock, two_quarters_of_returns
from tests.personas import Cast, build_cast


@pytest.fixture
def two_quarters(cast, clock):
    """Leeds approved in Q1 and Q2; Hull submitted but not approved in Q1, approved in Q2."""
    return two_quarters_of_returns(cast)


@pytest.fixture(scope="class")
def two_quarters_once(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[tuple[Cast, Commissioner]]:
    """The cast and ``two_quarters``, built once for a class of tests that read them, under the fixed
    clock, inside a transaction rolled back when the class ends. Each test still runs in a
    transaction of its own, rolled back, so what one test writes no other sees; the clock stays
    fixed while the class runs, as ``two_quarters``'s ``clock`` keeps it for one test."""
    fixed = Clock(STORY_STARTS)
    with django_db_blocker.unblock(), transaction.atomic(), mock.patch.object(timezone, "now", lambda: fixed.now):
        cast = build_cast()
        yield cast, two_quarters_of_returns(cast)
        transaction.set_rollback(True)
