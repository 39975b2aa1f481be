"""Who may read which report: the only place that decides it.

Reports are published figures, open to everyone, signed out included; a report registered
``signed_in_only`` (the day-to-day status of the returns, naming who is late) is for people signed
in, and someone signed out is sent to sign in.
"""

from __future__ import annotations

from typing import Any

from stepchange.core import access
from stepchange.core.roles import Role
from stepchange.organisations.models import Commissioner, CommissionerKind
from stepchange.reports.registry import REPORTS, Report


def may_read_report(user: Any, report: Report) -> bool:
    return not report.signed_in_only or access.is_signed_in(user)


def reports_readable_by(user: Any) -> list[Report]:
    return sorted((r for r in REPORTS.values() if may_read_report(user, r)), key=lambda r: r.name)


def own_probation_area(user: Any) -> Commissioner | None:
    """The probation area the dashboard shows as the person's own: a probation contracts manager's
    commissioner, when it is a probation area. Nobody else has one (no one else's commissioner is
    looked up)."""
    if not access.has_role(user, Role.PROBATION_MANAGER):
        return None
    commissioner = access.own_commissioner(user)
    return commissioner if commissioner is not None and commissioner.kind == CommissionerKind.PROBATION else None
