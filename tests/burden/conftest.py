"""The burden tests' data: a year (2006-07) of work answered to Yorkshire and Humberside, written
out so that every figure can be worked by hand (see ``answered_work``)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.utils import timezone

from stepchange.burden.models import MonitoringRequest, Topic
from stepchange.commissioning.models import SurveyResponse
from stepchange.contracts.models import Contract
from stepchange.funding.models import ApplicationStatus
from stepchange.organisations.models import Commissioner, CommissionerKind, Organisation
from stepchange.returns.models import PrisonReturn, ProbationReturn
from tests.factories import (
    BiddingPartnershipFactory,
    BidFactory,
    CommissionerFactory,
    ContractFactory,
    GrantApplicationFactory,
    GrantsRoundFactory,
    OpportunityFactory,
    StageFactory,
)
from tests.personas import Cast


def at(day: datetime.date) -> datetime.datetime:
    """Noon, UK time, on ``day``."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def d(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


@dataclass
class Work:
    contract: Contract
    ne_area: Commissioner


def monitoring(cast: Cast, contract: Contract, answered: str | None, hours: str | None) -> MonitoringRequest:
    return MonitoringRequest.objects.create(
        contract=contract,
        period_start=d("2006-04-01"),
        period_end=d("2006-06-30"),
        due_on=d("2006-07-31"),
        topics=[Topic.SPEND.value],
        asked_by=cast.bob,
        asked_at=at(d("2006-06-01")),
        answers={"spend": "On budget."} if answered else {},
        answered_by=cast.dave if answered else None,
        answered_at=at(d(answered)) if answered else None,
        hours_taken=None if hours is None else Decimal(hours),
    )


@pytest.fixture
def answered_work(cast: Cast) -> Work:
    """In 2006-07 (Q1 April-June, Q2 July-September), in Yorkshire and Humberside:

    - prison returns, HMP Leeds: 10 May (3.0 hours), 15 August (not said);
    - probation returns, South Yorkshire: 20 May (1.5), 10 June (2.0), 25 June (5.5); West
      Yorkshire: 1 June (not said); one not submitted; and one of the North East's (99 hours),
      another region's;
    - a bid of Acorn's partnership, submitted 1 June, its stage's deadline passed; one withdrawn;
      one whose stage is still sealed; the bidders' survey: 10 June (10 hours), 12 June (20 hours),
      and 11 June (1,000 hours) on the opportunity still sealed, which is not counted;
    - small grant applications: Acorn's submitted 20 July (6.0), Beacon's 21 July (not said), a
      draft of Calder's;
    - monitoring requests to Acorn: answered 30 June (2.0), answered 5 July (0 hours: said, and
      counted), one not answered.
    """
    leeds, sypa, wypa = cast.leeds, cast.sypa, cast.wypa
    for day, hours in (("2006-05-10", "3.0"), ("2006-08-15", None)):
        PrisonReturn.objects.create(
            commissioner=leeds, submitted_at=at(d(day)), hours_taken=None if hours is None else Decimal(hours)
        )
    for area, day, hours in (
        (sypa, "2006-05-20", "1.5"),
        (sypa, "2006-06-10", "2.0"),
        (sypa, "2006-06-25", "5.5"),
        (wypa, "2006-06-01", None),
    ):
        ProbationReturn.objects.create(
            commissioner=area,
            as_at=d(day),
            submitted_at=at(d(day)),
            hours_taken=None if hours is None else Decimal(hours),
        )
    ProbationReturn.objects.create(commissioner=sypa, as_at=d("2006-07-01"))
    ne_area = CommissionerFactory.create(code="NEPA-B", region=cast.other_region, kind=CommissionerKind.PROBATION)
    ProbationReturn.objects.create(
        commissioner=ne_area, as_at=d("2006-05-01"), submitted_at=at(d("2006-05-01")), hours_taken=Decimal(99)
    )

    opportunity = OpportunityFactory.create(commissioner=cast.regional_team)
    passed = StageFactory.create(opportunity=opportunity, deadline=timezone.now() - datetime.timedelta(days=1))
    # Another opportunity's stage, still sealed: its bid and its survey answer are not counted.
    still_sealed = OpportunityFactory.create(commissioner=cast.regional_team)
    sealed = StageFactory.create(opportunity=still_sealed, deadline=timezone.now() + datetime.timedelta(days=10))
    SurveyResponse.objects.create(
        opportunity=still_sealed,
        received_on=d("2006-06-11"),
        clarity=3,
        time_to_form_partnership=3,
        transparency=3,
        effort_hours=1000,
        effort_people=1,
    )
    acorn_partnership = BiddingPartnershipFactory.create(opportunity=opportunity, lead=cast.charity)
    BidFactory.create(partnership=acorn_partnership, stage=passed, submitted_at=at(d("2006-06-01")))
    sealed_partnership = BiddingPartnershipFactory.create(opportunity=still_sealed, lead=cast.charity)
    BidFactory.create(partnership=sealed_partnership, stage=sealed, submitted_at=at(d("2006-06-02")))
    withdrawn_by = BiddingPartnershipFactory.create(opportunity=opportunity, lead=cast.company)
    BidFactory.create(
        partnership=withdrawn_by, stage=passed, submitted_at=at(d("2006-06-03")), withdrawn_at=at(d("2006-06-04"))
    )
    for day, effort in (("2006-06-10", 10), ("2006-06-12", 20)):
        SurveyResponse.objects.create(
            opportunity=opportunity,
            received_on=d(day),
            clarity=4,
            time_to_form_partnership=3,
            transparency=4,
            effort_hours=effort,
            effort_people=2,
        )

    grants_round = GrantsRoundFactory.create(region=cast.region)
    calder = Organisation.objects.create(name="Calder Mentoring", sector="vcs", region=cast.region)
    for organisation, day, hours in ((cast.charity, "2006-07-20", "6.0"), (cast.company, "2006-07-21", None)):
        GrantApplicationFactory.create(
            round=grants_round,
            organisation=organisation,
            status=ApplicationStatus.SUBMITTED,
            submitted_at=at(d(day)),
            submitted_by=cast.dave,
            hours_taken=None if hours is None else Decimal(hours),
        )
    GrantApplicationFactory.create(round=grants_round, organisation=calder)

    contract = ContractFactory.create(reference="SY-ACORN-1", commissioner=sypa, prime=cast.charity)
    monitoring(cast, contract, "2006-06-30", "2.0")
    monitoring(cast, contract, "2006-07-05", "0")
    monitoring(cast, contract, None, None)
    return Work(contract=contract, ne_area=ne_area)
