"""The demo's prison returns, pinned against hand-worked numbers: four approved quarters of 2006-07
for the 14 prisons, and the 2007-08 Q1 round still open."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.management import call_command

from stepchange.reports.registry import run_report
from stepchange.returns.models import PrisonReturn, Status

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


def test_the_demo_prisons_have_their_establishment_types_and_their_figures_reconcile(demo):
    from stepchange.organisations.models import Commissioner

    types = dict(Commissioner.objects.filter(kind="prison").values_list("code", "establishment_type"))
    assert (types["LEEDS"], types["WETHERBY"], types["ASKHAM"], types["NEWHALL"], types["HATFIELD"]) == (
        "local",
        "yoi",
        "womens",
        "womens",
        "open",
    )
    assert all(types.values())
    result = run_report("prison-provision", {"year": "2006-07"})
    # Each quarter's running is last quarter's plus what started (nothing ends in the demo).
    assert result.totals["not_reconciled"] == 0
    # Full time 1.0 × 3, part time 0.5 × 7, none 0 × 4: 6.5 FTE; 3 full-time and 7 part-time posts.
    assert (result.totals["full_time_posts"], result.totals["part_time_posts"]) == (3, 7)
    # Women's prisons: Askham Grange 3 and New Hall 4 running in Q1 (7); each adds 1 a quarter, so
    # 6 + 7 = 13 in Q4; 2 prisons × 4 rounds = 8 returns asked for.
    womens = run_report("prison-provision", {"year": "2006-07", "establishment_type": "womens"})
    assert (womens.totals["q1"], womens.totals["q4"], womens.totals["returns_asked"]) == (7, 13, 8)


def test_the_open_round_is_an_incomplete_quarter_left_out_of_the_chart(demo):
    result = run_report("prison-provision", {"year": "2007-08"})
    # Wolds submitted, Doncaster returned and Wealstun overdue: 3 of 14 returns missing.
    assert result.totals["q1_state"] == "incomplete"
    assert result.chart is not None and result.chart.series[0][1][0] is None
    assert "(incomplete: 3 of 14 returns missing)" in result.total_columns[0].label
