"""Who reads and builds the packs (stepchange/pack/access.py), persona by persona.

A region's packs are its regional commissioner's: they read them, follow those being built and see
the failed ones; the national administrator and a superuser read every region's. Nobody else of the
region (the pack holds every area's plans and every prison's gaps), nobody signed out and nobody of
another region reads one."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from stepchange.pack.access import (
    builds_own_regions_packs,
    may_build_pack,
    may_download_pack,
    may_use_packs,
    packs_visible_to,
)
from tests.pack.world import packs
from tests.personas import Cast

pytestmark = pytest.mark.django_db


def test_who_sees_which_pack(cast: Cast) -> None:
    p = packs(cast)
    every_of_region = {p.finished.pk, p.building.pk, p.failed.pk}
    everything = every_of_region | {p.other_region.pk}
    expected = {
        "signed out": set(),
        "alice": every_of_region,
        "bob": set(),
        "carol": set(),
        "dave": set(),
        "erin": set(),
        "frank": set(),
        "grace": set(),
        "heidi": set(),
        "root": everything,
        "nadia": everything,
    }
    for name, user in cast.everyone().items():
        seen = set(packs_visible_to(user or AnonymousUser()).values_list("pk", flat=True))
        assert seen == expected[name], name


def test_only_the_regions_commissioner_builds_its_packs(cast: Cast) -> None:
    for name, user in cast.everyone().items():
        assert may_build_pack(user or AnonymousUser(), cast.region) == (name == "alice"), name
        assert builds_own_regions_packs(user or AnonymousUser()) == (name == "alice"), name
        assert not may_build_pack(user or AnonymousUser(), cast.other_region), name


def test_the_pdf_is_there_only_once_the_pack_is_finished(cast: Cast) -> None:
    p = packs(cast)
    assert may_download_pack(cast.alice, p.finished)
    assert not may_download_pack(cast.dave, p.finished)
    assert not may_download_pack(cast.alice, p.building)
    assert not may_download_pack(cast.alice, p.failed)
    assert not may_download_pack(cast.alice, p.other_region)
    assert may_download_pack(cast.nadia, p.other_region)
    assert not may_download_pack(AnonymousUser(), p.finished)


def test_the_packs_page_is_there_for_whoever_works_in_a_region(cast: Cast) -> None:
    for name, user in cast.everyone().items():
        assert may_use_packs(user or AnonymousUser()) == (name != "signed out"), name
