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
from typing import Any

from django.utils import timezone

from stepchange.accounts.models import Role, User
from stepchange.commissioning import services
from stepchange.commissioning.models import (
    Award,
    Bid,
    BiddingPartnership,
    BidDocument,
    MemberFlag,
    Opportunity,
    RuleKind,
    Stage,
)
from stepchange.core.models import Pathway
from stepchange.organisations.models import Organisation, Sector
from tests.factories import OrganisationFactory, UserFactory
from tests.personas import PASSWORD, Cast

HOUR = datetime.timedelta(hours=1)
DAY = datetime.timedelta(days=1)


SHORT_PERIOD_REASON = "The Together Women money must be committed before the end of the quarter."


def t0() -> datetime.datetime:
    """Now, to the minute: the world is built now so that the pages (on the real clock) see it open."""
    return timezone.now().replace(second=0, microsecond=0)


def draft_opportunity(
    cast: Cast,
    *,
    reference: str,
    title: str,
    description: str,
    contract_start: datetime.date,
    estimated_value: Decimal = Decimal("50000"),
    **extra: Any,
) -> Opportunity:
    """A draft tender of the regional team, created by Alice: 12 months of main grant unless
    ``extra`` says otherwise."""
    fields: dict[str, Any] = {"kind": "tender", "duration_months": 12, "funding_source": "main_grant", **extra}
    return services.opportunity_create(
        actor=cast.alice,
        commissioner=cast.regional_team,
        reference=reference,
        title=title,
        description=description,
        estimated_value=estimated_value,
        contract_start=contract_start,
        **fields,
    )


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
    # A document of the bid, when a test adds one.
    document: BidDocument | None = None

    @property
    def after_stage1(self) -> datetime.datetime:
        return self.stage1.deadline + HOUR


def build_tender(cast: Cast, *, submit: bool = True, identified: bool = False) -> Tender:
    """With ``identified``, Acorn is charity 1099999 and company 04567890, and the women's centre
    a linked charity, 1100001-1, on their profiles before they bid."""
    start = t0()
    if identified:
        cast.charity.charity_number, cast.charity.company_number = "1099999", "04567890"
        cast.charity.save(update_fields=["charity_number", "company_number"])
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
    # Ten days a stage, less than the region's 28-day minimum tender period: the stories move
    # through the stages in days, so each stage records why it is shorter.
    stage1 = services.stage_add(
        actor=cast.alice,
        opportunity=opportunity,
        number=1,
        name="Outline",
        deadline=start + 10 * DAY,
        short_period_reason=SHORT_PERIOD_REASON,
    )
    stage2 = services.stage_add(
        actor=cast.alice,
        opportunity=opportunity,
        number=2,
        name="Full bid",
        deadline=start + 20 * DAY,
        short_period_reason=SHORT_PERIOD_REASON,
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

    centre = OrganisationFactory.create(
        name="Riverside Women's Centre",
        sector=Sector.VCS,
        women_specific=True,
        region=cast.region,
        charity_number="1100001-1" if identified else "",
    )
    wendy = UserFactory.create(username="wendy", role=Role.PROVIDER, organisation=centre, password=PASSWORD)
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


def second_bidder(cast: Cast, tender: Tender) -> tuple[User, Bid]:
    """Harry's Hope Trust (VCS) leads a second partnership with the women's centre; bid submitted."""
    hope = OrganisationFactory.create(name="Hope Trust", sector=Sector.VCS, charity_number="1123456")
    harry = UserFactory.create(username="harry", role=Role.PROVIDER, organisation=hope, password=PASSWORD)
    partnership = services.partnership_create(
        actor=harry,
        opportunity=tender.opportunity,
        name="Hope Partnership",
        lead_role="Lead",
        lead_share=Decimal(70),
        now=tender.start + HOUR,
    )
    member = services.member_invite(
        actor=harry,
        partnership=partnership,
        organisation=tender.womens_centre,
        role="Women's centre",
        share=Decimal(30),
        now=tender.start + HOUR,
    )
    services.member_confirm(actor=tender.wendy, member=member, now=tender.start + HOUR)
    bid = services.bid_save(
        actor=harry,
        partnership=partnership,
        stage=tender.stage1,
        answers={"1": "Outreach."},
        price=Decimal("120000"),
        now=tender.start + HOUR,
    )
    return harry, services.bid_submit(actor=harry, bid=bid, now=tender.start + HOUR)


def score_bid(evaluator: User, bid: Bid, quality: int, price: int, now: datetime.datetime) -> None:
    services.conflict_declare(actor=evaluator, bid=bid, has_conflict=False, now=now)
    quality_c, price_c = bid.stage.criteria.order_by("id")
    services.score_save(actor=evaluator, bid=bid, criterion=quality_c, score=quality, justification="Quality.", now=now)
    services.score_save(actor=evaluator, bid=bid, criterion=price_c, score=price, justification="Price.", now=now)
    services.scores_submit(actor=evaluator, bid=bid, now=now)


def acorn_stage2_bid(cast: Cast, tender: Tender, *, now: datetime.datetime) -> Bid:
    """Acorn's stage 2 bid, £150,000, submitted at ``now`` (once it was taken forward from stage 1)."""
    bid = services.bid_save(
        actor=cast.dave,
        partnership=tender.partnership,
        stage=tender.stage2,
        answers={"1": "Fully."},
        price=Decimal("150000"),
        now=now,
    )
    return services.bid_submit(actor=cast.dave, bid=bid, now=now)


@dataclass
class Awarded:
    award: Award
    harry: User
    hope_bid: Bid
    stage2_bid: Bid
    after2: datetime.datetime


def award_tender(
    cast: Cast,
    tender: Tender,
    *,
    hope_joins_acorn: bool = False,
    joiner: Organisation | None = None,
    joiner_user: User | None = None,
) -> Awarded:
    """Acorn and Hope bid at stage 1; Heidi scores (Acorn 66, Hope 50); Acorn alone goes forward and
    is awarded at £150,000 a year. With ``hope_joins_acorn``, Hope Trust, having lost, joins Acorn's
    partnership for stage 2 with a 10% share, so it becomes a sub-contractor of the winner; with
    ``joiner`` (confirmed by ``joiner_user``), that organisation joins instead."""
    if tender.bid.submitted_at is None:
        services.bid_submit(actor=cast.dave, bid=tender.bid, now=tender.start + 4 * HOUR)
    harry, hope_bid = second_bidder(cast, tender)
    after1 = tender.after_stage1
    score_bid(cast.heidi, tender.bid, 7, 6, after1)
    score_bid(cast.heidi, hope_bid, 5, 5, after1)
    services.stage_shortlist(actor=cast.alice, stage=tender.stage1, shortlisted=[tender.bid], now=after1)
    if hope_joins_acorn or joiner is not None:
        centre = tender.partnership.active_members().get(organisation=tender.womens_centre)
        services.member_leave(actor=tender.wendy, member=centre, now=after1)
        services.member_invite(
            actor=cast.dave,
            partnership=tender.partnership,
            organisation=tender.womens_centre,
            role="Women's centre",
            share=Decimal(30),
            now=after1,
        )
        services.member_confirm(
            actor=tender.wendy,
            member=tender.partnership.active_members().get(organisation=tender.womens_centre),
            now=after1,
        )
        joined = services.member_invite(
            actor=cast.dave,
            partnership=tender.partnership,
            organisation=joiner or hope_bid.partnership.lead,
            role="Outreach",
            share=Decimal(10),
            now=after1,
        )
        services.member_confirm(actor=joiner_user or harry, member=joined, now=after1)
    bid2 = acorn_stage2_bid(cast, tender, now=after1)
    after2 = tender.stage2.deadline + HOUR
    score_bid(cast.heidi, bid2, 9, 8, after2)
    award = services.bid_award(actor=cast.alice, bid=bid2, now=after2)
    return Awarded(award, harry, hope_bid, bid2, after2)
