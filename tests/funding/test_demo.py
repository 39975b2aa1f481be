"""The demo's funding: its bids' summary and its small grants round, worked by hand, and its grants
made valid 360Giving data."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone

from stepchange.funding import threesixty
from stepchange.funding.models import GrantsRound, HelpedBid
from stepchange.funding.selectors import bid_summary, grants_made

pytestmark = pytest.mark.usefixtures("demo", "db")


def test_the_demo_bids_add_up():
    summary = bid_summary(HelpedBid.objects.all())
    # Asked: 45,000 + 30,000 + 12,000 + 150,000 = 237,000; won: 42,000 + 10,000 = 52,000;
    # two won of the three decided (the Lottery bid is waiting): 66.7%.
    assert (summary.bids, summary.asked, summary.won) == (4, Decimal("237000.00"), Decimal("52000.00"))
    assert (summary.won_count, summary.decided) == (2, 3)
    assert f"{summary.success_rate:.1f}" == "66.7"


def test_the_demo_round_stays_within_its_budget_and_publishes_valid_360giving():
    grants_round = GrantsRound.objects.get()
    # 2,500 + 2,000 + 2,500 of a budget of 10,000; the fourth application was declined.
    assert grants_round.awarded_total() == Decimal("7000.00")
    assert grants_round.budget == Decimal("10000.00")
    data = threesixty.package(grants_made(), base_url="https://stepchange.example.org", now=timezone.now())
    assert threesixty.schema_errors(data) == []
    assert sorted(g["recipientOrganization"][0]["name"] for g in data["grants"]) == [
        "Demo Community Project 08",
        "Doncaster Women's Centre",
        "Pakistani and Kashmiri Welfare Association",
    ]
    assert sum(Decimal(str(g["amountAwarded"])) for g in data["grants"]) == Decimal("7000")
