"""Who sees a contract's history of changes (``contracts/access.py``): people signed in, never
the public, who see the published contract only."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from stepchange.contracts import access


@pytest.mark.parametrize("name", ["alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "nadia", "root"])
def test_everyone_signed_in_sees_the_history(cast, name):
    assert access.may_see_contract_history(getattr(cast, name)) is True


def test_the_public_does_not_see_the_history(cast):
    assert access.may_see_contract_history(AnonymousUser()) is False
    cast.erin.is_active = False  # a closed account is signed out
    assert access.may_see_contract_history(cast.erin) is False
