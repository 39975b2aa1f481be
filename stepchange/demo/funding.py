"""The demo's funding: two funding streams of 2006-07, the bids the regional team helped
organisations make to them, and a small grants round with its applications, assessments and
awards.

The report names the help: among the project's activities, identifying external funding streams
and assisting organisations to make bids; groups encouraged to apply to the NOMS Voluntary Sector
Grants programme, with a very high level of bids from the region and the Pakistani and Kashmiri
Welfare Association's coalition in Kirklees winning funds (7.6); and funding for VCS services
remaining a major barrier. The amounts, dates, other bids and the small grants round are invented, plausibly, around
those: a small regional round for getting ready to bid. The round took paper forms, as was usual
then, and the regional team typed them in, so the regional commissioner is recorded as having
entered and submitted them.

Saved through the demo Loader by natural key, so a second run writes nothing.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from stepchange.core.models import Pathway, Region
from stepchange.funding.models import (
    ApplicationStatus,
    Assessment,
    BidOutcome,
    FundingStream,
    GrantApplication,
    GrantsRound,
    HelpedBid,
    Recommendation,
)
from stepchange.organisations.models import Organisation

NOMS = ("National Offender Management Service", "Voluntary and Community Sector Grants 2006-07")
LOTTERY = ("Big Lottery Fund", "Reaching Communities")
ROUND = "Regional small grants 2006-07: getting ready to bid"

# (organisation, stream, made on, asked, who helped, help given, outcome, awarded)
BIDS = (
    (
        "Pakistani and Kashmiri Welfare Association",
        NOMS,
        datetime.date(2006, 9, 22),
        "45000.00",
        "Step Change development manager",
        "Helped form the Kirklees coalition and read the draft bid; West Yorkshire Probation Area agreed match funding.",
        BidOutcome.WON,
        "42000.00",
    ),
    (
        "Doncaster Women's Centre",
        NOMS,
        datetime.date(2006, 9, 27),
        "30000.00",
        "CRISP development worker",
        "A bid-writing session and comments on the budget.",
        BidOutcome.NOT_WON,
        None,
    ),
    (
        "Demo Community Project 03",
        NOMS,
        datetime.date(2006, 9, 28),
        "12000.00",
        "Yorkshire and Humber Regional BME Panel",
        "Found the programme for the group and checked the eligibility.",
        BidOutcome.WON,
        "10000.00",
    ),
    (
        "Touchstone",
        LOTTERY,
        datetime.date(2007, 2, 14),
        "150000.00",
        "Step Change development manager",
        "Letters of support from the prisons the service would work in.",
        BidOutcome.WAITING,
        None,
    ),
)

# (organisation, project, summary, asked, score, decision: awarded amount or None, reasons)
APPLICATIONS = (
    (
        "Pakistani and Kashmiri Welfare Association",
        "Bid-writing training for the Kirklees coalition",
        "Two days of bid-writing training for the coalition's five member groups, and a mentor for their next bid.",
        "2500.00",
        9,
        "2500.00",
        "Builds on the coalition's NOMS grant; a clear plan that reaches BME-led groups.",
    ),
    (
        "Doncaster Women's Centre",
        "Getting ready for a quality mark",
        "Preparing for the PQASSO quality mark that commissioners ask of providers, with a consultant's days.",
        "2400.00",
        7,
        "2000.00",
        "Meets the criteria; part funded, since the consultant's third day is not needed to start.",
    ),
    (
        "Demo Community Project 08",
        "Training volunteer mentors for women leaving prison",
        "Accredited training for eight volunteer mentors, so the project can bid to deliver through-the-gate support.",
        "2500.00",
        8,
        "2500.00",
        "A women-specific service the region lacks; the training leads straight to bidding.",
    ),
    (
        "Demo Community Project 11",
        "New office computers",
        "Two computers and a printer for the project's office.",
        "1800.00",
        3,
        None,
        "Equipment alone is outside the round's criteria, which pay for getting ready to bid; "
        "the regional team will help the project find an equipment grant.",
    ),
)


def _at(day: datetime.date, hour: int = 12) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(day.year, day.month, day.day, hour)).astimezone(datetime.UTC)


def load_funding(
    loader: Any,
    *,
    region: Region,
    organisations: dict[str, Organisation],
    pathways: dict[str, Pathway],
    users: dict[str, Any],
) -> None:
    team = users["rom.commissioner"]
    streams = {
        NOMS: loader.save(
            FundingStream,
            {"region": region, "funder": NOMS[0], "programme": NOMS[1]},
            {
                "opens_on": datetime.date(2006, 7, 3),
                "deadline": datetime.date(2006, 9, 29),
                "amount_min": "5000",
                "amount_max": "50000",
                "eligibility": "Voluntary and community organisations working with offenders or their families in "
                "England and Wales. Match funding from a probation area or prison is welcomed.",
                "url": "",
            },
            m2m={"pathways": [pathways["children-families"], pathways["ete"], pathways["accommodation"]]},
        ),
        LOTTERY: loader.save(
            FundingStream,
            {"region": region, "funder": LOTTERY[0], "programme": LOTTERY[1]},
            {
                "opens_on": None,
                "deadline": None,
                "amount_min": "10000",
                "amount_max": "500000",
                "eligibility": "Voluntary and community organisations in England helping people and communities "
                "most in need; projects of up to five years. Applications are taken at any time.",
                "url": "",
            },
        ),
    }
    for name, stream, made_on, asked, helped_by, help_given, outcome, awarded in BIDS:
        loader.save(
            HelpedBid,
            {"organisation": organisations[name], "stream": streams[stream]},
            {
                "submitted_on": made_on,
                "amount_asked": asked,
                "helped_by": helped_by,
                "help_given": help_given,
                "outcome": outcome,
                "amount_awarded": awarded,
                "recorded_by": team,
            },
        )

    grants_round = loader.save(
        GrantsRound,
        {"region": region, "name": ROUND},
        {
            "budget": "10000",
            "max_award": "2500",
            "opens_on": datetime.date(2006, 11, 1),
            "closes_on": datetime.date(2006, 12, 1),
            "decisions_by": datetime.date(2007, 1, 12),
            "criteria": "For voluntary and community organisations of the region with an income under £100,000 "
            "that work with offenders or their families. The round pays for getting ready to bid: training "
            "in bid writing, forming a partnership, a quality mark. Applications are scored from 0 to 10 on "
            "the need, the benefit to offenders and value for money.",
        },
    )
    decided_on = datetime.date(2007, 1, 10)
    for name, title, summary, asked, score, awarded, reasons in APPLICATIONS:
        application = loader.save(
            GrantApplication,
            {"round": grants_round, "organisation": organisations[name]},
            {
                "project_title": title,
                "summary": summary,
                "amount_requested": asked,
                "start_on": datetime.date(2007, 2, 1),
                "end_on": datetime.date(2007, 7, 31),
                "status": ApplicationStatus.AWARDED if awarded else ApplicationStatus.DECLINED,
                "created_by": team,
                "submitted_by": team,
                "submitted_at": _at(datetime.date(2006, 11, 30)),
                "amount_awarded": awarded,
                "decision_reasons": reasons,
                "decided_by": team,
                "decided_on": decided_on,
            },
        )
        loader.save(
            Assessment,
            {"application": application, "assessor": team},
            {
                "conflict": False,
                "conflict_details": "",
                "score": score,
                "recommendation": Recommendation.AWARD if awarded else Recommendation.DECLINE,
                "comments": "",
                "assessed_at": _at(datetime.date(2007, 1, 8)),
            },
        )
