"""The report rules the pages ask of ``reports/access.py``, per role: whose own probation area the
home page's figures pick out."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from stepchange.core.roles import Role
from stepchange.reports import access
from tests.factories import UserFactory

EVERYONE = ["alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "nadia", "root"]


@pytest.mark.parametrize("name", EVERYONE)
def test_only_a_probation_manager_has_an_own_probation_area(cast, name):
    own = {"bob": cast.sypa, "carol": cast.wypa}
    assert access.own_probation_area(getattr(cast, name)) == own.get(name)


def test_no_own_area_signed_out_closed_or_working_for_a_prison(cast):
    assert access.own_probation_area(AnonymousUser()) is None
    cast.bob.is_active = False
    assert access.own_probation_area(cast.bob) is None
    # A probation manager's role on a prison's staff (Frank's establishment): a prison is no probation area.
    at_prison = UserFactory.create(username="pat", role=Role.PROBATION_MANAGER, organisation=cast.leeds.organisation)
    assert at_prison.commissioner == cast.leeds
    assert access.own_probation_area(at_prison) is None
