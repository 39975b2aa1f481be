"""Bob (South Yorkshire) confirms his area's contracts in a probation round; Alice signs it off; the
share of main grant follows approved returns only."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from stepchange.reports.registry import run_report
from stepchange.returns import services
from stepchange.returns.models import ProbationLineChange, ProbationReturn, Status
from tests.factories import ContractFactory, MainGrantFactory, open_q1

pytestmark = pytest.mark.django_db


@pytest.fixture
def sypa_world(cast):
    MainGrantFactory.create(commissioner=cast.sypa, final=Decimal("1000000.00"))
    a = ContractFactory.create(
        commissioner=cast.sypa, prime=cast.charity, annual_value=Decimal("10000.00"), start=datetime.date(2006, 5, 1)
    )
    ContractFactory.create(
        commissioner=cast.sypa, prime=cast.company, annual_value=Decimal("20000.00"), start=datetime.date(2006, 8, 1)
    )
    return a


def test_the_q1_return_lists_the_contracts_live_on_1_july(cast, clock, sypa_world):
    probation_return = ProbationReturn.objects.get(round=open_q1(cast))
    assert probation_return.as_at == datetime.date(2006, 7, 1)
    # Contract A (from 1 May) is live on 1 July; B starts on 1 August.
    assert [(line.contract, line.annual_value) for line in probation_return.lines.all()] == [
        (sypa_world, Decimal("10000.00"))
    ]


def test_the_baseline_moves_only_when_the_return_is_approved(cast, clock, sypa_world):
    probation_return = ProbationReturn.objects.get(round=open_q1(cast))
    share = run_report("probation-share", {"at": "2006-10-01"}).rows
    sypa = next(r for r in share if r["commissioner"] == "SYPA")
    # No approved return yet: the baseline is 1 April, when nothing was live.
    # Now A + B = £30,000 of £1,000,000 = 3.00%; change 3.00 - 0.00 = 3.00 points.
    assert sypa["baseline_date"] == datetime.date(2006, 4, 1)
    assert sypa["share_pct"] == Decimal("3")
    assert sypa["change_pts"] == Decimal("3")

    line = probation_return.lines.get()
    services.probation_line_save(
        actor=cast.bob,
        probation_return=probation_return,
        expected_version=probation_return.version,
        line=line,
        annual_value=Decimal("10000.00"),
        ended=False,
    )
    line.refresh_from_db()
    assert line.change == ProbationLineChange.CONFIRMED
    services.return_submit(actor=cast.bob, the_return=probation_return, expected_version=probation_return.version)
    # Submitted is not approved: the baseline stays at 1 April.
    sypa = next(r for r in run_report("probation-share", {"at": "2006-10-01"}).rows if r["commissioner"] == "SYPA")
    assert sypa["baseline_date"] == datetime.date(2006, 4, 1)

    services.return_approve(actor=cast.alice, the_return=probation_return, expected_version=probation_return.version)
    assert probation_return.status == Status.APPROVED
    sypa = next(r for r in run_report("probation-share", {"at": "2006-10-01"}).rows if r["commissioner"] == "SYPA")
    # Baseline 1 July: A's £10,000 = 1.00%; change 3.00 - 1.00 = 2.00 points.
    assert sypa["baseline_date"] == datetime.date(2006, 7, 1)
    assert sypa["baseline_share_pct"] == Decimal("1")
    assert sypa["change_pts"] == Decimal("2")
    trend = run_report("share-trend", {"year": "2006-07"})
    assert [r["date"] for r in trend.rows] == [datetime.date(2006, 7, 1)]


def test_bob_corrects_a_value_and_adds_a_contract_the_service_did_not_know(cast, clock, sypa_world):
    probation_return = ProbationReturn.objects.get(round=open_q1(cast))
    line = probation_return.lines.get()
    services.probation_line_save(
        actor=cast.bob,
        probation_return=probation_return,
        expected_version=probation_return.version,
        line=line,
        annual_value=Decimal("12000.00"),
        ended=False,
    )
    line.refresh_from_db()
    assert (line.recorded_value, line.annual_value, line.change) == (
        Decimal("10000.00"),
        Decimal("12000.00"),
        ProbationLineChange.CORRECTED,
    )
    new = services.probation_line_add(
        actor=cast.bob,
        probation_return=probation_return,
        expected_version=probation_return.version,
        title="Women's centre outreach",
        annual_value=Decimal("4000.00"),
        sector="vcs",
    )
    assert new.change == ProbationLineChange.NEW
    assert probation_return.status == Status.DRAFT


def test_a_round_refuses_a_date_an_area_already_has_a_return_at(cast, clock, sypa_world):
    from tests.factories import ProbationReturnFactory

    ProbationReturnFactory.create(commissioner=cast.sypa, as_at=datetime.date(2006, 7, 1))
    with pytest.raises(Exception, match="already has a return"):
        open_q1(cast)


def _approve(cast, probation_return):
    services.return_submit(actor=cast.bob, the_return=probation_return, expected_version=probation_return.version)
    services.return_approve(actor=cast.alice, the_return=probation_return, expected_version=probation_return.version)


def _sypa(at):
    return next(r for r in run_report("probation-share", {"at": at}).rows if r["commissioner"] == "SYPA")


def test_the_share_at_an_approved_return_date_comes_from_its_lines(cast, clock, sypa_world):
    probation_return = ProbationReturn.objects.get(round=open_q1(cast))
    # Before approval the share at 1 July comes from the contracts: A's £10,000 of £1,000,000 = 1.00%.
    assert _sypa("2006-07-01")["share_pct"] == Decimal("1")
    line = probation_return.lines.get()
    services.probation_line_save(
        actor=cast.bob,
        probation_return=probation_return,
        expected_version=probation_return.version,
        line=line,
        annual_value=Decimal("12000.00"),
        ended=False,
    )
    services.probation_line_add(
        actor=cast.bob,
        probation_return=probation_return,
        expected_version=probation_return.version,
        title="Women's centre outreach",
        annual_value=Decimal("4000.00"),
        sector="vcs",
    )
    services.probation_line_add(
        actor=cast.bob,
        probation_return=probation_return,
        expected_version=probation_return.version,
        title="Council day centre",
        annual_value=Decimal("50000.00"),
        sector="public",
    )
    # Submitted but not approved: still the contracts' 1.00%.
    services.return_submit(actor=cast.bob, the_return=probation_return, expected_version=probation_return.version)
    assert _sypa("2006-07-01")["share_pct"] == Decimal("1")
    services.return_approve(actor=cast.alice, the_return=probation_return, expected_version=probation_return.version)

    # Approved: A corrected to £12,000 + the new VCS £4,000 = £16,000 of £1,000,000 = 1.60%;
    # the public-sector day centre never counts. Two VCS lines (A's prime is a charity).
    row = _sypa("2006-07-01")
    assert row["counted_spend"] == Decimal("16000.00")
    assert row["share_pct"] == Decimal("1.6")
    assert (row["vcs_contracts"], row["vcs_value"]) == (2, Decimal("16000.00"))
    # The contract record is not rewritten: A still holds £10,000.
    sypa_world.refresh_from_db()
    assert sypa_world.annual_value == Decimal("10000.00")
    # At 1 October (no return there) the contracts count: A £10,000 + B £20,000 = 3.00%, and the
    # change is against the 1 July baseline as returned: 3.00 - 1.60 = 1.40 points.
    later = _sypa("2006-10-01")
    assert later["share_pct"] == Decimal("3")
    assert later["baseline_share_pct"] == Decimal("1.6")
    assert later["change_pts"] == Decimal("1.4")
    trend = run_report("share-trend", {"year": "2006-07"})
    assert [(r["date"], r["SYPA"]) for r in trend.rows] == [(datetime.date(2006, 7, 1), Decimal("1.6"))]


def test_an_ended_contract_stops_counting_at_the_return_date(cast, clock, sypa_world):
    probation_return = ProbationReturn.objects.get(round=open_q1(cast))
    line = probation_return.lines.get()
    services.probation_line_save(
        actor=cast.bob,
        probation_return=probation_return,
        expected_version=probation_return.version,
        line=line,
        annual_value=Decimal("10000.00"),
        ended=True,
    )
    _approve(cast, probation_return)
    # A ended by 1 July: nothing counts there, 0.00% (the contracts alone would say 1.00%).
    row = _sypa("2006-07-01")
    assert (row["counted_spend"], row["share_pct"], row["contracts"]) == (Decimal("0.00"), Decimal("0"), 0)


def test_a_correction_revision_counts_once_approved(cast, clock, sypa_world):
    probation_return = ProbationReturn.objects.get(round=open_q1(cast))
    _approve(cast, probation_return)
    # Confirmed as it stood: £10,000 = 1.00%.
    assert _sypa("2006-07-01")["share_pct"] == Decimal("1")
    correction = services.return_reopen(actor=cast.alice, the_return=probation_return, reason="A was £15,000")
    line = correction.lines.get()
    services.probation_line_save(
        actor=cast.bob,
        probation_return=correction,
        expected_version=correction.version,
        line=line,
        annual_value=Decimal("15000.00"),
        ended=False,
    )
    # The open correction does not count yet.
    assert _sypa("2006-07-01")["share_pct"] == Decimal("1")
    _approve(cast, correction)
    # £15,000 of £1,000,000 = 1.50%.
    assert _sypa("2006-07-01")["share_pct"] == Decimal("1.5")


def test_a_correction_carries_every_reported_field_of_every_line(cast, clock, sypa_world):
    """A correction starts as the approved return stood: each line's title, values, change, sector,
    funding source and pathways, so nothing the area reported is lost by reopening it."""
    from stepchange.core.models import Pathway
    from stepchange.returns.models import ProbationReturnLine

    probation_return = ProbationReturn.objects.get(round=open_q1(cast))
    new = services.probation_line_add(
        actor=cast.bob,
        probation_return=probation_return,
        expected_version=probation_return.version,
        title="Women's centre outreach",
        annual_value=Decimal("4000.00"),
        sector="vcs",
    )
    ProbationReturnLine.objects.filter(pk=new.pk).update(funding_source="co_commissioned")
    new.pathways.set(Pathway.objects.order_by("order")[:2])
    probation_return.refresh_from_db()
    _approve(cast, probation_return)
    correction = services.return_reopen(actor=cast.alice, the_return=probation_return, reason="Check the values")

    def reported(the_return):
        return sorted(
            (
                line.contract_id or 0,
                line.title,
                line.recorded_value,
                line.annual_value,
                line.change,
                line.sector,
                line.funding_source,
                tuple(sorted(line.pathways.values_list("code", flat=True))),
            )
            for line in the_return.lines.all()
        )

    assert len(reported(probation_return)) == 2
    assert "co_commissioned" in {row[6] for row in reported(correction)}
    assert reported(correction) == reported(probation_return)
