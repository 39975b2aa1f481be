"""The plans app's section of the steering group's pack: the sub-contracting projection of the
region for the first year with plans that has not ended by the quarter's end (the plans drafted
in 2006-07 are for 2007-08), from the same selector as the roll-up page."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from stepchange.core.models import Region
from stepchange.core.periods import Quarter
from stepchange.pack.sections import PackSection
from stepchange.plans import selectors


def projection_section(region: Region, quarter: Quarter) -> Mapping[str, Any]:
    year = selectors.plan_year_at(region, quarter.end)
    if year is None:
        return {"rollup": None, "year_name": f"the year of {quarter.label} or later"}
    result = selectors.rollup(region, year)
    if not result.rows:
        return {"rollup": None, "year_name": year.name}
    return {
        "rollup": result,
        "year_name": year.name,
        "chart": selectors.rollup_chart(result, id_prefix="pack-plans-projection"),
    }


SECTIONS = [
    PackSection(
        position=60,
        slug="sub-contracting-projection",
        title="Sub-contracting projection",
        build=projection_section,
        template="plans/pack/_projection.html",
    )
]
