"""Reads of commissioning that pages, reports and exports share, each already scoped by ``access``.

Scores: each evaluator scores each criterion 0 to 10. A criterion's score for a bid is its
moderated score where one is recorded, else the mean of the evaluators' submitted scores. The
weighted total is Σ weight × score / 10, so a bid scoring 10 on every criterion totals 100.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, QuerySet
from django.utils import timezone

from stepchange.commissioning import access, sealed
from stepchange.commissioning.awards import current_award_q, current_awards
from stepchange.commissioning.models import (
    SCORE_MAX,
    Award,
    Bid,
    BiddingPartnership,
    Challenge,
    ConflictDeclaration,
    Criterion,
    Moderation,
    Opportunity,
    Outcome,
    PartnershipMember,
    Score,
    Stage,
    SurveyResponse,
)
from stepchange.organisations import identifiers
from stepchange.organisations.models import Sector

CLOSING_SOON = datetime.timedelta(days=14)


def published_opportunities(
    user: Any,
    *,
    pathway: str = "",
    area: str = "",
    closing_soon: bool = False,
    now: datetime.datetime | None = None,
) -> QuerySet[Opportunity]:
    """The public list: published opportunities, newest first, narrowed by the filters."""
    now = now or timezone.now()
    found = access.opportunities_visible_to(user, now=now).filter(published_at__lte=now)
    if pathway:
        found = found.filter(pathways__code=pathway)
    if area:
        found = found.filter(areas__code=area)
    if closing_soon:
        # One stage, sealed now and unsealed by the end of the window: the same join for both.
        found = found.filter(
            sealed.sealed_q(now, "stages__") & sealed.unsealed_q(now + CLOSING_SOON, "stages__"),
            cancelled_at__isnull=True,
            closed_without_award_at__isnull=True,
        )
    return found.distinct().prefetch_related("pathways", "areas", "stages").order_by("-published_at", "reference")


@dataclass
class CriterionResult:
    criterion: Criterion
    scores: list[Score]
    moderated: Moderation | None
    spread_limit: int

    @property
    def spread(self) -> int | None:
        values = [s.score for s in self.scores]
        return max(values) - min(values) if values else None

    @property
    def mean(self) -> Decimal | None:
        values = [Decimal(s.score) for s in self.scores]
        return sum(values, Decimal(0)) / len(values) if values else None

    @property
    def final(self) -> Decimal | None:
        return self.moderated.moderated_score if self.moderated else self.mean

    @property
    def needs_moderation(self) -> bool:
        return self.moderated is None and self.spread is not None and self.spread > self.spread_limit


@dataclass
class BidResult:
    bid: Bid
    criteria: list[CriterionResult] = field(default_factory=list)
    unsubmitted: int = 0
    # The evaluators named on the stage who have not scored this bid (``evaluators_yet_to_score``).
    yet_to_score: list[Any] = field(default_factory=list)

    @property
    def scored(self) -> bool:
        return any(c.scores for c in self.criteria)

    @property
    def total(self) -> Decimal:
        return sum(
            (Decimal(c.criterion.weight) * c.final / SCORE_MAX for c in self.criteria if c.final is not None),
            Decimal(0),
        )

    @property
    def needs_moderation(self) -> list[str]:
        return [c.criterion.name for c in self.criteria if c.needs_moderation]


def stage_results(stage: Stage, bids: Iterable[Bid]) -> list[BidResult]:
    """The bids given (already scoped) with their submitted scores, ranked by weighted total."""
    bids = list(bids)
    criteria = list(stage.criteria.all())
    scores = Score.objects.filter(bid__in=bids).select_related("evaluator")
    moderations = {(m.bid_id, m.criterion_id): m for m in Moderation.objects.filter(bid__in=bids)}
    waiting = evaluators_yet_to_score(stage, bids)
    results = []
    for bid in bids:
        result = BidResult(bid=bid, yet_to_score=waiting[bid.pk])
        mine = [s for s in scores if s.bid_id == bid.pk]
        result.unsubmitted = len({s.evaluator_id for s in mine if s.submitted_at is None})
        for criterion in criteria:
            result.criteria.append(
                CriterionResult(
                    criterion=criterion,
                    scores=[s for s in mine if s.criterion_id == criterion.pk and s.submitted_at is not None],
                    moderated=moderations.get((bid.pk, criterion.pk)),
                    spread_limit=stage.opportunity.moderation_spread,
                )
            )
        results.append(result)
    results.sort(key=lambda r: (-r.total, r.bid.partnership.name))
    return results


def evaluators_yet_to_score(stage: Stage, bids: Iterable[Bid]) -> dict[int, list[Any]]:
    """Bid id → the evaluators named on the stage who have not submitted a score of every one of its
    criteria for that bid, leaving out those who declared a conflict on it (they may not score).
    An award waits for them unless the commissioner records why it goes ahead (``bid_award``)."""
    bids = list(bids)
    evaluators = list(stage.evaluators.order_by("first_name", "last_name", "username"))
    criteria = stage.criteria.count()
    conflicted = set(
        ConflictDeclaration.objects.filter(bid__in=bids, has_conflict=True).values_list("bid_id", "evaluator_id")
    )
    scored = set(
        Score.objects.filter(bid__in=bids, submitted_at__isnull=False)
        .values("bid_id", "evaluator_id")
        .annotate(n=Count("criterion", distinct=True))
        .filter(n__gte=criteria)
        .values_list("bid_id", "evaluator_id")
    )
    return {
        bid.pk: [e for e in evaluators if (bid.pk, e.pk) not in conflicted and (bid.pk, e.pk) not in scored]
        for bid in bids
    }


def _fmt(value: Decimal | None) -> str:
    return "not scored" if value is None else f"{value.quantize(Decimal('0.01'))}"


def feedback_text(result: BidResult, leader: BidResult | None) -> str:
    """What a bidder is told: its outcome, its score per criterion beside the leading bid's, the
    evaluators' comments on its own bid, and the commissioner's feedback."""
    bid = result.bid
    lines = [f"Outcome: {bid.get_outcome_display()}."]
    lines.append(f"Your weighted total: {_fmt(result.total)} out of 100.")
    if leader is not None and leader.bid.pk != bid.pk:
        lines.append(f"Highest-scoring bid's weighted total: {_fmt(leader.total)} out of 100.")
    for index, item in enumerate(result.criteria):
        lead_score = leader.criteria[index].final if leader is not None else None
        lines.append(
            f"{item.criterion.name} ({item.criterion.weight}%): yours {_fmt(item.final)}, "
            f"highest-scoring bid {_fmt(lead_score)}."
        )
        for score in item.scores:
            lines.append(f"  Evaluator comment: {score.justification}")
        if item.moderated:
            lines.append(f"  Moderation: {item.moderated.note}")
    if bid.feedback:
        lines.append(f"Feedback: {bid.feedback}")
    return "\n".join(lines)


def own_scores_then_others(user: Any, bid: Bid) -> tuple[list[Score], list[Score]]:
    """An evaluator sees the others' scores of a bid only after submitting their own."""
    mine = list(Score.objects.filter(bid=bid, evaluator=user).select_related("criterion"))
    submitted = bool(mine) and all(s.submitted_at for s in mine)
    others: list[Score] = []
    if submitted:
        others = list(
            Score.objects.filter(bid=bid, submitted_at__isnull=False)
            .exclude(evaluator=user)
            .select_related("criterion", "evaluator")
        )
    return mine, others


def submitted_scores(bid: Bid, criterion: Criterion) -> list[Score]:
    """Every evaluator's submitted score of one criterion of a bid, with its justification: what
    the panel moderates. Scores saved but not submitted are the evaluator's own until submitted."""
    return list(
        Score.objects.filter(bid=bid, criterion=criterion, submitted_at__isnull=False)
        .select_related("evaluator")
        .order_by("evaluator__first_name", "evaluator__last_name", "evaluator__username")
    )


def moderation_of(bid: Bid, criterion: Criterion) -> Moderation | None:
    return Moderation.objects.filter(bid=bid, criterion=criterion).select_related("recorded_by").first()


def members_of_bid(bid: Bid) -> list[PartnershipMember]:
    """The partnership behind a bid as it stands, lead first: its confirmed, current members."""
    members = bid.partnership.confirmed_members().select_related("organisation", "partnership")
    return sorted(members.order_by("invited_at", "id"), key=lambda m: not m.is_lead)


def members_at_award(award: Award) -> list[PartnershipMember]:
    """The winning partnership as it stood when the award was made, lead first."""
    return _members_at(award.bid.partnership, award.awarded_at, lead_first=True)


def _members_at(
    partnership: BiddingPartnership, when: datetime.datetime, *, lead_first: bool = False
) -> list[PartnershipMember]:
    members = [
        m
        for m in partnership.members.select_related("organisation", "partnership").order_by("invited_at", "id")
        if m.confirmed_at is not None and m.confirmed_at <= when and (m.left_at is None or m.left_at > when)
    ]
    return sorted(members, key=lambda m: not m.is_lead) if lead_first else members


@dataclass
class LostBidderFlag:
    """An organisation that lost in one partnership and is a sub-contractor of the winner."""

    organisation: str
    numbers: str
    lost_with: str
    lost_as: str
    lost_at_stage: int
    role_with_winner: str
    matched_by: str
    lost_under: str = ""

    def __str__(self) -> str:
        who = f"{self.organisation} ({self.numbers})" if self.numbers else self.organisation
        if self.lost_under and self.lost_under != self.organisation:
            who += f", in the directory also as {self.lost_under},"
        return (
            f"{who} bid as {self.lost_as} of {self.lost_with}, not successful at stage {self.lost_at_stage}, "
            f"and is a sub-contractor of the winner ({self.role_with_winner}); matched by {self.matched_by}."
        )


def _matched_by(a: tuple[int, str, str], b: tuple[int, str, str]) -> str | None:
    """Same organisation record, or the same charity or company number under another record."""
    if a[0] == b[0]:
        return "the same organisation"
    if a[1] and a[1] == b[1]:
        return f"charity number {a[1]}"
    if a[2] and a[2] == b[2]:
        return f"company number {a[2]}"
    return None


def lost_bidders_in_winning_partnership(opportunity: Opportunity) -> list[LostBidderFlag]:
    """Organisations that were in a losing partnership (as lead or member, when it lost) and are
    sub-contractors of the standing award: the commissioner is shown them, because a loser
    reappearing under the winner needs a look. Matched by organisation, and by charity or company
    number, so a second directory entry for the same body is caught too. For managers only."""
    award = current_awards(opportunity.awards.all()).select_related("bid__partnership", "contract").first()
    if award is None:
        return []
    winner = award.bid.partnership
    subs: list[tuple[tuple[int, str, str], str, str]] = [
        ((m.organisation_id, m.charity_number, m.company_number), m.organisation.name, f"{m.role}, {m.share}%")
        for m in members_at_award(award)
        if not m.is_lead
    ]
    if award.contract is not None:
        listed = {key[0] for key, _name, _role in subs}
        for sub in award.contract.sub_contracts.select_related("partner"):
            if sub.partner_id not in listed:
                partner = sub.partner
                subs.append(
                    (
                        (partner.pk, partner.charity_number, partner.company_number),
                        partner.name,
                        f"sub-contract of £{sub.value:,.2f} a year",
                    )
                )
    losing = (
        Bid.objects.filter(stage__opportunity=opportunity, outcome=Outcome.REJECTED, outcome_at__isnull=False)
        .exclude(partnership=winner)
        .select_related("partnership", "stage")
        .order_by("stage__number", "partnership__name")
    )
    flags: list[LostBidderFlag] = []
    seen: set[tuple[int, int]] = set()
    for bid in losing:
        for member in _members_at(bid.partnership, bid.outcome_at or bid.stage.deadline):
            key = (member.organisation_id, member.charity_number, member.company_number)
            for sub_key, name, role in subs:
                how = _matched_by(key, sub_key)
                if how is None or (sub_key[0], bid.partnership_id) in seen:
                    continue
                seen.add((sub_key[0], bid.partnership_id))
                flags.append(
                    LostBidderFlag(
                        organisation=name,
                        numbers=identifiers.describe(charity_number=sub_key[1], company_number=sub_key[2]),
                        lost_with=bid.partnership.name,
                        lost_as="lead" if member.is_lead else "a member",
                        lost_at_stage=bid.stage.number,
                        role_with_winner=role,
                        matched_by=how,
                        lost_under=member.organisation.name,
                    )
                )
    return flags


@dataclass
class FeedbackSummary:
    # None when the counts may not be told (``access.survey_counts_told``).
    responses: int | None
    invited: int | None
    clarity: Decimal | None
    time_to_form_partnership: Decimal | None
    transparency: Decimal | None
    effort_hours: Decimal | None
    effort_people: Decimal | None
    what_to_change: list[str]


def feedback_summary(responses: QuerySet[SurveyResponse], invited: int) -> FeedbackSummary:
    """Means of the ratings (1 very poor … 5 very good) and of the effort; comments in a fixed
    order that does not follow who answered when."""
    rows = list(responses)

    def avg(name: str) -> Decimal | None:
        values = [Decimal(getattr(r, name)) for r in rows]
        return sum(values, Decimal(0)) / len(values) if values else None

    return FeedbackSummary(
        responses=len(rows),
        invited=invited,
        clarity=avg("clarity"),
        time_to_form_partnership=avg("time_to_form_partnership"),
        transparency=avg("transparency"),
        effort_hours=avg("effort_hours"),
        effort_people=avg("effort_people"),
        what_to_change=sorted(r.what_to_change for r in rows if r.what_to_change),
    )


def survey_summary(opportunity: Opportunity, *, now: datetime.datetime | None = None) -> FeedbackSummary:
    """The opportunity's survey summarised, its counts left out while they may not be told."""
    summary = feedback_summary(opportunity.survey_responses.all(), opportunity.survey_invitations.count())
    if not access.survey_counts_told(opportunity, now=now):
        summary.responses = summary.invited = None
    return summary


def published_feedback(opportunity: Opportunity) -> FeedbackSummary | None:
    if opportunity.feedback_published_at is None:
        return None
    return survey_summary(opportunity)


def answered_clarifications(opportunity: Opportunity) -> QuerySet[Any]:
    """What the public page shows: answered questions, never who asked them."""
    return opportunity.clarifications.filter(answered_at__isnull=False).only(
        "question", "answer", "answered_at", "opportunity_id"
    )


@dataclass
class StageStatistics:
    """What may be said in public of a closed stage's bids."""

    stage: Stage
    bids: int
    taken_forward: int
    awarded: int


def stage_statistics(stage: Stage, *, now: datetime.datetime | None = None) -> StageStatistics | None:
    """Counts of a stage's submitted bids, or None while it is sealed: before the deadline not even
    a count of zero may be told. Bids withdrawn before the deadline are never counted."""
    if stage.is_sealed(now):
        return None
    bids = Bid.objects.filter(stage=stage, submitted_at__isnull=False, withdrawn_at__isnull=True)
    return StageStatistics(
        stage=stage,
        bids=bids.count(),
        taken_forward=bids.filter(outcome=Outcome.SHORTLISTED).count(),
        awarded=bids.filter(outcome=Outcome.AWARDED).count(),
    )


def unsealed_bids_of(user: Any, opportunity: Opportunity, *, now: datetime.datetime | None = None) -> QuerySet[Bid]:
    return access.bids_visible_to(user, now=now).filter(stage__opportunity=opportunity)


@dataclass
class ChallengeRow:
    challenge: Challenge
    overdue: bool


def challenges_of_standing_award(
    opportunity: Opportunity, *, now: datetime.datetime | None = None
) -> list[ChallengeRow]:
    """The challenges to the opportunity's standing award, for its commissioner: each flagged
    overdue when its answer deadline has passed without an answer. An overdue challenge is still
    open, so the contract may not start (``Award.may_start``)."""
    now = now or timezone.now()
    challenges = Challenge.objects.filter(current_award_q("award__"), award__opportunity=opportunity).select_related(
        "partnership"
    )
    return [ChallengeRow(c, c.answered_at is None and c.answer_due < now) for c in challenges]


@dataclass
class TeamOfMember:
    """One confirmed member of a partnership: the people on its bid team, and those of its
    organisation who could be named."""

    member: PartnershipMember
    people: list[Any]
    others: list[Any]


def bid_team_of(partnership: BiddingPartnership) -> list[TeamOfMember]:
    teams = []
    for member in partnership.confirmed_members().order_by("invited_at", "id"):
        people = list(member.team.order_by("last_name", "first_name", "username"))
        others = (
            access.bid_team_candidates(member)
            .exclude(pk__in=[p.pk for p in people])
            .order_by("last_name", "first_name", "username")
        )
        teams.append(TeamOfMember(member, people, list(others)))
    return teams


@dataclass
class QuarterCommissioning:
    """A region's commissioning of a span of days (a quarter), as it stood at a moment after it."""

    published: int
    published_value: Decimal
    partnerships_bidding: int
    vcs_led_bidding: int
    awarded: int
    awarded_value: Decimal
    vcs_led_awarded: int
    vcs_led_awarded_value: Decimal


def quarter_commissioning(
    region: Any, start: datetime.date, end: datetime.date, *, now: datetime.datetime
) -> QuarterCommissioning:
    """Opportunities the region published from ``start`` to ``end`` (days in UK time) and their
    estimated annual values; the partnerships with a bid to a stage whose deadline fell in those days
    (counted only once the stage is unsealed at ``now``), and how many were VCS-led (their lead a
    voluntary or community organisation); the awards made in those days that stand at ``now``, their
    values, and those won by a VCS-led partnership."""
    published = Opportunity.objects.filter(
        commissioner__region=region, published_at__date__gte=start, published_at__date__lte=end, published_at__lte=now
    )
    bids = Bid.objects.filter(
        sealed.unsealed_submitted_q(now),
        stage__opportunity__commissioner__region=region,
        stage__deadline__date__gte=start,
        stage__deadline__date__lte=end,
    )
    partnerships = BiddingPartnership.objects.filter(pk__in=bids.values("partnership_id"))
    awards = list(
        Award.objects.filter(
            current_award_q(),
            opportunity__commissioner__region=region,
            awarded_at__date__gte=start,
            awarded_at__date__lte=end,
            awarded_at__lte=now,
        ).select_related("bid__partnership__lead")
    )
    vcs_led = [a for a in awards if a.bid.partnership.lead.sector == Sector.VCS]
    return QuarterCommissioning(
        published=published.count(),
        published_value=sum((o.estimated_value for o in published), Decimal(0)),
        partnerships_bidding=partnerships.count(),
        vcs_led_bidding=partnerships.filter(lead__sector=Sector.VCS).count(),
        awarded=len(awards),
        awarded_value=sum((a.value for a in awards), Decimal(0)),
        vcs_led_awarded=len(vcs_led),
        vcs_led_awarded_value=sum((a.value for a in vcs_led), Decimal(0)),
    )
