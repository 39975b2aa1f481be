"""What the demo records but the target does not count: the new investment the report credits
with the year's "step change" (paras 5.5-5.9), co-commissioning (5.30), secondments (5.37-5.41),
and the prisons' own spend (5.45-5.46)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db.models import Sum

from stepchange.contracts.models import Contract
from stepchange.contracts.selectors import live_on
from stepchange.reports.registry import run_report

pytestmark = pytest.mark.usefixtures("demo", "db")


def test_the_not_counted_report_has_every_kind() -> None:
    result = run_report("not-counted", {"at": "2006-10-01", "region": "YH"})
    funders = {(row["reason"], row["funder"]) for row in result.rows}
    # Together Women is the regional team's new investment, never an area's.
    twp = [r for r in result.rows if r["funder"] == "Together Women Programme (Home Office)"]
    assert [(r["commissioned_by"], r["commissioner"], r["reason"]) for r in twp] == [
        ("Regional team", "ROM-YH", "New investment from outside the main grant")
    ]
    assert ("New investment from outside the main grant", "Invest to Save Budget") in funders
    for funder in (
        "Sheffield Drug Action Team",
        "Leeds Supporting People",
        "Learning and Skills Council (Humberside)",
        "York Community Safety Partnership",
    ):
        assert ("Co-commissioned with a non-criminal-justice funder", funder) in funders
    reasons = {row["reason"] for row in result.rows}
    assert "In-kind secondment" in reasons
    assert "Main grant with a public-sector prime" in reasons
    assert "Main grant of a prison or the regional team, not an area's" in reasons
    # Whatever is not counted leaves the counted figures exactly as published.
    assert (result.totals["counted_contracts"], result.totals["counted_value"]) == (89, Decimal("2246687"))


def test_west_yorkshire_seconds_two_voluntary_sector_coordinators_in_the_year() -> None:
    result = run_report("not-counted", {"year": "2006-07", "region": "YH"})
    secondments = [row for row in result.rows if row["reason"] == "In-kind secondment"]
    by_funder = {row["funder"]: row for row in secondments}
    assert by_funder["West Yorkshire Probation Area (staff time)"]["contracts"] == 2
    assert by_funder["West Yorkshire Probation Area (staff time)"]["commissioner"] == "WYPA"
    assert (result.totals["counted_contracts"], result.totals["counted_value"]) == (93, Decimal("2278500"))


def test_together_women_is_a_vcs_led_partnership() -> None:
    twp = Contract.objects.get(funder="Together Women Programme (Home Office)")
    assert twp.commissioner.code == "ROM-YH"
    assert twp.prime.name == "Foundation Housing"
    assert sorted(s.partner.name for s in twp.sub_contracts.all()) == [
        "DISC",
        "Doncaster Women's Centre",
        "Shelter",
        "Touchstone",
    ]
    bail = Contract.objects.get(funder="Invest to Save Budget")
    assert bail.prime.name == "Nacro"
    assert sorted(s.partner.name for s in bail.sub_contracts.all()) == ["Foundation Housing", "SOVA"]


def test_prison_baseline_spend_by_pathway_paras_5_45_and_5_46() -> None:
    prisons = live_on(Contract.objects.filter(commissioner__kind="prison"), datetime.date(2006, 4, 1))
    spend = {
        row["pathways__code"]: row["value"]
        for row in prisons.values("pathways__code").annotate(value=Sum("annual_value")).order_by()
    }
    # ETE £528,802; Accommodation £444,490; Drugs & Alcohol £1,762,874; visitors' centres £72,515.
    assert spend == {
        "ete": Decimal("528802"),
        "accommodation": Decimal("444490"),
        "drugs-alcohol": Decimal("1762874"),
        "children-families": Decimal("72515"),
    }
