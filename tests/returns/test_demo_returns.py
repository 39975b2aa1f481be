"""The demo's prison returns, pinned against hand-worked numbers: four approved quarters of 2006-07
for the 14 prisons, and the 2007-08 Q1 round still open."""

from __future__ import annotations

import io
from collections.abc import Iterator
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import transaction

from stepchange.reports.registry import run_report
from stepchange.returns.models import PrisonReturn, Status


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker) -> Iterator[None]:  # type: ignore[no-untyped-def]
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


pytestmark = pytest.mark.django_db


def test_the_regional_trend_rises_through_the_year(demo):
    result = run_report("prison-provision", {"year": "2006-07"})
    totals = result.totals
    # Q1 is the sum of the bases: 6+12+10+4+3+4+5+5+3+2+3+4+3+4 = 68. Each quarter adds
    # Hull 4, Leeds 3, Doncaster 3 and 1 at each of the other eleven = 21: 89, 110, 131.
    assert (totals["q1"], totals["q2"], totals["q3"], totals["q4"]) == (68, 89, 110, 131)
    # Started: 21 a quarter for four quarters.
    assert totals["started"] == 84
    assert (totals["returns_asked"], totals["returns_missing"]) == (56, 0)


def test_leeds_doncaster_and_hull_have_full_time_posts_and_the_most_new_services_hull_the_strongest_rise(demo):
    result = run_report("prison-provision", {"year": "2006-07"})
    by_code = {e["establishment"]: e for e in result.totals["establishments"]}
    assert {code for code, e in by_code.items() if e["coordinator_post"] == "Full time"} == {
        "LEEDS",
        "DONCASTER",
        "HULL",
    }
    # Hull 4 × 4 = 16, Leeds and Doncaster 3 × 4 = 12, everyone else 1 × 4 = 4.
    top_three = sorted(by_code, key=lambda c: -by_code[c]["started"])[:3]
    assert set(top_three) == {"LEEDS", "DONCASTER", "HULL"} and by_code["HULL"]["started"] == 16
    # FTE: three full-time posts and seven half-time ones: 3 + 7 × 0.5 = 6.5.
    assert result.totals["coordinator_fte"] == Decimal("6.5")

    def q_total(code, q):
        return sum(r[f"q{q}"] or 0 for r in result.rows if r["establishment"] == code)

    rises = {code: Decimal(q_total(code, 4)) / q_total(code, 1) for code in by_code}
    # Hull 6 to 18 (×3); the next is Hatfield 2 to 5 (×2.5).
    assert max(rises, key=lambda c: rises[c]) == "HULL"
    assert rises["HULL"] == 3


def test_prison_spend_reproduces_the_reports_baseline(demo):
    rows = {r["pathway"]: r["spend"] for r in run_report("prison-spend", {"at": "2006-04-01"}).rows}
    assert rows["Education, Training & Employment"] == Decimal("528802.00")
    assert rows["Accommodation"] == Decimal("444490.00")
    assert rows["Drugs & Alcohol"] == Decimal("1762874.00")
    # Visitors' centres, counted as Children & Families.
    assert rows["Children & Families"] == Decimal("72515.00")


def test_the_open_round_has_one_overdue_one_returned_and_one_waiting(demo):
    result = run_report("returns-status", {"year": "2007-08", "quarter": "Q1"})
    statuses = {r["commissioner"]: r["status"] for r in result.rows}
    assert statuses["WEALSTUN"] == "Overdue"
    assert statuses["DONCASTER"] == "Returned for correction"
    assert statuses["WOLDS"] == "Submitted"
    assert (result.totals["approved"], result.totals["overdue"], result.totals["returns"]) == (11, 1, 14)
    doncaster = PrisonReturn.objects.get(commissioner__code="DONCASTER", round__year__name="2007-08")
    assert doncaster.status == Status.RETURNED


def test_loading_the_demo_again_changes_nothing(demo):
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert "0 rows created, 0 updated, 0 removed" in out.getvalue()
