"""Capacity's section of the steering group's quarterly pack: the reach of capacity building.

The events begun in the quarter, each with the people who came by sector (``attendance_by_sector``,
what the event's own page shows), then the capacity-outcomes report at the pack's date (through the
report's registry, as its page runs it): the organisations reached and what they went on to do.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from stepchange.capacity.selectors import SECTORS, attendance_by_sector, event_dates, events_held_in
from stepchange.core.models import Region
from stepchange.core.periods import Quarter
from stepchange.pack.sections import PackSection
from stepchange.reports.pack import report_block


def events_in_quarter(region: Region, quarter: Quarter) -> dict[str, Any]:
    """Each event begun in the quarter with its attendance by sector, and the quarter's totals.

    A person who came to two events counts at each (the totals add the events' own figures)."""
    labels = [label for _, label in SECTORS]
    rows: list[dict[str, Any]] = []
    for event in events_held_in(region.pk, quarter.start, quarter.end):
        by_sector = dict(attendance_by_sector(event))
        rows.append(
            {
                "event": event,
                "first_day": event_dates(event)[0],
                "counts": [by_sector.get(label, 0) for label in labels],
                "not_known": by_sector.get("Sector not known", 0),
                "total": sum(by_sector.values()),
            }
        )
    return {
        "sectors": labels,
        "rows": rows,
        "totals": {
            "events": len(rows),
            "counts": [sum(r["counts"][i] for r in rows) for i in range(len(labels))],
            "not_known": sum(r["not_known"] for r in rows),
            "total": sum(r["total"] for r in rows),
        },
    }


def _build(region: Region, quarter: Quarter) -> Mapping[str, Any]:
    return {
        "events": events_in_quarter(region, quarter),
        "blocks": [report_block("capacity-outcomes", region, quarter, id_prefix="pack-capacity")],
    }


SECTIONS = [
    PackSection(
        position=40,
        slug="capacity-building",
        title="Capacity-building reach",
        build=_build,
        template="capacity/pack/section.html",
    ),
]
