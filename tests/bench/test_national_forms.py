"""Each report's national form (``reports.registry.run_national``): the rows of every region at
once, the same rows as each region's own report, in the same number of SQL statements whatever
the size of the country, one region or ten, 200 contracts or 600."""

from __future__ import annotations

from functools import partial
from typing import Any

import pytest
from django.db import transaction

from bench.core import queries_made
from bench.generate import generate
from bench.reports import REPORTS, raw_params
from stepchange.core.models import Region
from stepchange.reports.registry import run_national, run_report

pytestmark = pytest.mark.django_db


class _Rollback(Exception):
    """Leaves the block's generated country behind."""


def _national(name: str, regions: list[Region]) -> dict[str, list[dict[str, Any]]]:
    return run_national(name, raw_params(name, regions[0].code), regions)


def _statements_at(scale: float) -> dict[str, tuple[int, int]]:
    """Per report: the statements of its national form for every region and for the first alone,
    on a country generated at ``scale`` (rolled back afterwards)."""
    counts: dict[str, tuple[int, int]] = {}
    try:
        with transaction.atomic():
            generate(scale)
            regions = list(Region.objects.filter(holds_contracts=True).order_by("id"))
            assert len(regions) == 10
            for name in REPORTS:
                everywhere = queries_made(partial(_national, name, regions))
                one = queries_made(partial(_national, name, regions[:1]))
                counts[name] = (everywhere, one)
            raise _Rollback
    except _Rollback:
        pass
    return counts


def test_each_national_form_sends_the_same_statements_at_two_sizes_and_for_one_region_or_ten() -> None:
    small, large = _statements_at(0.001), _statements_at(0.003)
    for name in REPORTS:
        # Ten regions cost what one does, and three times the contracts, returns and providers
        # cost what the smaller country does: no statement per region, area or contract.
        assert small[name][0] == small[name][1] == large[name][0] == large[name][1], (name, small, large)
        # A small, fixed number: the areas, grants, target, returns and contracts, each read once.
        assert small[name][0] <= 12, (name, small[name])


@pytest.mark.parametrize("name", REPORTS)
def test_each_national_form_gives_every_region_the_rows_of_its_own_report(name: str) -> None:
    generate(0.001)
    regions = list(Region.objects.filter(holds_contracts=True).order_by("id"))
    national = _national(name, regions)
    assert set(national) == {region.code for region in regions}
    for region in regions:
        # The national comparison is national already: each region sees the same ranking, its own marked.
        assert national[region.code] == run_report(name, raw_params(name, region.code)).rows, (name, region.code)
    assert any(national.values())
