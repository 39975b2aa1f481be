"""The pack's to-do on a regional commissioner's home page: build the pack of the quarter last
ended, until it is built (while it is being built, the link goes to its page)."""

from __future__ import annotations

import datetime
from unittest import mock

import pytest
from django.utils import timezone

from stepchange.core.todo import todos_for
from stepchange.pack.models import Pack
from tests.pack.world import make_pack
from tests.personas import Cast

pytestmark = pytest.mark.django_db

# 10:00 on 3 October 2006: the quarter last ended is 2006-07 Q2 (1 July to 30 September 2006).
NOW = timezone.make_aware(datetime.datetime(2006, 10, 3, 10, 0))


def items(cast: Cast) -> list[tuple[str, str]]:
    with mock.patch.object(timezone, "now", lambda: NOW):
        [todo] = [t for t in todos_for(cast.alice) if t.key == "pack"]
    return [(item.text, item.url) for item in todo.items]


def test_the_last_quarters_pack_waits_to_be_built_then_is_followed_then_is_done(cast: Cast) -> None:
    assert items(cast) == [("Build the steering group pack for 2006-07 Q2", "/packs/")]
    building = make_pack(cast.region, state="building")
    assert items(cast) == [("The pack for 2006-07 Q2 is being built", f"/packs/{building.pk}/")]
    Pack.objects.filter(pk=building.pk).update(failure="boom")
    assert items(cast) == [("Build the steering group pack for 2006-07 Q2", "/packs/")]
    make_pack(cast.region)
    assert items(cast) == []
    # Another quarter's pack, or another region's, does not count.
    Pack.objects.all().delete()
    make_pack(cast.region, quarter=1)
    make_pack(cast.other_region)
    assert items(cast) == [("Build the steering group pack for 2006-07 Q2", "/packs/")]


def test_only_a_regional_commissioner_of_a_region_is_offered_it(cast: Cast) -> None:
    for name, user in cast.everyone().items():
        if user is not None:
            assert ("pack" in [t.key for t in todos_for(user)]) == (name == "alice"), name
