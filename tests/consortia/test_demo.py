"""The demo's MOVE consortium: Nacro and Foundation Housing its lead members, a member that left,
the partnership it formed, and its members' reach in West Yorkshire."""

from __future__ import annotations

import datetime

import pytest

from stepchange.consortia import access, selectors
from stepchange.consortia.models import Consortium
from stepchange.core.models import Pathway

pytestmark = pytest.mark.usefixtures("db")


def test_the_move_consortium(demo: str) -> None:
    move = Consortium.objects.get(name="MOVE Consortium")
    assert move.formed_on == datetime.date(2006, 9, 1)
    current = access.current_members(move)
    assert sorted(current.filter(is_lead=True).values_list("organisation__name", flat=True)) == [
        "Foundation Housing",
        "Nacro",
    ]
    assert current.count() == 5
    (former,) = move.members.filter(left_on__isnull=False)
    assert (former.organisation.name, former.left_on) == ("Demo Community Project 05", datetime.date(2007, 3, 31))
    assert [link.partnership.name for link in move.partnership_links.all()] == [
        "Nacro Women's Resettlement Partnership"
    ]
    reach = {(c.area, c.pathway): c.organisations for c in selectors.reach(move)}
    health, families = (Pathway.objects.get(code=c).name for c in ("health", "children-families"))
    assert "Touchstone" in reach[("West Yorkshire Probation Area", health)]
    assert "Pakistani and Kashmiri Welfare Association" in reach[("West Yorkshire Probation Area", families)]
    # The member that left brings no reach of its own.
    assert not any("Demo Community Project 05" in orgs for orgs in reach.values())
