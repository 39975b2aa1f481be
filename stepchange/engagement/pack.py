"""The steering group's pack (collected by ``pack.sections``): the prisons' community-engagement
gaps across the region as they stood on the quarter's last day, from the same selector as the
roll-up page (``selectors.regional_gaps``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from stepchange.core.models import Region
from stepchange.core.periods import Quarter
from stepchange.engagement import selectors
from stepchange.organisations.models import Commissioner, CommissionerKind
from stepchange.pack.sections import PackSection


def build(region: Region, quarter: Quarter) -> Mapping[str, Any]:
    establishments = Commissioner.objects.filter(kind=CommissionerKind.PRISON, region=region)
    return {"rollup": selectors.regional_gaps(establishments, quarter.end), "as_at": quarter.end}


SECTIONS = [
    PackSection(
        70,
        "community-engagement-gaps",
        "Prisons' community-engagement gaps",
        build,
        "engagement/pack_gaps.html",
    )
]
