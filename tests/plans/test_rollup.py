"""The regional roll-up, worked by hand (tests/plans/world.py).

South Yorkshire counts £185,000 on £2,000,000 (9.25%, test_projection.py); West Yorkshire counts
its one planned £100,000 on its final grant of £4,000,000 (2.5%).
  weighted: (185,000 + 100,000) × 100 ÷ 6,000,000 = 4.75%;
  plain mean: (9.25 + 2.5) ÷ 2 = 5.875%;
  contributions: 185,000 × 100 ÷ 6,000,000 = 3.0833… and 100,000 × 100 ÷ 6,000,000 = 1.6666…
  points, adding up to 4.75; target 10%: not met, 5.25 points short.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from stepchange.pack.sections import declared_sections
from stepchange.plans.selectors import rollup
from tests.conftest import ClientFor
from tests.personas import Cast
from tests.plans.world import worked_plans, y0708

pytestmark = pytest.mark.django_db
D = Decimal


def test_the_hand_worked_rollup(cast: Cast) -> None:
    worked_plans(cast)
    r = rollup(cast.region, y0708())
    assert [row.plan.area.code for row in r.rows] == ["SYPA", "WYPA"]
    assert r.grant_total == D("6000000")
    assert r.counted_total == D("285000")
    assert r.weighted_share_pct == D("4.75")
    assert r.mean_share_pct == D("5.875")
    contributions = [row.contribution_pts for row in r.rows]
    assert [f"{c:.4f}" for c in contributions] == ["3.0833", "1.6667"]
    assert sum(contributions) == D("4.75")  # type: ignore[arg-type]
    assert r.meets_target is False
    assert r.gap_pts == D("5.25")


def test_the_rollup_page_and_its_csv_give_the_same_figures(cast: Cast, client_for: ClientFor) -> None:
    worked_plans(cast)
    page = client_for(cast.alice).get(reverse("plans:rollup"), {"year": "2007-08"})
    assert page.status_code == 200
    text = page.content.decode()
    assert "4.8%" in text and "5.9%" in text  # 4.75 and 5.875 to one place, half up
    assert "will not meet the target" in text
    assert '<svg class="app-chart" role="img"' in text  # the chart, beside the table of the same figures
    download = client_for(cast.alice).get(reverse("plans:rollup-csv"), {"year": "2007-08"})
    rows = list(csv.reader(io.StringIO(download.content.decode())))
    assert rows[1][2] == "South Yorkshire Probation Area"
    assert rows[1][9] == "185000.00" and rows[1][10] == "9.25"
    assert rows[3][2] == "Region, weighted by grant" and rows[3][10] == "4.75"
    assert rows[4][2] == "Region, plain mean of the areas' shares" and rows[4][10] == "5.875"


def test_the_pack_section_is_the_rollup(cast: Cast) -> None:
    from stepchange.core.periods import quarters_of

    worked_plans(cast)
    section = next(s for s in declared_sections() if s.slug == "sub-contracting-projection")
    q3_2006 = quarters_of(y0708().__class__.objects.get(name="2006-07"))[2]
    built = section.build(cast.region, q3_2006)
    assert built["rollup"].weighted_share_pct == rollup(cast.region, y0708()).weighted_share_pct
    assert "Region, weighted" in built["chart"]
