"""The figures on the home page: the region's share of main grant, and a probation manager's own
area beside it. Read from the probation-share report through ``run_report``, so the dashboard
always agrees with the report page and its downloads.

The report is computed once per region and day while its data stays the same
(``core.dataversion.cached``): the home page is the page everyone opens first, and at national
scale the report reads thousands of contracts each time. Measured with ``python -m bench --only
http`` at 200,000 contracts (requests per second against a bare view, goal at least 0.5×): without
the cache 0.11× on PostgreSQL and on SQLite (missed), with it 0.44× to 0.59× on PostgreSQL (met in
4 runs of 5) and 0.45× to 0.63× on SQLite (met in 3 of 5), on 2 shared, busy cores."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.conf import settings

from stepchange.core import access
from stepchange.core.dataversion import cached
from stepchange.core.models import Region
from stepchange.reports.access import own_probation_area
from stepchange.reports.registry import ParamError, ReportResult, run_report


@dataclass(frozen=True)
class Dashboard:
    result: ReportResult
    # The signed-in probation manager's own row of the report, when there is one.
    own_area: dict[str, Any] | None


def region_code_for(user: Any) -> str:
    """The user's own region, else the service's default one."""
    region_id = access.user_region_id(user)
    code = Region.objects.filter(id=region_id).values_list("code", flat=True).first() if region_id else None
    return code or settings.DEFAULT_REGION


def dashboard_for(user: Any) -> Dashboard | None:
    """None when there is nothing to show yet (no region set up, no financial year for today)."""
    try:
        code = region_code_for(user)
        # Keyed by the day too: the report is at the latest approved return on or before today.
        result = cached(
            ("dashboard", code, datetime.date.today()), lambda: run_report("probation-share", {"region": code})
        )
    except ParamError:
        return None
    own_area = None
    area = own_probation_area(user)
    if area is not None:
        own_area = next((r for r in result.rows if r["commissioner"] == area.code), None)
    return Dashboard(result=result, own_area=own_area)
