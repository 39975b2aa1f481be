"""The returns reports against hand-worked numbers: only approved returns count, and each report
says how many returns it is missing."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal

import pytest
from django.core.management import call_command

from stepchange.organisations.models import Sector
from stepchange.reports.registry import ParamError, run_report
from tests.factories import Clock, ContractFactory, OrganisationFactory
from tests.personas import Cast

pytestmark = pytest.mark.django_db


def row_for(result, name, pathway):
    return next(r for r in result.rows if r["name"] == name and r["pathway"] == pathway)


def test_a_quarter_must_be_q1_to_q4_and_only_where_a_report_takes_one(cast):
    with pytest.raises(ParamError, match="write Q1, Q2, Q3 or Q4"):
        run_report("prison-provision", {"year": "2006-07", "quarter": "Q5"})
    with pytest.raises(ParamError, match="does not take a quarter"):
        run_report("probation-share", {"at": "2006-10-01", "quarter": "Q2"})


class TestOnTwoQuarters:
    """The tests that read two quarters of returns: the cast and the returns are built once for the class (``two_quarters_once``), each test's own writes rolled back."""

    @pytest.fixture
    def cast(self, two_quarters_once, clock: Clock):
        return two_quarters_once[0]

    @pytest.fixture
    def two_quarters(self, two_quarters_once, cast: Cast):
        return two_quarters_once[1]

    def test_prison_provision_counts_approved_returns_only(self, cast, two_quarters):
        result = run_report("prison-provision", {"year": "2006-07"})
        # Hull's Q1 return is submitted, not approved: Hull has no Q1 figure.
        assert (
            row_for(result, "HMP Hull", "Education, Training & Employment")["q1"],
            row_for(result, "HMP Hull", "Education, Training & Employment")["q2"],
        ) == (None, 6)
        leeds_ete = row_for(result, "HMP Leeds", "Education, Training & Employment")
        assert (leeds_ete["q1"], leeds_ete["q2"], leeds_ete["started"]) == (3, 4, 2)  # started 1 + 1
        assert row_for(result, "HMP Leeds", "Health")["started"] == 2  # 2 in Q1, 0 in Q2
        totals = result.totals
        # Q1: Leeds 3 + 2 = 5. Q2: Leeds 4 + 2, Hull 6 + 1 = 13. No Q3 or Q4 round: nothing known.
        assert (totals["q1"], totals["q2"], totals["q3"], totals["q4"]) == (5, 13, None, None)
        # Started: Leeds 1 + 2 + 1 = 4; Hull 2 + 1 = 3; 7 in all.
        assert totals["started"] == 7
        assert {e["establishment"]: e["started"] for e in totals["establishments"]} == {"HULL": 3, "LEEDS": 4}
        # Posts: Leeds full time (1 FTE), Hull part time 0.5 FTE (its latest approved return, Q2).
        assert totals["full_time_posts"] == 1
        assert totals["coordinator_fte"] == Decimal("1.5")
        # Asked for 4 returns (2 rounds × 2 prisons), 3 approved, Hull's Q1 missing.
        assert (totals["returns_asked"], totals["returns_approved"], totals["returns_missing"]) == (4, 3, 1)
        assert "Missing 1 of 4 returns (not yet approved): HMP Hull Q1." in result.notes[0]

    def test_prison_provision_up_to_a_quarter(self, cast, two_quarters):
        result = run_report("prison-provision", {"year": "2006-07", "quarter": "Q1"})
        assert "q2" not in result.totals
        assert result.totals["q1"] == 5
        assert result.totals["returns_missing"] == 1

    def test_prison_spend_reads_live_prison_contracts_beside_approved_returned_spend(self, cast, two_quarters):
        hull = two_quarters
        private = OrganisationFactory.create(name="Carters Ltd", sector=Sector.PRIVATE)
        council = OrganisationFactory.create(name="Leeds City Council", sector=Sector.PUBLIC)
        ContractFactory.create(
            commissioner=cast.leeds, prime=cast.charity, annual_value=Decimal("1000.00"), pathways=["ete"]
        )
        ContractFactory.create(
            commissioner=hull, prime=private, annual_value=Decimal("2500.00"), pathways=["drugs-alcohol"]
        )
        ContractFactory.create(
            commissioner=hull, prime=cast.charity, annual_value=Decimal("300.00"), pathways=["ete", "health"]
        )
        # Not counted: a public prime, a contract ended before the date, a probation area's contract.
        ContractFactory.create(commissioner=cast.leeds, prime=council, annual_value=Decimal("999.00"), pathways=["ete"])
        ContractFactory.create(
            commissioner=cast.leeds,
            prime=cast.charity,
            annual_value=Decimal("777.00"),
            start=datetime.date(2005, 4, 1),
            end=datetime.date(2006, 3, 31),
            pathways=["ete"],
        )
        ContractFactory.create(
            commissioner=cast.sypa, prime=cast.charity, annual_value=Decimal("555.00"), pathways=["ete"]
        )

        result = run_report("prison-spend", {"at": "2006-05-01"})
        rows = {r["pathway"]: r for r in result.rows}
        # ETE: 1,000 + 300 (the two-pathway contract counts in each) = 1,300 from 2 contracts.
        assert (
            rows["Education, Training & Employment"]["spend"],
            rows["Education, Training & Employment"]["contracts"],
        ) == (
            Decimal("1300.00"),
            2,
        )
        assert rows["Health"]["spend"] == Decimal("300.00")
        assert rows["Drugs & Alcohol"]["spend"] == Decimal("2500.00")
        assert rows["Accommodation"]["spend"] == Decimal("0.00")
        # The total counts each contract once: 1,000 + 2,500 + 300 = 3,800 from 3 contracts.
        assert (result.totals["spend"], result.totals["contracts"]) == (Decimal("3800.00"), 3)
        # 1 May is in Q1: Leeds's approved £200 on ETE; Hull's £999 is not approved, so missing.
        assert rows["Education, Training & Employment"]["returned_spend"] == Decimal("200.00")
        assert rows["Health"]["returned_spend"] is None
        assert (result.totals["returned_spend"], result.totals["returns_missing"]) == (Decimal("200.00"), 1)
        # Q2 asked for the quarter by name: both approved, no spend reported: not known, never £0.00.
        q2 = run_report("prison-spend", {"at": "2006-05-01", "quarter": "Q2"})
        assert (q2.totals["returned_spend"], q2.totals["returns_missing"], q2.totals["quarter"]) == (
            None,
            0,
            "2006-07 Q2",
        )

    def test_returns_status_counts_each_state(self, cast, two_quarters):
        result = run_report("returns-status", {"year": "2006-07", "quarter": "Q1"})
        assert [(r["commissioner"], r["status"]) for r in result.rows] == [("HULL", "Submitted"), ("LEEDS", "Approved")]
        assert (result.totals["approved"], result.totals["submitted"], result.totals["returns"]) == (1, 1, 2)
        # 1 approved of 2 = 50%.
        assert result.totals["approved_pct"] == Decimal("50")
        whole_year = run_report("returns-status", {"year": "2006-07"})
        assert whole_year.totals["approved"] == 3

    def test_the_reports_download_and_run_from_the_command_line(self, cast, two_quarters, client_for):
        response = client_for(None).get("/reports/prison-provision.json?year=2006-07&quarter=Q2")
        assert response.status_code == 200
        data = json.loads(response.content)
        assert data["params"]["quarter"] == "Q2"
        assert data["totals"]["q2"] == 13
        assert client_for(cast.alice).get("/reports/returns-status/?year=2006-07").status_code == 200
        import io

        out = io.StringIO()
        call_command("report", "prison-spend", "--param", "at=2006-05-01", "--format", "json", stdout=out)
        assert json.loads(out.getvalue())["totals"]["returns_missing"] == 1
