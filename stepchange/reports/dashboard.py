"""The figures on the home page: the region's share of main grant, and a probation manager's own
area beside it. Read from the probation-share report through ``run_report``, so the dashboard
always agrees with the report page and its downloads."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings

from stepchange.accounts.models import Role
from stepchange.core import access
from stepchange.core.models import Region
from stepchange.organisations.models import CommissionerKind
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
        result = run_report("probation-share", {"region": region_code_for(user)})
    except ParamError:
        return None
    own_area = None
    commissioner = access.own_commissioner(user)
    if (
        access.has_role(user, Role.PROBATION_MANAGER)
        and commissioner is not None
        and commissioner.kind == CommissionerKind.PROBATION
    ):
        own_area = next((r for r in result.rows if r["commissioner"] == commissioner.code), None)
    return Dashboard(result=result, own_area=own_area)
