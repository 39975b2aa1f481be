"""The organisation rules the pages ask of ``organisations/access.py``, per role: who adds an
organisation, and which regions they may place one in."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from stepchange.core.models import Region
from stepchange.organisations import access

ADDERS = {"alice", "root"}
EVERYONE = ["alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "nadia", "root"]


@pytest.mark.parametrize("name", EVERYONE)
def test_only_the_regional_team_adds_organisations(cast, name):
    assert access.may_add_organisations(getattr(cast, name)) == (name in ADDERS)


def test_signed_out_adds_nothing(cast):
    assert access.may_add_organisations(AnonymousUser()) is False


def test_a_regional_commissioner_places_organisations_in_their_own_region_only(cast):
    assert list(access.organisations_regions_placeable_by(cast.alice)) == [cast.region]


@pytest.mark.parametrize("name", ["root", "dave", "erin"])
def test_anyone_else_the_form_offers_the_region_to_chooses_any(cast, name):
    """A superuser places anywhere; a provider's form shows the region locked (``may_change_protected``)
    but lists every region, so its own stays selectable wherever it is."""
    assert set(access.organisations_regions_placeable_by(getattr(cast, name))) == set(Region.objects.all())
    assert Region.objects.count() >= 2
