import pytest
from pytest_django import Settings

from stepchange.core.models import Region
from tests.factories import hand_worked_region
from tests.personas import Cast


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: Settings) -> None:
    """The cast's nine sign-ins are hashed for every test; reports never check a password."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def share_region(cast: Cast) -> Region:
    """South Yorkshire's share of main grant, worked by hand (tests/reports/test_probation_share.py)."""
    return hand_worked_region(cast)


@pytest.fixture
def region(share_region: Region) -> Region:
    """A reports test's region is the hand-worked one unless its module builds its own."""
    return share_region
