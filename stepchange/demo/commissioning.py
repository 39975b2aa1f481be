"""The demo's commissioning: the Together Women tender (sections 5.7, 6 and 8.2 of the report) and
the Unpaid Work sub-contracting pilot in Humberside (5.37-5.40) as an open opportunity.

The tender ran in 2006: the regional offender manager required a VCS-led delivery partnership;
five partnerships bid, three went to stage 2, and the contract went to the partnership led by
Foundation Housing with Shelter, DISC, Touchstone and Doncaster Women's Centre. Its award points
at the demo's existing Together Women contract (DEMO-ROM-YH-001, new investment, so it does not
count toward any target) instead of creating a second one. Scores, other partnerships and survey
answers are invented, plausibly, around the report's themes: too little time to form
partnerships, and partnerships re-shaped during the process.

Saved through the demo Loader by natural key, so a second run writes nothing.
"""

from __future__ import annotations

import datetime
import hashlib
from decimal import Decimal
from typing import Any

from django.utils import timezone

from stepchange.commissioning import sealing
from stepchange.commissioning.models import (
    Award,
    Bid,
    BiddingPartnership,
    ClarificationQuestion,
    Criterion,
    EligibilityRule,
    MemberFlag,
    Opportunity,
    OpportunityDocument,
    OpportunityDocumentKind,
    PartnershipMember,
    Question,
    RuleKind,
    Score,
    Stage,
    SurveyInvitation,
    SurveyResponse,
)
from stepchange.contracts.models import Contract
from stepchange.core.roles import Role
from stepchange.organisations.models import Sector


def at(year: int, month: int, day: int, hour: int = 12) -> datetime.datetime:
    """Noon in London, held in UTC as the database returns it, so a second run compares equal."""
    return timezone.make_aware(datetime.datetime(year, month, day, hour)).astimezone(datetime.UTC)


TWP = "twp-yh-2006"
UPW = "hypa-upw-2007"

# (partnership, lead, members as (organisation, role, share %)), in the order they formed.
PARTNERSHIPS = (
    (
        "Together Women Y&H Partnership",
        "Foundation Housing",
        (
            ("Foundation Housing", "Lead: supported housing and the women's centres", Decimal(50)),
            ("Shelter", "Housing advice", Decimal("15.65")),
            ("DISC", "Education, training and employment", Decimal("13.91")),
            ("Touchstone", "Mental health services", Decimal("12.17")),
            ("Doncaster Women's Centre", "Gender-specific community services", Decimal("8.26")),
        ),
    ),
    (
        "Nacro Women's Resettlement Partnership",
        "Nacro",
        (("Nacro", "Lead: resettlement", Decimal(70)), ("Demo Community Project 08", "Women's services", Decimal(30))),
    ),
    (
        "SOVA Women Into Work Consortium",
        "SOVA",
        (
            ("SOVA", "Lead: mentoring and employment", Decimal(65)),
            ("Demo Community Project 19", "Women's group work", Decimal(35)),
        ),
    ),
    (
        "West Yorkshire Women's Housing Alliance",
        "Demo Housing Advice Trust",
        (
            ("Demo Housing Advice Trust", "Lead: housing", Decimal(80)),
            ("Demo Community Project 08", "Outreach", Decimal(20)),
        ),
    ),
    (
        "Kirklees Families Partnership",
        "Pakistani and Kashmiri Welfare Association",
        (
            ("Pakistani and Kashmiri Welfare Association", "Lead: families of offenders", Decimal(60)),
            ("Demo Community Project 19", "Women's group work", Decimal(40)),
        ),
    ),
)
SHORTLISTED = {
    "Together Women Y&H Partnership",
    "Nacro Women's Resettlement Partnership",
    "SOVA Women Into Work Consortium",
}
# Stage 1 scores (quality, partnership, price) then stage 2, by the evaluator, 0 to 10.
SCORES = {
    "Together Women Y&H Partnership": ((8, 8, 6), (9, 8, 7)),
    "Nacro Women's Resettlement Partnership": ((7, 6, 7), (7, 6, 7)),
    "SOVA Women Into Work Consortium": ((7, 7, 6), (6, 7, 6)),
    "West Yorkshire Women's Housing Alliance": ((5, 4, 7), None),
    "Kirklees Families Partnership": ((5, 5, 5), None),
}
PRICES = {
    "Together Women Y&H Partnership": (Decimal("1150000"), Decimal("1150000")),
    "Nacro Women's Resettlement Partnership": (Decimal("1100000"), Decimal("1120000")),
    "SOVA Women Into Work Consortium": (Decimal("1140000"), Decimal("1150000")),
    "West Yorkshire Women's Housing Alliance": (Decimal("990000"), None),
    "Kirklees Families Partnership": (Decimal("1050000"), None),
}
# The survey: clarity, time to form a partnership, transparency, hours, people, what to change.
SURVEY = (
    (
        4,
        1,
        3,
        160,
        4,
        "Allow far longer to form a partnership: we had weeks to agree a constitution and a joint bidding protocol.",
    ),
    (
        3,
        1,
        4,
        120,
        3,
        "We had to re-shape our partnership between the stages when a member withdrew; say early what a partnership must include.",
    ),
    (
        4,
        2,
        3,
        90,
        3,
        "Fund the infrastructure a VCS-led partnership needs: governance and administration are not free.",
    ),
    (3, 2, 4, 75, 2, "Sensible timescales for tenders, and feedback in time to use it at the next stage."),
)


def load_commissioning(
    loader: Any,
    *,
    commissioners: dict[str, Any],
    organisations: dict[str, Any],
    pathways: dict[str, Any],
    users: dict[str, Any],
) -> None:
    _together_women(loader, commissioners, organisations, pathways, users)
    _unpaid_work(loader, commissioners, organisations, pathways, users)


SPECIFICATION_TITLE = "Service specification"
SPECIFICATION = (
    "Holistic, woman-centred services for women at risk of offending and women in the criminal",
    "justice system across Yorkshire and Humberside, one of two national delivery sites.",
    "",
    "1. The provider is a delivery partnership led by a voluntary and community sector",
    "   organisation, with at least one women-specific member.",
    "2. Women's centres in each of the four probation areas: South Yorkshire, Humberside,",
    "   North Yorkshire and West Yorkshire.",
    "3. Pathways: accommodation; education, training and employment; health; finance,",
    "   benefit and debt; children and families.",
    "4. Stage 1, an outline proposal, closes 2 June 2006; stage 2, the full bid, 14 July 2006.",
    "5. Estimated annual value: GBP 1,150,000 for 19 months from 1 September 2006.",
)


def _specification(loader: Any, opportunity: Opportunity, users: dict[str, Any]) -> None:
    """The tender's specification, a one-page PDF written here. Saved by hand rather than through
    ``loader.save``, whose audit snapshot would carry the file's bytes: the audit event keeps its
    SHA-256 instead, and a second run that finds the same bytes writes nothing."""
    from stepchange.commissioning.services import document_snapshot
    from stepchange.core.audit import audit_record
    from stepchange.demo.build import ACTION
    from stepchange.demo.documents import simple_pdf

    content = simple_pdf("Together Women Programme, Yorkshire and Humberside: specification", SPECIFICATION)
    sha256 = hashlib.sha256(content).hexdigest()
    current = (
        OpportunityDocument.objects.filter(opportunity=opportunity, title=SPECIFICATION_TITLE).defer("content").first()
    )
    if current is not None and current.sha256 == sha256:
        return
    before = document_snapshot(current) if current is not None else None
    values = {
        "kind": OpportunityDocumentKind.SPECIFICATION,
        "display_name": "together-women-specification.pdf",
        "file_format": "pdf",
        "content_type": "application/pdf",
        "content": content,
        "size": len(content),
        "sha256": sha256,
        "uploaded_by": users.get("rom.commissioner"),
        "uploaded_at": at(2006, 5, 1),
    }
    document, created = OpportunityDocument.objects.update_or_create(
        opportunity=opportunity, title=SPECIFICATION_TITLE, defaults=values
    )
    if created:
        loader.created += 1
    else:
        loader.updated += 1
    audit_record(actor=None, action=ACTION, obj=document, before=before, after=document_snapshot(document))


def _people_of(users: dict[str, Any], organisation: Any) -> list[Any]:
    """The demo's provider sign-ins of an organisation: its people on a bid team."""
    return [u for u in users.values() if u.organisation_id == organisation.pk and u.role == Role.PROVIDER]


def _seal(bid: Bid, *, answers: dict[str, str], price: Decimal) -> None:
    """Seal a demo bid's answers and price the first time it is saved; a bid already sealed is left
    alone (sealing again would write a new ciphertext and the second run would not be a no-op)."""
    if not bytes(bid.sealed):
        sealing.seal_bid(bid, answers=answers, price=price)


def _opportunity(
    loader: Any, reference: str, values: dict[str, Any], pathways: list[Any], areas: list[Any]
) -> Opportunity:
    return loader.save(Opportunity, {"reference": reference}, values, m2m={"pathways": pathways, "areas": areas})


def _stage(
    loader: Any,
    opportunity: Opportunity,
    number: int,
    name: str,
    deadline: datetime.datetime,
    evaluator: Any,
    questions: list[str],
    criteria: list[tuple[str, int]],
) -> Stage:
    stage = loader.save(
        Stage,
        {"opportunity": opportunity, "number": number},
        {"name": name, "deadline": deadline},
        m2m={"evaluators": [evaluator]},
    )
    for n, text in enumerate(questions, start=1):
        loader.save(Question, {"stage": stage, "number": n}, {"text": text})
    for name_, weight in criteria:
        loader.save(Criterion, {"stage": stage, "name": name_}, {"weight": weight})
    return stage


def _together_women(
    loader: Any,
    commissioners: dict[str, Any],
    organisations: dict[str, Any],
    pathways: dict[str, Any],
    users: dict[str, Any],
) -> None:
    evaluator = users["evaluator"]
    opportunity = _opportunity(
        loader,
        TWP,
        {
            "commissioner": commissioners["ROM-YH"],
            "title": "Together Women Programme, Yorkshire and Humberside",
            "description": "Holistic, woman-centred services for women at risk of offending and women in the criminal justice system, "
            "delivered by a voluntary sector led delivery partnership. The region is one of two national delivery sites.",
            "kind": "tender",
            "estimated_value": Decimal("1150000"),
            "duration_months": 19,
            "contract_start": datetime.date(2006, 9, 1),
            "funding_source": "new_investment",
            "funder": "Together Women Programme (Home Office)",
            "clarification_deadline": at(2006, 5, 19),
            "answers_published_by": at(2006, 5, 24),
            "published_at": at(2006, 5, 2),
            "feedback_published_at": at(2006, 10, 2),
        },
        [pathways[c] for c in ("accommodation", "ete", "health", "fbd", "children-families")],
        [commissioners[c] for c in ("SYPA", "HYPA", "NYPA", "WYPA")],
    )
    stage1 = _stage(
        loader,
        opportunity,
        1,
        "Outline proposal",
        at(2006, 6, 2),
        evaluator,
        [
            "Describe your partnership and how it is led by the voluntary sector.",
            "How will you reach women at risk of offending?",
        ],
        [("Quality of the proposed service", 50), ("Strength of the partnership", 30), ("Value for money", 20)],
    )
    stage2 = _stage(
        loader,
        opportunity,
        2,
        "Full bid",
        at(2006, 7, 14),
        evaluator,
        [
            "Your delivery plan across the region's four probation areas.",
            "Your partnership's governance and joint bidding protocol.",
        ],
        [("Quality of the proposed service", 50), ("Strength of the partnership", 30), ("Value for money", 20)],
    )
    loader.save(
        EligibilityRule,
        {"opportunity": opportunity, "kind": RuleKind.LEAD_SECTOR, "text": Sector.VCS},
        {"number": None},
    )
    loader.save(
        EligibilityRule, {"opportunity": opportunity, "kind": RuleKind.MIN_MEMBERS, "text": ""}, {"number": Decimal(2)}
    )
    loader.save(
        EligibilityRule,
        {"opportunity": opportunity, "kind": RuleKind.MEMBER_FLAG, "text": MemberFlag.WOMEN_SPECIFIC},
        {"number": None},
    )
    _specification(loader, opportunity, users)
    loader.save(
        ClarificationQuestion,
        {"opportunity": opportunity, "question": "May a partnership include organisations from outside the region?"},
        {
            "asked_by": users["foundation.provider"],
            "asked_at": at(2006, 5, 10),
            "answer": "Yes, provided the lead is a voluntary sector organisation and services are delivered in the region.",
            "answered_at": at(2006, 5, 22),
        },
    )

    bids_by_partnership: dict[str, tuple[Bid, Bid | None]] = {}
    for index, (name, lead, members) in enumerate(PARTNERSHIPS):
        formed = at(2006, 5, 8 + index)
        partnership = loader.save(
            BiddingPartnership,
            {"opportunity": opportunity, "name": name},
            {
                "lead": organisations[lead],
                "created_at": formed,
                "constitution": "Agreed by the members' boards." if index == 0 else "",
                "bidding_protocol": "Joint bidding protocol agreed at formation." if index == 0 else "",
            },
        )
        for org_name, role, share in members:
            loader.save(
                PartnershipMember,
                {"partnership": partnership, "organisation": organisations[org_name], "invited_at": formed},
                {"role": role, "share": share, "confirmed_at": formed + datetime.timedelta(days=2), "left_at": None},
                m2m={"team": _people_of(users, organisations[org_name])},
            )
        if index == 0:
            # Re-shaped between the stages: a member that could not commit to the full bid left.
            loader.save(
                PartnershipMember,
                {
                    "partnership": partnership,
                    "organisation": organisations["Demo Community Project 05"],
                    "invited_at": formed,
                },
                {
                    "role": "Peer mentoring",
                    "share": Decimal(0),
                    "confirmed_at": formed + datetime.timedelta(days=2),
                    "left_at": at(2006, 6, 20),
                },
            )
        price1, price2 = PRICES[name]
        decided1 = at(2006, 6, 23)
        bid1 = loader.save(
            Bid,
            {"partnership": partnership, "stage": stage1},
            {
                "submitted_at": at(2006, 6, 1),
                "created_at": at(2006, 5, 25),
                "outcome": "shortlisted" if name in SHORTLISTED else "rejected",
                "outcome_at": decided1,
            },
        )
        _seal(
            bid1,
            answers={"1": f"{name}: a voluntary sector led partnership.", "2": "Through women's centres and outreach."},
            price=price1,
        )
        bid2 = None
        if price2 is not None:
            bid2 = loader.save(
                Bid,
                {"partnership": partnership, "stage": stage2},
                {
                    "submitted_at": at(2006, 7, 13),
                    "created_at": at(2006, 6, 26),
                    "outcome": "awarded" if index == 0 else "rejected",
                    "outcome_at": at(2006, 8, 1),
                },
            )
            _seal(bid2, answers={"1": "Delivery in all four areas.", "2": "A board of the partners."}, price=price2)
        bids_by_partnership[name] = (bid1, bid2)
        for stage, bid, scores in ((stage1, bid1, SCORES[name][0]), (stage2, bid2, SCORES[name][1])):
            if bid is None or scores is None:
                continue
            for criterion, score in zip(stage.criteria.order_by("id"), scores, strict=True):
                loader.save(
                    Score,
                    {"bid": bid, "criterion": criterion, "evaluator": evaluator},
                    {
                        "score": score,
                        "justification": f"Scored {score} against the published criterion.",
                        "submitted_at": bid.outcome_at,
                    },
                )
        loader.save(
            SurveyInvitation,
            {"opportunity": opportunity, "partnership": partnership},
            {"invited_at": at(2006, 8, 1), "answered": index < len(SURVEY)},
        )

    winner = bids_by_partnership["Together Women Y&H Partnership"][1]
    contract = Contract.objects.filter(reference="DEMO-ROM-YH-001").first()
    loader.save(
        Award,
        {"opportunity": opportunity, "bid": winner},
        {
            "contract": contract,
            "value": Decimal("1150000"),
            "awarded_at": at(2006, 8, 1),
            "awarded_by": users["rom.commissioner"],
            "standstill_ends": datetime.date(2006, 8, 11),
        },
    )
    for clarity, time, transparency, hours, people, change in SURVEY:
        loader.save(
            SurveyResponse,
            {"opportunity": opportunity, "what_to_change": change},
            {
                "received_on": datetime.date(2006, 9, 15),
                "clarity": clarity,
                "time_to_form_partnership": time,
                "transparency": transparency,
                "effort_hours": hours,
                "effort_people": people,
            },
        )


def _unpaid_work(
    loader: Any,
    commissioners: dict[str, Any],
    organisations: dict[str, Any],
    pathways: dict[str, Any],
    users: dict[str, Any],
) -> None:
    """Open for bids: its deadline is set eight weeks from the first load and then kept, so the
    demo shows an open opportunity and a second run changes nothing. One bid is already in, sealed:
    Foundation Housing's (sign in as foundation.provider to read it); until the deadline the
    commissioner (hypa.manager) and the evaluator see nothing of it, and the database holds only
    its ciphertext (``manage.py show_sealed_bids``).

    Its dates are the one exception to the demo's 2006-07: a bid sealed until a deadline still to
    come needs a deadline after today. So every date of it follows its deadline (``upw_dates``), in
    the same order as a real round's, never a 2007 publication with a deadline years later."""
    existing = Stage.objects.filter(opportunity__reference=UPW, number=1).values_list("deadline", flat=True).first()
    deadline = existing or (timezone.now() + datetime.timedelta(weeks=8)).replace(
        hour=12, minute=0, second=0, microsecond=0
    )
    dates = upw_dates(deadline)
    opportunity = _opportunity(
        loader,
        UPW,
        {
            "commissioner": commissioners["HYPA"],
            "title": "Unpaid Work sub-contracting pilot, Humberside",
            "description": "New unpaid work placements and sites delivered by local voluntary and community organisations, "
            "on the delivery model the Step Change pilot developed with Cabinet Office funding.",
            "kind": "grant_round",
            "estimated_value": Decimal("60000"),
            "duration_months": 12,
            "contract_start": dates["contract_start"],
            "funding_source": "main_grant",
            "funder": "",
            "clarification_deadline": dates["clarification_deadline"],
            "answers_published_by": dates["answers_published_by"],
            "published_at": dates["published_at"],
        },
        [pathways["unpaid-work"]],
        [commissioners["HYPA"]],
    )
    _stage(
        loader,
        opportunity,
        1,
        "Application",
        deadline,
        users["evaluator"],
        [
            "Which unpaid work placements or sites would you offer, and where?",
            "How will you supervise offenders on placement?",
        ],
        [("Quality of placements", 60), ("Local reach", 20), ("Value for money", 20)],
    )
    loader.save(
        EligibilityRule,
        {"opportunity": opportunity, "kind": RuleKind.LEAD_SECTOR, "text": Sector.VCS},
        {"number": None},
    )
    loader.save(
        EligibilityRule,
        {"opportunity": opportunity, "kind": RuleKind.MAX_VALUE, "text": ""},
        {"number": Decimal("60000")},
    )
    _sealed_unpaid_work_bid(loader, opportunity, organisations, users, dates)


def upw_dates(deadline: datetime.datetime) -> dict[str, Any]:
    """The pilot's dates, from its deadline: published ten weeks before it (longer than the
    region's 28-day minimum tender period; two weeks before the first load), the partnership
    formed three days after publication and its bid started two days later and submitted five
    days after that (all before the first load), questions closing two weeks before the deadline
    and answered a week before it, the contract starting six weeks after it."""
    week, day = datetime.timedelta(weeks=1), datetime.timedelta(days=1)
    published = deadline - 10 * week
    return {
        "published_at": published,
        "partnership_formed": published + 3 * day,
        "bid_created": published + 5 * day,
        "bid_submitted": published + 10 * day,
        "clarification_deadline": deadline - 2 * week,
        "answers_published_by": deadline - week,
        "contract_start": (deadline + 6 * week).date(),
    }


UPW_PARTNERSHIP = "Humber Community Placements"
UPW_MEMBERS = (
    ("Foundation Housing", "Lead: placements in supported housing schemes", Decimal(70)),
    ("Demo Community Project 05", "Community garden and food bank sites", Decimal(30)),
)


def _sealed_unpaid_work_bid(
    loader: Any, opportunity: Opportunity, organisations: dict[str, Any], users: dict[str, Any], dates: dict[str, Any]
) -> None:
    formed = dates["partnership_formed"]
    lead = organisations[UPW_MEMBERS[0][0]]
    partnership = loader.save(
        BiddingPartnership,
        {"opportunity": opportunity, "name": UPW_PARTNERSHIP},
        {"lead": lead, "created_at": formed, "created_by": users.get("foundation.provider")},
    )
    for org_name, role, share in UPW_MEMBERS:
        loader.save(
            PartnershipMember,
            {"partnership": partnership, "organisation": organisations[org_name], "invited_at": formed},
            {"role": role, "share": share, "confirmed_at": formed + datetime.timedelta(days=1), "left_at": None},
            m2m={"team": _people_of(users, organisations[org_name])},
        )
    bid = loader.save(
        Bid,
        {"partnership": partnership, "stage": opportunity.stages.get(number=1)},
        {"submitted_at": dates["bid_submitted"], "created_at": dates["bid_created"]},
    )
    _seal(
        bid,
        answers={
            "1": "Twelve placements: garden and food bank sites in Hull and Grimsby, and repairs in our housing schemes.",
            "2": "A trained supervisor on every site, signing each offender in and out and reporting to the officer.",
        },
        price=UPW_PRICE,
    )


# Under the pilot's £60,000 maximum; distinctive, so a search of the database for it finds nothing.
UPW_PRICE = Decimal("58750.00")
