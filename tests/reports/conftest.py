import pytest

from tests.factories import hand_worked_region


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):  # type: ignore[no-untyped-def]
    """The cast's nine sign-ins are hashed for every test; reports never check a password."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def share_region(cast):  # type: ignore[no-untyped-def]
    """South Yorkshire's share of main grant, worked by hand (tests/reports/test_probation_share.py)."""
    return hand_worked_region(cast)


@pytest.fixture
def region(share_region):  # type: ignore[no-untyped-def]
    """A reports test's region is the hand-worked one unless its module builds its own."""
    return share_region
