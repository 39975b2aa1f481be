"""The prison reports against hand-worked numbers: provision by establishment, pathway and quarter
with incomplete quarters marked, co-ordinator posts, running counts that do not reconcile, the
year's spend with known and unknown counts, and the establishment type filter."""

from __future__ import annotations

import html
import io
import json
from decimal import Decimal

import pytest
from django.core.management import call_command

from stepchange.organisations.models import Commissioner, EstablishmentType
from stepchange.reports.registry import ParamError, run_report
from stepchange.returns import services
from stepchange.returns.models import PrisonReturn
from tests.factories import Clock, approve, fill_prison_return, open_prison_round
from tests.personas import Cast

pytestmark = pytest.mark.django_db


def by(rows, key, value):
    return next(r for r in rows if r[key] == value)


def test_no_post_is_stored_as_zero_fte(cast, clock):
    prison_return = fill_prison_return(PrisonReturn.objects.get(round=open_prison_round(cast)), cast.frank, post="none")
    assert (prison_return.coordinator_post, prison_return.coordinator_fte) == ("none", Decimal("0.00"))


def test_every_running_count_that_does_not_reconcile_is_listed(cast, clock):
    q1 = fill_prison_return(
        PrisonReturn.objects.get(round=open_prison_round(cast)), cast.frank, {"ete": (5, 5, 0, None)}
    )
    approve(cast, q1)
    q2 = fill_prison_return(
        PrisonReturn.objects.get(round=open_prison_round(cast, 2)),
        cast.frank,
        {"ete": (4, 2, 1, None), "health": (1, 1, 0, None)},
    )
    services.return_submit(
        actor=cast.frank, the_return=q2, expected_version=q2.version, reasons={"not-reconciled:ete": "Merged"}
    )
    services.return_approve(actor=cast.grace, the_return=q2, expected_version=q2.version)
    result = run_report("prison-provision", {"year": "2006-07"})
    # ETE in Q2: 5 + 2 − 1 = 6 expected, 4 reported. Health reconciles (0 + 1 − 0 = 1); Q1 has no
    # quarter before it to reconcile with.
    assert {t.key: t for t in result.tables}["not_reconciled"].rows == [
        {
            "name": "HMP Leeds",
            "pathway": "Education, Training & Employment",
            "quarter": "2006-07 Q2",
            "last_running": 5,
            "started": 2,
            "ended": 1,
            "expected": 6,
            "running": 4,
        }
    ]
    assert result.totals["not_reconciled"] == 1


@pytest.fixture
def three_quarters(cast, clock, two_quarters):
    """Two quarters, and Q3 with Leeds approved (ETE £150.50, Health a nil £0) and Hull missing."""
    q3 = open_prison_round(cast, quarter=3, commissioners=[cast.leeds, two_quarters])
    approve(
        cast,
        fill_prison_return(
            PrisonReturn.objects.get(round=q3, commissioner=cast.leeds),
            cast.frank,
            {"ete": (4, 0, 0, Decimal("150.50")), "health": (2, 0, 0, Decimal("0.00"))},
        ),
    )
    return two_quarters


class TestOnTwoQuarters:
    """The tests that read two quarters of returns (three with ``three_quarters``): the cast and the two quarters are built once for the class (``two_quarters_once``), each test's own writes rolled back."""

    @pytest.fixture
    def cast(self, two_quarters_once, clock: Clock):
        return two_quarters_once[0]

    @pytest.fixture
    def two_quarters(self, two_quarters_once, cast: Cast):
        return two_quarters_once[1]

    def test_provision_gives_totals_by_establishment_and_pathway_with_started_and_ended(self, cast, two_quarters):
        result = run_report("prison-provision", {"year": "2006-07"})
        tables = {t.key: t for t in result.tables}
        # Leeds: Q1 ETE 3 + Health 2 = 5; Q2 4 + 2 = 6; started 1 + 2 (Q1) + 1 (Q2) = 4. Hull: Q1 not
        # approved, Q2 ETE 6 + Accommodation 1 = 7, started 2 + 1 = 3.
        leeds = by(tables["by_establishment"].rows, "establishment", "LEEDS")
        hull = by(tables["by_establishment"].rows, "establishment", "HULL")
        assert (leeds["q1"], leeds["q2"], leeds["started"], leeds["ended"]) == (5, 6, 4, 0)
        assert (hull["q1"], hull["q2"], hull["started"], hull["ended"]) == (None, 7, 3, 0)
        # ETE: Q1 Leeds 3; Q2 Leeds 4 + Hull 6 = 10; started 1 + 1 + 2 = 4.
        ete = by(tables["by_pathway"].rows, "pathway", "Education, Training & Employment")
        assert (ete["q1"], ete["q2"], ete["started"]) == (3, 10, 4)
        accommodation = by(tables["by_pathway"].rows, "pathway", "Accommodation")
        assert (accommodation["q1"], accommodation["q2"], accommodation["started"]) == (0, 1, 1)
        assert (result.totals["started"], result.totals["ended"]) == (7, 0)

    def test_a_quarter_with_missing_returns_is_marked_incomplete_and_not_drawn(self, cast, two_quarters):
        result = run_report("prison-provision", {"year": "2006-07"})
        # Q1: Hull's return is missing (1 of 2), so its 5 is not comparable with Q2's 13.
        assert (result.totals["q1_state"], result.totals["q2_state"], result.totals["q3_state"]) == (
            "incomplete",
            "complete",
            "not asked",
        )
        assert result.totals["incomplete_quarters"] == ["2006-07 Q1"]
        assert result.chart is not None
        assert result.chart.series[0][1] == [None, Decimal(13), None, None]
        labels = [c.label for c in result.total_columns]
        assert "Services running in the region, 2006-07 Q1 (incomplete: 1 of 2 returns missing)" in labels
        assert any("Incomplete quarters" in note and "2006-07 Q1" in note for note in result.notes)

    def test_posts_are_a_table_by_establishment_and_quarter_with_the_regions_counts(self, cast, two_quarters):
        leeds_q1 = PrisonReturn.objects.get(commissioner=cast.leeds, round__quarter=1)
        assert leeds_q1.coordinator_fte == Decimal("1.00")  # full time is stored as 1.0 FTE
        result = run_report("prison-provision", {"year": "2006-07"})
        posts = {t.key: t for t in result.tables}["posts"].rows
        assert by(posts, "establishment", "LEEDS")["q1"] == "Full time"
        hull = by(posts, "establishment", "HULL")
        assert (hull["q1"], hull["q2"]) == (None, "Part time (0.5 FTE)")
        # Latest approved return each: Leeds full time (1.0), Hull part time (0.5): 1 + 1 posts, 1.5 FTE.
        assert (result.totals["full_time_posts"], result.totals["part_time_posts"]) == (1, 1)
        assert result.totals["coordinator_fte"] == Decimal("1.50")
        assert not any("co-ordinator posts by establishment" in note for note in result.notes)

    def test_prison_spend_for_a_year_sums_the_known_quarters_and_counts_the_unknown(self, cast, three_quarters):
        result = run_report("prison-spend", {"year": "2006-07"})
        rows = {r["pathway"]: r for r in result.rows}
        # ETE: Leeds Q1 £200 + Q3 £150.50 = £350.50 from 2 returns; blank in Leeds Q2 and Hull Q2.
        assert rows["Education, Training & Employment"] == {
            "pathway": "Education, Training & Employment",
            "spend": Decimal("350.50"),
            "returns_spend_known": 2,
            "returns_spend_not_known": 2,
        }
        # Health: a nil (£0) in Leeds Q3 is known; blank elsewhere (3 returns).
        assert (rows["Health"]["spend"], rows["Health"]["returns_spend_known"]) == (Decimal("0.00"), 1)
        assert rows["Health"]["returns_spend_not_known"] == 3
        # Accommodation: blank in all 4 approved returns: not known, never £0.00.
        assert (rows["Accommodation"]["spend"], rows["Accommodation"]["returns_spend_not_known"]) == (None, 4)
        assert "Unpaid Work" not in rows
        establishments = {r["establishment"]: r for r in {t.key: t for t in result.tables}["by_establishment"].rows}
        leeds, hull = establishments["LEEDS"], establishments["HULL"]
        assert (leeds["spend"], leeds["returns_spend_known"], leeds["returns_spend_not_known"]) == (
            Decimal("350.50"),
            2,
            1,
        )
        assert (hull["spend"], hull["returns_spend_known"], hull["returns_spend_not_known"]) == (None, 0, 1)
        totals = result.totals
        assert (totals["spend"], totals["returns_spend_known"], totals["returns_spend_not_known"]) == (
            Decimal("350.50"),
            2,
            2,
        )
        # Asked for 3 rounds × 2 prisons = 6; Hull's Q1 (not approved) and Q3 (not filled) missing.
        assert (totals["returns_asked"], totals["returns_missing"]) == (6, 2)

    def test_prison_spend_for_a_year_from_the_command_line_and_the_page(self, cast, three_quarters, client):
        out = io.StringIO()
        call_command(
            "report", "prison-spend", "--param", "year=2006-07", "--param", "region=YH", "--format", "json", stdout=out
        )
        data = json.loads(out.getvalue())
        ete = next(r for r in data["rows"] if r["pathway"] == "Education, Training & Employment")
        assert (ete["spend"], ete["returns_spend_known"], ete["returns_spend_not_known"]) == ("350.50", 2, 2)
        hull = next(r for r in data["tables"]["by_establishment"] if r["establishment"] == "HULL")
        assert (hull["spend"], hull["returns_spend_known"], hull["returns_spend_not_known"]) == (None, 0, 1)
        page = html.unescape(client.get("/reports/prison-spend/", {"year": "2006-07"}).content.decode())
        assert "Spend reported by establishment, 2006-07" in page
        assert "not known" in page

        def row_of(name: str) -> str:
            start = page.index(f">{name}<", page.index("<table"))  # the table, not the chart above it
            return page[start : page.index("</tr>", start)]

        assert ">£0<" in row_of("Health")  # a nil, which is known
        assert "not known" in row_of("Accommodation") and "£" not in row_of("Accommodation")

    def test_the_prison_reports_show_and_filter_by_establishment_type(self, cast, two_quarters, client):
        Commissioner.objects.filter(code="LEEDS").update(establishment_type=EstablishmentType.LOCAL)
        Commissioner.objects.filter(code="HULL").update(establishment_type=EstablishmentType.CATEGORY_C)
        everyone = run_report("prison-provision", {"year": "2006-07"})
        assert {(r["name"], r["establishment_type"]) for r in everyone.rows} == {
            ("HMP Leeds", "Local"),
            ("HMP Hull", "Category C"),
        }
        local = run_report("prison-provision", {"year": "2006-07", "establishment_type": "local"})
        assert {r["name"] for r in local.rows} == {"HMP Leeds"}
        # Leeds alone: 2 returns asked, both approved; Q1 complete now (Hull is not of this type).
        assert (local.totals["returns_asked"], local.totals["returns_missing"], local.totals["q1_state"]) == (
            2,
            0,
            "complete",
        )
        assert (local.totals["q1"], local.totals["q2"]) == (5, 6)
        spend = run_report("prison-spend", {"year": "2006-07", "establishment_type": "Category C"})
        assert [r["establishment"] for r in {t.key: t for t in spend.tables}["by_establishment"].rows] == ["HULL"]
        assert spend.params.as_dict()["establishment_type"] == "cat_c"
        with pytest.raises(ParamError, match="not one"):
            run_report("prison-provision", {"year": "2006-07", "establishment_type": "castle"})
        with pytest.raises(ParamError, match="does not take an establishment type"):
            run_report("probation-share", {"at": "2006-10-01", "establishment_type": "local"})
        page = html.unescape(
            client.get(
                "/reports/prison-provision/", {"year": "2006-07", "establishment_type": "local"}
            ).content.decode()
        )
        assert '<option value="local" selected>Local</option>' in page
        assert "Only establishments of type Local." in page
