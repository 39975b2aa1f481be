"""The provider burden's figures, against numbers worked out by hand from ``answered_work``
(tests/burden/conftest.py says what was answered, when, and the time each said it took)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from stepchange.burden import figures
from stepchange.burden.selectors import Period, burden_by_organisation
from stepchange.core.models import FinancialYear
from stepchange.reports.registry import run_report
from tests.burden.conftest import Work
from tests.personas import Cast

D = Decimal
YEAR = (datetime.date(2006, 4, 1), datetime.date(2007, 3, 31))
Q1 = (datetime.date(2006, 4, 1), datetime.date(2006, 6, 30))


def test_the_median_of_an_even_number_is_the_mean_of_the_two_middle_values() -> None:
    assert figures.median([]) is None
    assert figures.median([D(5)]) == D(5)
    assert figures.median([D(4), D(1), D(2)]) == D(2)
    assert figures.median([D("1.5"), D("4.5")]) == D(3)


def test_a_blank_is_not_said_and_never_counted_as_zero() -> None:
    pieces = [figures.Piece("x", 1, YEAR[0], h) for h in (D(3), None, D(0), None)]
    # Said: 3 and 0 (two people); the blanks are left out: sum 3, mean 3/2 = 1.5 (not 3/4 = 0.75),
    # median of (0, 3) = 1.5.
    assert figures.time_figures(pieces) == {
        "answered": 2,
        "hours_sum": D(3),
        "hours_mean": D("1.5"),
        "hours_median": D("1.5"),
    }
    # Nobody said: no figure at all, not 0.
    assert figures.time_figures([figures.Piece("x", 1, YEAR[0], None)]) == {
        "answered": 0,
        "hours_sum": None,
        "hours_mean": None,
        "hours_median": None,
    }


def _by_process(rows: list[dict]) -> dict[str, tuple]:
    return {
        r["process"]: (
            r["pieces"],
            r["organisations"],
            r["answered"],
            r["hours_sum"],
            r["hours_mean"],
            r["hours_median"],
        )
        for r in rows
    }


@pytest.mark.django_db
def test_the_year_by_process(cast: Cast, answered_work: Work) -> None:
    rows = _by_process(figures.by_process(figures.work_in(cast.region.pk, *YEAR)))
    assert rows == {
        # Leeds 3.0 and a blank: 2 returns, 1 said, 3.0 in all, mean 3.0, median 3.0.
        "Prison returns": (2, 1, 1, D("3.0"), D(3), D("3.0")),
        # South Yorkshire 1.5, 2.0, 5.5 and West Yorkshire a blank (the North East's is another
        # region's, the draft not submitted): 4 returns of 2 areas, 3 said; 9.0 in all; mean
        # 9.0 / 3 = 3.0 (with the blank as 0 it would be 2.25); median of 1.5, 2.0, 5.5 = 2.0.
        "Probation returns": (4, 2, 3, D("9.0"), D(3), D("2.0")),
        # Acorn's bid at the passed stage (the withdrawn and the sealed aside); the survey's 10 and
        # 20 hours: 30 in all, mean 15, median (10 + 20) / 2 = 15.
        "Bids (one for each stage)": (1, 1, 2, D(30), D(15), D(15)),
        # Acorn 6.0 and Beacon a blank (Calder's draft not submitted).
        "Small grant applications": (2, 2, 1, D("6.0"), D(6), D("6.0")),
        # Acorn's two answers, 2.0 and 0 (0 is said): 2.0 in all, mean 1.0, median (0 + 2) / 2 = 1.0.
        "Monitoring requests": (2, 1, 2, D("2.0"), D(1), D(1)),
    }


@pytest.mark.django_db
def test_the_first_quarter_by_process(cast: Cast, answered_work: Work) -> None:
    rows = _by_process(figures.by_process(figures.work_in(cast.region.pk, *Q1)))
    assert rows == {
        "Prison returns": (1, 1, 1, D("3.0"), D(3), D("3.0")),  # 10 May only
        "Probation returns": (4, 2, 3, D("9.0"), D(3), D("2.0")),  # all four are April-June
        "Bids (one for each stage)": (1, 1, 2, D(30), D(15), D(15)),
        "Small grant applications": (0, 0, 0, None, None, None),  # both in July
        "Monitoring requests": (1, 1, 1, D("2.0"), D("2.0"), D("2.0")),  # 30 June; 5 July is Q2
    }


@pytest.mark.django_db
def test_the_regional_commissioner_sees_every_organisation_a_provider_its_own(cast: Cast, answered_work: Work) -> None:
    year = FinancialYear.objects.get(name="2006-07")
    period = Period(year, None, *YEAR, "2006-07", [year])
    rows = {r["organisation"]: r for r in burden_by_organisation(cast.alice, period)}
    assert sorted(rows) == [
        "Acorn Housing Trust",
        "Beacon Services Ltd",
        "HMP Leeds",
        "South Yorkshire Probation Area",
        "West Yorkshire Probation Area",
    ]
    acorn = rows["Acorn Housing Trust"]
    # A bid (no time of its own: the survey is anonymous), an application (6.0) and two monitoring
    # answers (2.0 and 0): 4 answered, 3 said, 8.0 in all, mean 8.0 / 3 = 2.666..., median 2.0.
    assert (acorn["bid"], acorn["grant_application"], acorn["monitoring"], acorn["pieces"]) == (1, 1, 2, 4)
    assert (acorn["answered"], acorn["hours_sum"], acorn["hours_median"]) == (3, D("8.0"), D("2.0"))
    assert acorn["hours_mean"] == D("8.0") / 3
    beacon = rows["Beacon Services Ltd"]
    # Beacon's withdrawn bid is not counted; its application did not say: nothing said, no figure.
    assert (beacon["pieces"], beacon["answered"], beacon["hours_sum"], beacon["hours_mean"]) == (1, 0, None, None)
    sypa = rows["South Yorkshire Probation Area"]
    assert (sypa["probation_return"], sypa["answered"], sypa["hours_sum"], sypa["hours_mean"]) == (3, 3, D("9.0"), D(3))
    # Dave, of Acorn, sees Acorn's row only; Erin, of Beacon, Beacon's; Heidi (an evaluator) none.
    assert [r["organisation"] for r in burden_by_organisation(cast.dave, period)] == ["Acorn Housing Trust"]
    assert [r["organisation"] for r in burden_by_organisation(cast.erin, period)] == ["Beacon Services Ltd"]
    assert burden_by_organisation(cast.heidi, period) == []


@pytest.mark.django_db
def test_the_report_by_process_its_trend_and_the_questions_asked_twice(cast: Cast, answered_work: Work) -> None:
    result = run_report("provider-burden", {"region": "YH", "year": "2006-07", "quarter": "Q1"})
    # April-June: 1 prison return, 4 probation returns, 1 bid, no application, 1 monitoring answer;
    # by HMP Leeds, South and West Yorkshire, and Acorn (its bid and its answer): 4 organisations.
    assert result.totals == {"period": "2006-07 Q1", "pieces": 1 + 4 + 1 + 0 + 1, "organisations": 4}
    trend = {(r["quarter"], r["process"]): r for r in result.tables[0].rows}
    assert len(trend) == 4 * 5
    q2_grants = trend[("2006-07 Q2", "Small grant applications")]
    assert (q2_grants["pieces"], q2_grants["answered"], q2_grants["hours_sum"]) == (2, 1, D("6.0"))
    q2_prison = trend[("2006-07 Q2", "Prison returns")]
    assert (q2_prison["pieces"], q2_prison["answered"], q2_prison["hours_mean"]) == (1, 0, None)
    assert result.chart is not None
    assert dict(result.chart.series)["Monitoring requests"] == [D(1), D(1), D(0), D(0)]
    twice = {r["question"]: r["forms"] for r in result.tables[1].rows}
    assert twice["Charity number"] == [
        "Forming a bidding partnership",
        "Inviting a partnership member",
        "Organisation profile",
    ]
    assert twice["Constitution"] == ["Forming a bidding partnership", "Setting up a consortium"]
    assert "Time the form took" not in twice
    assert "Contact e-mail" not in twice  # asked in the profile only
