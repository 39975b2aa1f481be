"""A tender built through the services, as the cast would build it.

Alice (regional commissioner) publishes "Women's services" for the regional team: two stages,
the lead must be VCS, at least two organisations, one of them women-specific, at most £200,000.
Heidi evaluates both stages. Dave's charity (Acorn Housing Trust) leads a partnership with a
women's centre; its stage 1 bid is submitted. Times are fixed around ``T0`` so tests can stand
either side of the deadlines by passing ``now``.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from stepchange.accounts.models import Role, User
from stepchange.commissioning import services
from stepchange.commissioning.models import Bid, BiddingPartnership, MemberFlag, Opportunity, RuleKind, Stage
from stepchange.core.models import Pathway
from stepchange.organisations.models import Organisation, Sector
from tests.factories import OrganisationFactory, UserFactory
from tests.personas import PASSWORD, Cast

HOUR = datetime.timedelta(hours=1)
DAY = datetime.timedelta(days=1)


def t0() -> datetime.datetime:
    """Now, to the minute: the world is built now so that the pages (on the real clock) see it open."""
    return timezone.now().replace(second=0, microsecond=0)


@dataclass
class Tender:
    opportunity: Opportunity
    stage1: Stage
    stage2: Stage
    partnership: BiddingPartnership
    bid: Bid
    womens_centre: Organisation
    wendy: User  # works for the women's centre
    start: datetime.datetime

    @property
    def after_stage1(self) -> datetime.datetime:
        return self.stage1.deadline + HOUR


def build_tender(cast: Cast, *, submit: bool = True) -> Tender:
    start = t0()
    opportunity = services.opportunity_create(
        actor=cast.alice,
        commissioner=cast.regional_team,
        reference="womens-services",
        title="Women's services",
        description="Holistic, woman-centred services for women at risk of offending.",
        kind="tender",
        estimated_value=Decimal("150000"),
        duration_months=24,
        contract_start=(start + 60 * DAY).date(),
        funding_source="new_investment",
        funder="Together Women Programme",
        clarification_deadline=start + 5 * DAY,
        answers_published_by=start + 7 * DAY,
        pathways=list(Pathway.objects.filter(code__in=["accommodation", "health"])),
        areas=[cast.sypa, cast.wypa],
    )
    stage1 = services.stage_add(
        actor=cast.alice, opportunity=opportunity, number=1, name="Outline", deadline=start + 10 * DAY
    )
    stage2 = services.stage_add(
        actor=cast.alice, opportunity=opportunity, number=2, name="Full bid", deadline=start + 20 * DAY
    )
    for stage in (stage1, stage2):
        services.question_add(actor=cast.alice, stage=stage, text="How will you reach women at risk?")
        services.criterion_add(actor=cast.alice, stage=stage, name="Quality", weight=60)
        services.criterion_add(actor=cast.alice, stage=stage, name="Price", weight=40)
        services.evaluator_assign(actor=cast.alice, stage=stage, evaluator=cast.heidi)
    services.rule_add(actor=cast.alice, opportunity=opportunity, kind=RuleKind.LEAD_SECTOR, text=Sector.VCS)
    services.rule_add(actor=cast.alice, opportunity=opportunity, kind=RuleKind.MIN_MEMBERS, number=Decimal(2))
    services.rule_add(
        actor=cast.alice, opportunity=opportunity, kind=RuleKind.MEMBER_FLAG, text=MemberFlag.WOMEN_SPECIFIC
    )
    services.rule_add(actor=cast.alice, opportunity=opportunity, kind=RuleKind.MAX_VALUE, number=Decimal("200000"))
    services.opportunity_publish(actor=cast.alice, opportunity=opportunity, now=start)

    centre = OrganisationFactory(
        name="Riverside Women's Centre", sector=Sector.VCS, women_specific=True, region=cast.region
    )
    wendy = UserFactory(username="wendy", role=Role.PROVIDER, organisation=centre, password=PASSWORD)
    partnership = services.partnership_create(
        actor=cast.dave,
        opportunity=opportunity,
        name="Acorn Women's Partnership",
        lead_role="Lead, housing",
        lead_share=Decimal(60),
        now=start + HOUR,
    )
    member = services.member_invite(
        actor=cast.dave,
        partnership=partnership,
        organisation=centre,
        role="Women's centre",
        share=Decimal(40),
        now=start + HOUR,
    )
    services.member_confirm(actor=wendy, member=member, now=start + 2 * HOUR)
    bid = services.bid_save(
        actor=cast.dave,
        partnership=partnership,
        stage=stage1,
        answers={"1": "Through the women's centre."},
        price=Decimal("140000"),
        now=start + 3 * HOUR,
    )
    if submit:
        bid = services.bid_submit(actor=cast.dave, bid=bid, now=start + 3 * HOUR)
    return Tender(opportunity, stage1, stage2, partnership, bid, centre, wendy, start)
