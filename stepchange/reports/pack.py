"""The reports app's sections of the steering group's quarterly pack: the probation share with its
trend, and prison provision.

Every figure in them is a registered report run through ``run_report`` with the parameters its page
would be given (``report_block``), so the pack's figure is the page's figure; commissioning and
capacity build their sections with the same function. The pack shows a report's main columns, as
its page does until asked for all of them; the rest are in the page's downloads.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse

from stepchange.core.models import Region
from stepchange.core.periods import Quarter, year_containing
from stepchange.pack.sections import PackSection, figures_date
from stepchange.reports import formatting
from stepchange.reports.charts import render_svg
from stepchange.reports.registry import ReportResult, run_report

TEMPLATE = "reports/pack/section.html"


def report_raw(name: str, region: Region, quarter: Quarter) -> dict[str, str]:
    """The parameters a pack gives each report: the region, and the figures' date, or for the
    reports of a quarter's prison returns the quarter itself (at its last day, or in its year)."""
    if name == "prison-provision":
        return {"region": region.code, "year": year_containing(quarter.start).name, "quarter": f"Q{quarter.number}"}
    if name == "prison-spend":
        return {"region": region.code, "at": quarter.end.isoformat(), "quarter": f"Q{quarter.number}"}
    return {"region": region.code, "at": figures_date(quarter).isoformat()}


def main_columns(result: ReportResult) -> ReportResult:
    """The result with its main columns only (its page hides the secondary ones until asked)."""
    shown = copy.copy(result)
    shown.columns = [c for c in result.columns if not c.secondary]
    return shown


def report_block(name: str, region: Region, quarter: Quarter, *, id_prefix: str) -> dict[str, Any]:
    """One report as a pack shows it: its result, its table and its chart, and its page's address."""
    raw = report_raw(name, region, quarter)
    result = run_report(name, raw)
    shown = main_columns(result)
    return {
        "name": name,
        "result": result,
        "table": formatting.table(shown),
        "chart": render_svg(result.chart, id_prefix=f"{id_prefix}-{name}") if result.chart else None,
        "url": f"{reverse('reports:report', args=[name])}?{urlencode(raw)}",
    }


def _blocks(*names: str) -> Any:
    def build(region: Region, quarter: Quarter) -> Mapping[str, Any]:
        return {"blocks": [report_block(name, region, quarter, id_prefix=f"pack-{names[0]}") for name in names]}

    return build


SECTIONS = [
    PackSection(
        position=10,
        slug="probation-share",
        title="The probation share and its trend",
        build=_blocks("probation-share", "share-trend"),
        template=TEMPLATE,
    ),
    PackSection(
        position=20,
        slug="prison-provision",
        title="Prison provision",
        build=_blocks("prison-spend", "prison-provision"),
        template=TEMPLATE,
    ),
]
