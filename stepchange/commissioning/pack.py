"""Commissioning's section of the steering group's quarterly pack.

The commissioning funnel at the pack's date, through the report's registry as its page runs it
(every opportunity published by then, stage by stage), and what of it happened in the quarter,
read from the same rows: the opportunities published in the quarter, and the stages whose deadline
fell in it with their bids, taken forward and awarded. A stage still open at the pack's date shows
no bids: they are sealed until its deadline.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from stepchange.core.models import Region
from stepchange.core.periods import Quarter
from stepchange.pack.sections import PackSection
from stepchange.reports.pack import report_block


def in_quarter(rows: list[dict[str, Any]], quarter: Quarter) -> dict[str, Any]:
    """The quarter's part of the funnel's rows (one row per opportunity and stage)."""
    published = {r["reference"] for r in rows if r["published"] and quarter.start <= r["published"] <= quarter.end}
    closed = [r for r in rows if quarter.start <= r["deadline"] <= quarter.end]
    return {
        "published": len(published),
        "stages_closed": len(closed),
        "bids": sum(r["bids"] or 0 for r in closed),
        "taken_forward": sum(r["taken_forward"] or 0 for r in closed),
        "awarded": sum(r["awarded"] or 0 for r in closed),
    }


def _build(region: Region, quarter: Quarter) -> Mapping[str, Any]:
    funnel = report_block("commissioning-funnel", region, quarter, id_prefix="pack-commissioning")
    return {"quarter_figures": in_quarter(funnel["result"].rows, quarter), "blocks": [funnel]}


SECTIONS = [
    PackSection(
        position=30,
        slug="commissioning",
        title="Commissioning in the quarter",
        build=_build,
        template="commissioning/pack/section.html",
    ),
]
