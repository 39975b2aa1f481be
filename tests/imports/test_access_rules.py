"""Who may import what into which region, persona by persona (stepchange/imports/access.py)."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from stepchange.imports.access import kinds_importable_by, may_import, may_use_imports, regions_importable_by
from stepchange.imports.models import ImportKind
from tests.personas import Cast

EVERY_KIND = sorted(ImportKind.values)


def test_each_persona_imports_only_their_kinds_into_their_region(cast: Cast) -> None:
    expected = {
        "signed out": ([], []),
        "alice": (EVERY_KIND, ["YH"]),
        "bob": ([], []),
        "carol": ([], []),
        "dave": ([], []),
        "erin": ([], []),
        "frank": ([], []),
        "grace": (["establishments"], ["YH"]),
        "heidi": ([], []),
        "root": (EVERY_KIND, ["NE", "YH"]),
        "nadia": ([], []),
    }
    for name, user in cast.everyone().items():
        person = user or AnonymousUser()
        kinds = sorted(kinds_importable_by(person))
        regions = sorted(regions_importable_by(person).values_list("code", flat=True))
        assert (kinds, regions) == expected[name], name
        assert may_use_imports(person) == bool(regions), name


def test_a_kind_is_importable_only_into_a_region_the_person_imports_into(cast: Cast) -> None:
    assert may_import(cast.alice, cast.region, "contracts")
    assert not may_import(cast.alice, cast.other_region, "contracts")
    assert may_import(cast.grace, cast.region, "establishments")
    assert not may_import(cast.grace, cast.region, "organisations")
    assert may_import(cast.root, cast.other_region, "grants")
