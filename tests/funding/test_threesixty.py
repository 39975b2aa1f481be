"""The grants made as 360Giving open data: identifiers, amounts and dates as the standard asks,
valid against the 360Giving 1.4.3 schema (offline), and only grants awarded, at a stable URL."""

from __future__ import annotations

import csv
import datetime
import io
import json
from decimal import Decimal

import pytest
from django.urls import reverse

from stepchange.funding import threesixty
from stepchange.funding.models import ApplicationStatus
from stepchange.funding.selectors import grants_made
from tests.factories import GrantApplicationFactory, GrantsRoundFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2006, 9, 1, 12, tzinfo=datetime.UTC)


def _awarded(grants_round, organisation, amount, *, on=datetime.date(2006, 8, 20)):
    return GrantApplicationFactory.create(
        round=grants_round,
        organisation=organisation,
        amount_requested=Decimal("5000.00"),
        status=ApplicationStatus.AWARDED,
        amount_awarded=Decimal(amount),
        decided_on=on,
        decision_reasons="Meets the criteria.",
    )


@pytest.fixture
def grants(cast):
    grants_round = GrantsRoundFactory.create(region=cast.region, name="Small grants 2006-07, round 1")
    charity = OrganisationFactory.create(
        name="Kirklees Welfare Association", charity_number="1099999", company_number="04567890"
    )
    company = OrganisationFactory.create(name="Calder Mentoring CIC", company_number="SC123456")
    unregistered = OrganisationFactory.create(name="Hull Women's Group")
    made = [
        _awarded(grants_round, charity, "4500.50"),
        _awarded(grants_round, company, "3000.00"),
        _awarded(grants_round, unregistered, "750.25"),
    ]
    # Not published: a draft, one waiting for a decision, one declined.
    GrantApplicationFactory.create(round=grants_round)
    GrantApplicationFactory.create(round=grants_round, status=ApplicationStatus.SUBMITTED)
    GrantApplicationFactory.create(
        round=grants_round,
        status=ApplicationStatus.DECLINED,
        decided_on=datetime.date(2006, 8, 20),
        decision_reasons="No.",
    )
    return made


def test_the_package_is_valid_360giving_with_the_regions_identifiers(grants):
    data = threesixty.package(grants_made(), base_url="https://stepchange.example.org", now=NOW)
    assert threesixty.schema_errors(data) == []
    by_id = {g["id"]: g for g in data["grants"]}
    first, second, third = (f"360G-stepchange-yh-sg-{g.pk}" for g in grants)
    assert set(by_id) == {first, second, third}
    assert by_id[first]["recipientOrganization"] == [
        {
            "id": "GB-CHC-1099999",
            "name": "Kirklees Welfare Association",
            "charityNumber": "1099999",
            "companyNumber": "04567890",
        }
    ]
    assert by_id[second]["recipientOrganization"][0]["id"] == "GB-COH-SC123456"
    assert by_id[third]["recipientOrganization"][0]["id"] == f"360G-stepchange-org-{grants[2].organisation_id}"
    assert by_id[first]["fundingOrganization"][0]["id"] == "360G-stepchange-yh"
    assert (by_id[first]["amountAwarded"], by_id[second]["amountAwarded"], by_id[third]["amountAwarded"]) == (
        4500.5,
        3000,
        750.25,
    )
    assert {g["currency"] for g in data["grants"]} == {"GBP"}
    assert by_id[first]["awardDate"] == "2006-08-20"
    assert by_id[first]["plannedDates"] == [{"startDate": "2006-09-01", "endDate": "2007-03-31"}]


def test_the_schema_check_can_fail():
    broken = {
        "grants": [
            {
                "id": "x",
                "title": "t",
                "description": "d",
                "currency": "GBX",
                "amountAwarded": "12",
                "awardDate": "20/8/2006",
            }
        ]
    }
    problems = threesixty.schema_errors(broken)
    assert any("currency" in problem for problem in problems)
    assert any("amountAwarded" in problem for problem in problems)
    assert any("awardDate" in problem for problem in problems)
    assert threesixty.schema_errors({"grants": []})  # at least one grant


def test_the_open_data_is_served_to_anyone_at_a_stable_address(client, grants):
    response = client.get("/funding/360giving.json")
    assert reverse("funding:360giving") == "/funding/360giving.json"
    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")
    data = json.loads(response.content)
    assert threesixty.schema_errors(data) == []
    assert len(data["grants"]) == 3
    # Only the grants made: nothing of drafts, waiting or declined applications.
    assert sum(Decimal(str(g["amountAwarded"])) for g in data["grants"]) == Decimal(
        "8250.75"
    )  # 4,500.50 + 3,000 + 750.25
    rows = list(csv.DictReader(io.StringIO(client.get("/funding/360giving.csv").content.decode())))
    assert [row["Amount Awarded"] for row in rows] == ["4500.50", "3000.00", "750.25"]
    assert rows[0]["Recipient Org:Identifier"] == "GB-CHC-1099999"
    assert {row["Currency"] for row in rows} == {"GBP"}
