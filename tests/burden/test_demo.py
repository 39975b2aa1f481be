"""The demo's illustrative burden: times on its prison returns and small grant applications (some
left blank), and Foundation Housing's monitoring requests, answered and waiting."""

from __future__ import annotations

from decimal import Decimal

import pytest

from stepchange.accounts.models import User
from stepchange.burden.models import MonitoringRequest
from stepchange.burden.todo import requests_to_answer
from stepchange.core.models import Region
from stepchange.funding.models import GrantApplication
from stepchange.reports.registry import run_report
from stepchange.returns.models import PrisonReturn

pytestmark = pytest.mark.usefixtures("db")


def test_the_demo_burden(demo: str) -> None:
    submitted = PrisonReturn.objects.filter(submitted_at__isnull=False)
    said = submitted.filter(hours_taken__isnull=False)
    # Two of every eight in turn are left blank: some said, some not.
    assert 0 < said.count() < submitted.count()
    assert set(GrantApplication.objects.exclude(hours_taken=None).values_list("hours_taken", flat=True)) == {
        Decimal("6"),
        Decimal("4.5"),
    }
    requests = MonitoringRequest.objects.order_by("period_start")
    assert [(r.is_answered, r.hours_taken) for r in requests] == [(True, Decimal("3")), (True, None), (False, None)]
    fiona = User.objects.get(username="foundation.provider")
    assert [item.url for item in requests_to_answer(fiona, requests[2].asked_at)] == [requests[2].get_absolute_url()]
    result = run_report("provider-burden", {"region": Region.objects.get(code="YH").code, "year": "2006-07"})
    monitoring = {r["process"]: r for r in result.rows}["Monitoring requests"]
    # 20 October 2006 (3 hours) and 29 January 2007 (not said): 2 answered, 1 said, 3 hours in all.
    assert (monitoring["pieces"], monitoring["answered"], monitoring["hours_sum"]) == (2, 1, Decimal(3))
