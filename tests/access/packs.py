"""The access world's steering group packs: Yorkshire and Humberside's finished 2006-07 Q2 pack,
its Q3 pack still being built and its Q1 pack that failed, and the North East's finished pack."""

from __future__ import annotations

from dataclasses import dataclass

from stepchange.pack.models import Pack
from tests.pack.world import make_pack
from tests.personas import Cast


@dataclass
class Packs:
    finished: Pack
    building: Pack
    failed: Pack
    north_east: Pack


def build_packs(cast: Cast) -> Packs:
    return Packs(
        finished=make_pack(cast.region, by=cast.alice),
        building=make_pack(cast.region, quarter=3, state="building", by=cast.alice),
        failed=make_pack(cast.region, quarter=1, state="failed", by=cast.alice),
        north_east=make_pack(cast.other_region),
    )
