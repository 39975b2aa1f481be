"""The benchmarks' synthetic national dataset: right counts, valid rows, reports that run on it."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from bench.generate import COMMISSIONER, PASSWORD, generate
from stepchange.accounts.models import Role, User
from stepchange.contracts.models import Contract, MainGrant, SubContract, Target
from stepchange.core.models import Region
from stepchange.organisations.models import Commissioner, Organisation
from stepchange.reports.registry import run_report
from stepchange.returns.models import PrisonReturn, PrisonReturnLine, ProbationReturn, ProbationReturnLine

pytestmark = pytest.mark.django_db


def test_scale_one_thousandth_has_the_fixed_structure_the_scaled_rows_and_runs_the_reports() -> None:
    counts = generate(0.001)

    assert Region.objects.count() == 10
    assert Commissioner.objects.filter(kind="probation").count() == 42
    assert Commissioner.objects.filter(kind="prison").count() == 130
    assert Commissioner.objects.filter(kind="regional").count() == 10
    # 200,000 × 0.001 contracts; 20,000 × 0.001 = 20 providers, raised to the 30 every sector needs.
    assert Contract.objects.count() == counts["contracts_contract"] == 200
    assert Organisation.objects.count() == 182 + 30
    assert set(Organisation.objects.exclude(commissioner__isnull=False).values_list("sector", flat=True)) == {
        "vcs",
        "private",
        "public",
    }
    # A grant for every area and year, a probation and a prison target for every year.
    assert MainGrant.objects.count() == 42 * 4
    assert Target.objects.count() == 8
    # A return at the start of each of the 16 quarters; those of 1 October 2008 are the round's,
    # with a line per contract live that day (and some new ones).
    assert ProbationReturn.objects.count() == 42 * 16
    in_round = ProbationReturn.objects.filter(round__isnull=False)
    assert set(in_round.values_list("as_at", flat=True)) == {datetime.date(2008, 10, 1)}
    assert in_round.count() == 42
    assert all(r.status == "approved" for r in in_round)
    live = Contract.objects.filter(commissioner__kind="probation", start__lte="2008-10-01").exclude(
        end__lt="2008-10-01"
    )
    assert ProbationReturnLine.objects.exclude(change="new").count() == live.count() > 0
    # One prison (130 × 0.001, at least one) returns every quarter of the four years.
    assert PrisonReturn.objects.count() == 16
    assert PrisonReturnLine.objects.count() == counts["returns_prisonreturnline"] > 0
    assert SubContract.objects.count() == counts["contracts_subcontract"] > 0
    for sub in SubContract.objects.select_related("contract"):
        assert sub.value < sub.contract.annual_value
        assert sub.partner_id != sub.contract.prime_id
    assert all(isinstance(c.annual_value, Decimal) for c in Contract.objects.all()[:10])

    # The commissioner of the first region signs in; the report selectors run on the data.
    user = User.objects.get(username=COMMISSIONER)
    assert user.role == Role.REGIONAL_COMMISSIONER and user.is_active and user.check_password(PASSWORD)
    assert user.region is not None and user.region.code == "YH"
    assert TOTPDevice.objects.filter(user=user, confirmed=True).exists()

    share = run_report("probation-share", {"region": "YH", "at": "2008-10-01"})
    assert len(share.rows) == 5
    assert share.totals["main_grant"] > 0 and share.totals["counted_spend"] > 0
    # At 1 October 2008 the spend is the round return's lines: not ended, and main-grant money with
    # a VCS or private prime, or new with a VCS or private sector.
    counted = ProbationReturnLine.objects.filter(probation_return__round__region__code="YH").exclude(change="ended")
    from_lines = sum(
        (
            line.annual_value
            for line in counted.select_related("contract__prime")
            if (line.contract is None and line.sector in ("vcs", "private"))
            or (
                line.contract is not None
                and line.contract.funding_source == "main_grant"
                and line.contract.prime.sector in ("vcs", "private")
            )
        ),
        Decimal(0),
    )
    assert share.totals["counted_spend"] == from_lines
    for name in ("contract-profile", "national-comparison", "sector-split", "not-counted", "share-trend"):
        assert run_report(name, {"region": "YH", "at": "2008-10-01"}).rows
    assert run_report("prison-provision", {"region": "YH", "year": "2008-09"}).rows
