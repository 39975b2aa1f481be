"""Commissioning's section of the steering group's quarterly pack.

The commissioning funnel at the pack's date, through the report's registry as its page runs it
(every opportunity published by then, stage by stage), and what happened in the quarter: the
opportunities published and their estimated values, the partnerships that bid to a stage whose
deadline fell in it and how many were VCS-led, the awards made and their values, those won by
VCS-led partnerships (``quarter_commissioning``), and, read from the funnel's rows, those stages
with their bids, taken forward and awarded. A stage still open at the pack's date shows
no bids: they are sealed until its deadline.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils import timezone

from stepchange.commissioning.reports import as_at
from stepchange.commissioning.selectors import quarter_commissioning
from stepchange.core.models import Region
from stepchange.core.periods import Quarter
from stepchange.pack.sections import PackSection
from stepchange.reports.pack import report_block


def in_quarter(rows: list[dict[str, Any]], quarter: Quarter) -> dict[str, Any]:
    """The quarter's part of the funnel's rows (one row per opportunity and stage): the stages whose
    deadline fell in the quarter, with their bids."""
    closed = [r for r in rows if quarter.start <= r["deadline"] <= quarter.end]
    return {
        "stages_closed": len(closed),
        "bids": sum(r["bids"] or 0 for r in closed),
        "taken_forward": sum(r["taken_forward"] or 0 for r in closed),
        "awarded": sum(r["awarded"] or 0 for r in closed),
    }


def _build(region: Region, quarter: Quarter) -> Mapping[str, Any]:
    funnel = report_block("commissioning-funnel", region, quarter, id_prefix="pack-commissioning")
    # The moment the funnel is drawn at (the end of the pack's date, or now if earlier): the same
    # moment for the quarter's figures, so a stage sealed then is sealed in both.
    moment = as_at(funnel["result"].params, timezone.now())
    return {
        "quarter_figures": in_quarter(funnel["result"].rows, quarter),
        "quarter": quarter_commissioning(region, quarter.start, quarter.end, now=moment),
        "blocks": [funnel],
    }


SECTIONS = [
    PackSection(
        position=30,
        slug="commissioning",
        title="Commissioning in the quarter",
        build=_build,
        template="commissioning/pack/section.html",
    ),
]
