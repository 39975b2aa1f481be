"""Who may see and do what in commissioning: the only place that decides it.

The rule that matters most is the sealed bid. Until a stage's deadline has passed, nobody but the
people on the partnership's bid team sees anything of its bid, not even that it exists: not the
commissioner, not the evaluators, not another bidder, not someone else in a member organisation,
not a superuser. Every list, count, report and export of bids goes through ``bids_visible_to``,
which takes ``now`` so tests can stand either side of a deadline. When a stage is sealed is the one
rule in ``sealed``; whom a bid is sealed from now is ``bid_sealed_from``.

- everyone, signed out included: published opportunities, answered clarifications, published
  feedback summaries;
- a commissioner's managers (``commissioners_managed_by``): their opportunities, drafts included;
  after a stage's deadline, the submitted bids of that stage and the partnerships behind them;
- an evaluator named on a stage (whatever their role: a commissioner may be named too): after its
  deadline, the submitted bids of that stage, less any bid they declared a conflict on; of a bid
  they have not yet declared no conflict on (``bids_awaiting_declaration``) only that it exists and
  the partnership's name: no answers, price, document, member, share or registered number, on any
  page, even if they also manage the opportunity. Once they have declared no conflict they score
  it (``may_score``) and see the partnership behind it whole (``may_see_partnership``): members,
  roles, shares, the constitution and joint bidding protocol, typed or uploaded;
- a provider: the partnerships its organisation belongs to (invited or confirmed); a bid of one,
  at any time, only once the organisation has confirmed and the person is on its bid team
  (``PartnershipMember.team``: who formed the partnership or confirmed the membership, and whoever
  the lead's team names), not everyone in the organisation.

This decides who may see; ``sealing`` makes it hold in the database too. A bid's answers, price and
documents are stored only encrypted, and ``sealing`` decrypts them only for ``bids_openable_by``.

Documents follow what they belong to, each through its own function: an opportunity's documents
with the opportunity (public once published); a partnership's constitution and bidding protocol to
whoever may see the partnership (``may_see_partnership``): its members, and the opportunity's
managers and the evaluators who score it once the partnership is open to them;
a bid's documents with the bid's content (``bids_openable_by``), so they are sealed like it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from stepchange.commissioning import sealed
from stepchange.commissioning.models import (
    Award,
    Bid,
    BiddingPartnership,
    BidDocument,
    ConflictDeclaration,
    Opportunity,
    OpportunityDocument,
    OpportunityStatus,
    Outcome,
    PartnershipDocument,
    PartnershipMember,
    Stage,
)
from stepchange.contracts.access import commissioners_managed_by
from stepchange.core import access
from stepchange.core.roles import Role
from stepchange.organisations.models import CommissionerKind


def _now(now: datetime.datetime | None) -> datetime.datetime:
    return now or timezone.now()


# The roles whose people a commissioner may name as a stage's evaluator.
EVALUATOR_ROLES = (Role.EVALUATOR, Role.REGIONAL_COMMISSIONER, Role.PROBATION_MANAGER)


def evaluator_candidates() -> QuerySet[Any]:
    """Who a commissioner may name as the evaluator of a stage: the open accounts of evaluators,
    regional commissioners and probation contracts managers."""
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(role__in=EVALUATOR_ROLES, is_active=True)


def may_be_named_evaluator(person: Any) -> bool:
    return evaluator_candidates().filter(pk=person.pk).exists()


def opportunities_managed_by(user: Any) -> QuerySet[Opportunity]:
    """Opportunities whose commissioner this user manages: they create, change and decide them."""
    return Opportunity.objects.filter(commissioner__in=commissioners_managed_by(user))


def may_create_opportunities(user: Any) -> bool:
    return commissioners_managed_by(user).exists()


def opportunities_visible_to(user: Any, *, now: datetime.datetime | None = None) -> QuerySet[Opportunity]:
    rule = Q(published_at__lte=_now(now))
    if access.is_signed_in(user):
        rule |= Q(pk__in=opportunities_managed_by(user).values("pk"))
    return Opportunity.objects.filter(rule).select_related("commissioner__organisation")


def provider_organisation_id(user: Any) -> int | None:
    """The organisation a provider bids for; other roles never bid."""
    if access.has_role(user, Role.PROVIDER):
        return access.own_organisation_id(user)
    return None


def may_ask_clarification(user: Any, opportunity: Opportunity, *, now: datetime.datetime | None = None) -> bool:
    """Whether the opportunity's page offers this person to ask a clarification question: a
    provider's person (only a provider bids), of a published opportunity, before its clarification
    deadline. ``services.clarification_ask`` refuses on the same rule."""
    return (
        provider_organisation_id(user) is not None
        and opportunity.published_at is not None
        and not opportunity.clarification_deadline_passed(_now(now))
    )


def may_form_partnership(user: Any, opportunity: Opportunity, *, now: datetime.datetime | None = None) -> bool:
    """Whether the opportunity's page offers this person to form a bidding partnership for it: a
    provider's person, while the opportunity is open (published, not ended or awarded, its first
    stage's deadline not passed). ``services.partnership_create`` refuses anyone but a provider's
    person, and any opportunity not published, ended, or with every stage past its deadline."""
    return provider_organisation_id(user) is not None and opportunity.status(_now(now)) == OpportunityStatus.OPEN


def memberships_of(user: Any) -> QuerySet[PartnershipMember]:
    """The current memberships of the user's organisation, invited or confirmed."""
    org_id = provider_organisation_id(user)
    if org_id is None:
        return PartnershipMember.objects.none()
    return PartnershipMember.objects.filter(organisation_id=org_id, left_at__isnull=True)


def confirmed_memberships_of(user: Any) -> QuerySet[PartnershipMember]:
    """The current memberships the user's organisation has confirmed: whose people attach the
    partnership's documents, answer its feedback survey and challenge the standing award."""
    return memberships_of(user).filter(confirmed_at__isnull=False)


def _ids(rows: QuerySet[Any, Any], field: str = "pk") -> list[int]:
    """The ids of a small set that depends on the user alone, read now.

    The rules below combine several such sets. Written as subqueries inside subqueries, Django
    compiled them anew at every call (most of a partnership page's time went there); read first as
    plain lists, the rule that uses them is one flat query. They are read when the rule is asked,
    like the subqueries they replace.
    """
    return list(rows.values_list(field, flat=True))


def _own_partnership_ids(user: Any) -> list[int]:
    """Partnerships the user's organisation belongs to, invited or confirmed (not their bids)."""
    return _ids(memberships_of(user), "partnership_id")


def bid_team_memberships_of(user: Any) -> QuerySet[PartnershipMember]:
    """The confirmed, current memberships of the user's organisation that name this user on the bid
    team: a person of a member organisation sees nothing of its bids until named."""
    return confirmed_memberships_of(user).filter(team=user)


def _bid_team_partnership_ids(user: Any) -> list[int]:
    return _ids(bid_team_memberships_of(user), "partnership_id")


def _managed_opportunity_ids(user: Any) -> list[int]:
    return _ids(opportunities_managed_by(user))


def _evaluated_stage_ids(user: Any) -> list[int]:
    return _ids(stages_evaluated_by(user))


def _declared_bid_ids(user: Any, *, conflict: bool) -> list[int]:
    """The bids this user declared a conflict on (``conflict=True``), or declared none on."""
    if not access.is_signed_in(user):
        return []
    return _ids(ConflictDeclaration.objects.filter(evaluator=user, has_conflict=conflict), "bid_id")


def may_bid_at_stage(partnership: BiddingPartnership, stage: Stage) -> bool:
    """The stage rule: every partnership may bid at stage 1; at a later stage only one taken forward
    (shortlisted) from the stage before. One rejected at a stage, or whose earlier bid is not yet
    decided, is neither offered the next stage nor let bid at it (``services.bid_save``)."""
    if stage.number == 1:
        return True
    return Bid.objects.filter(
        partnership=partnership,
        stage__opportunity_id=stage.opportunity_id,
        stage__number=stage.number - 1,
        outcome=Outcome.SHORTLISTED,
    ).exists()


def stages_open_to_bid(partnership: BiddingPartnership, *, now: datetime.datetime | None = None) -> list[Stage]:
    """The stages of the partnership's opportunity its bid team is offered to write a bid for now:
    still sealed (before their deadline), and allowed by ``may_bid_at_stage``."""
    stages = partnership.opportunity.stages.filter(sealed.sealed_q(now)).order_by("number")
    return [stage for stage in stages if may_bid_at_stage(partnership, stage)]


def may_name_bid_team(user: Any, partnership: BiddingPartnership) -> bool:
    """The lead's bid team names (and removes) the people of every member on the bid."""
    return bid_team_memberships_of(user).filter(partnership=partnership, organisation_id=partnership.lead_id).exists()


def stages_evaluated_by(user: Any) -> QuerySet[Stage]:
    if not access.is_signed_in(user):
        return Stage.objects.none()
    return Stage.objects.filter(evaluators=user)


def bid_sealed_from(user: Any, bid: Bid, now: datetime.datetime | None = None) -> bool:
    """The bid is sealed from this person now: its stage's deadline has not arrived and they are
    not on the bid's team. Submitted, withdrawn or never submitted alike."""
    if not sealed.sealed(bid.stage, now):
        return False
    return not (access.is_signed_in(user) and bid.partnership_id in _bid_team_partnership_ids(user))


@dataclass(frozen=True)
class _Standing:
    """What a person's view of the bids turns on, read once each time a rule is asked: the
    partnerships whose bid team they are on, the opportunities they manage, the stages they
    evaluate, and the bids they declared a conflict on, or none."""

    team: list[int]
    managed: list[int]
    evaluated: list[int]
    conflicted: list[int]
    cleared: list[int]


def _standing(user: Any) -> _Standing:
    if not access.is_signed_in(user):
        return _Standing([], [], [], [], [])
    return _Standing(
        team=_bid_team_partnership_ids(user),
        managed=_managed_opportunity_ids(user),
        evaluated=_evaluated_stage_ids(user),
        conflicted=_declared_bid_ids(user, conflict=True),
        cleared=_declared_bid_ids(user, conflict=False),
    )


def _visible(standing: _Standing, now: datetime.datetime) -> QuerySet[Bid]:
    rule = Q(partnership_id__in=standing.team)
    unsealed = sealed.unsealed_submitted_q(now)
    rule |= unsealed & Q(stage__opportunity_id__in=standing.managed)
    rule |= unsealed & Q(stage_id__in=standing.evaluated) & ~Q(pk__in=standing.conflicted)
    return Bid.objects.filter(rule).select_related("partnership__lead", "stage__opportunity")


def _awaiting(standing: _Standing, now: datetime.datetime) -> QuerySet[Bid]:
    return _visible(standing, now).filter(stage_id__in=standing.evaluated).exclude(pk__in=standing.cleared)


def _openable(standing: _Standing, now: datetime.datetime) -> QuerySet[Bid]:
    rule = Q(partnership_id__in=standing.team)
    rule |= Q(stage__opportunity_id__in=standing.managed)
    rule |= Q(pk__in=standing.cleared)
    return _visible(standing, now).filter(rule).exclude(pk__in=_ids(_awaiting(standing, now)))


def bids_visible_to(user: Any, *, now: datetime.datetime | None = None) -> QuerySet[Bid]:
    if not access.is_signed_in(user):
        return Bid.objects.none()
    return _visible(_standing(user), _now(now))


def survey_counts_told(opportunity: Opportunity, *, now: datetime.datetime | None = None) -> bool:
    """Whether the feedback survey of an opportunity may say how many bidders were asked and how
    many answered. Everyone who bid is asked, so the counts would tell how many had bid: not while
    any stage is sealed (an opportunity cancelled before its deadline), like every count of bids."""
    return not opportunity.stages.filter(sealed.sealed_q(now)).exists()


def bids_of_own_partnerships(user: Any) -> QuerySet[Bid]:
    return Bid.objects.filter(partnership_id__in=_bid_team_partnership_ids(user))


def bids_openable_by(user: Any, *, now: datetime.datetime | None = None) -> QuerySet[Bid]:
    """Bids whose content (answers, price, documents) this user may read now: the one rule
    ``sealing`` asks before it decrypts anything of a bid.

    The bid's own team reads it at any time (they are writing it); after the stage's deadline, the
    opportunity's managers read its submitted bids, and an evaluator of the stage a submitted bid
    only once they have declared no conflict on it. Nobody else, a superuser included.
    """
    if not access.is_signed_in(user):
        return Bid.objects.none()
    return _openable(_standing(user), _now(now))


def bids_awaiting_declaration(user: Any, *, now: datetime.datetime | None = None) -> QuerySet[Bid]:
    """The evaluator's rule: the unsealed bids of the stages this user evaluates on which they have
    not declared that they have no conflict. Of these they may see that the bid exists and whose it
    is (the partnership's name, to declare on) and nothing else: not its answers, price or
    documents, not the partnership's members, shares or numbers, whatever else they may be (a
    manager of the opportunity too)."""
    if not access.is_signed_in(user):
        return Bid.objects.none()
    return _awaiting(_standing(user), _now(now))


def bids_scorable_by(user: Any, *, now: datetime.datetime | None = None) -> QuerySet[Bid]:
    """An evaluator scores the unsealed bids of their stages they declared no conflict on."""
    if not access.is_signed_in(user):
        return Bid.objects.none()
    standing = _standing(user)
    return _visible(standing, _now(now)).filter(stage_id__in=standing.evaluated, pk__in=standing.cleared)


def may_score(user: Any, bid: Bid, *, now: datetime.datetime | None = None) -> bool:
    """Whether this person scores the bid now: named on its stage, the deadline passed, and no
    conflict declared on it (``bids_scorable_by``). A commissioner named on the stage scores like
    any evaluator."""
    return bids_scorable_by(user, now=now).filter(pk=bid.pk).exists()


def partnerships_visible_to(user: Any, *, now: datetime.datetime | None = None) -> QuerySet[BiddingPartnership]:
    """Own partnerships; and, to those who see a partnership's bids, the partnerships behind them.

    A partnership with no unsealed bid stays hidden from the commissioner: that it formed for an
    opportunity would tell them who is bidding.
    """
    if not access.is_signed_in(user):
        return BiddingPartnership.objects.none()
    rule = Q(pk__in=_own_partnership_ids(user))
    rule |= Q(pk__in=bids_visible_to(user, now=now).values("partnership_id"))
    return BiddingPartnership.objects.filter(rule).select_related("lead", "opportunity")


def partnerships_open_to(user: Any, *, now: datetime.datetime | None = None) -> QuerySet[BiddingPartnership]:
    """Partnerships whose page (members, their shares and registered numbers, bids) this user may
    read: their own, invited or confirmed; and a partnership behind a bid whose content they may
    read (``bids_openable_by``), unless a bid of it still awaits their declaration
    (``bids_awaiting_declaration``)."""
    if not access.is_signed_in(user):
        return BiddingPartnership.objects.none()
    standing, when = _standing(user), _now(now)
    rule = Q(pk__in=_own_partnership_ids(user))
    rule |= Q(pk__in=_ids(_openable(standing, when), "partnership_id")) & ~Q(
        pk__in=_ids(_awaiting(standing, when), "partnership_id")
    )
    return BiddingPartnership.objects.filter(rule).select_related("lead", "opportunity")


def may_see_partnership(user: Any, partnership: BiddingPartnership, *, now: datetime.datetime | None = None) -> bool:
    """Whether this person sees the partnership whole (members, roles, shares, registered numbers,
    the constitution and joint bidding protocol, typed or uploaded): its members, and whoever may
    read a bid of it (``partnerships_open_to``), an evaluator who scores it included, once they
    have declared no conflict on every bid of it they evaluate."""
    return partnerships_open_to(user, now=now).filter(pk=partnership.pk).exists()


def partnerships_led_by(user: Any) -> QuerySet[BiddingPartnership]:
    org_id = provider_organisation_id(user)
    if org_id is None:
        return BiddingPartnership.objects.none()
    return BiddingPartnership.objects.filter(lead_id=org_id)


def awards_visible_to(user: Any) -> QuerySet[Award]:
    """An award is public once made: its opportunity is published and the bid's deadline passed."""
    return Award.objects.filter(opportunity__published_at__isnull=False).select_related(
        "opportunity", "bid__partnership__lead", "contract"
    )


def opportunity_documents_visible_to(
    user: Any, *, now: datetime.datetime | None = None
) -> QuerySet[OpportunityDocument]:
    """Everyone's once the opportunity is published; before, its managers' only."""
    return OpportunityDocument.objects.filter(opportunity__in=opportunities_visible_to(user, now=now).values("pk"))


def partnership_documents_visible_to(
    user: Any, *, now: datetime.datetime | None = None
) -> QuerySet[PartnershipDocument]:
    """Whoever may see the partnership (``may_see_partnership``): its current members, invited or
    confirmed; the opportunity's managers and the evaluators who score it once the partnership is
    open to them (after the deadline of a stage it submitted a bid to, and after any declaration
    they owe as an evaluator). Replaced versions with the current ones."""
    if not access.is_signed_in(user):
        return PartnershipDocument.objects.none()
    return PartnershipDocument.objects.filter(partnership__in=partnerships_open_to(user, now=now).values("pk"))


def bid_documents_visible_to(user: Any, *, now: datetime.datetime | None = None) -> QuerySet[BidDocument]:
    """Sealed like the bid: whoever may read the bid's content now, and nobody else."""
    return BidDocument.objects.filter(bid__in=bids_openable_by(user, now=now).values("pk"))


def has_evaluations(user: Any) -> bool:
    """Whether the navigation offers Evaluations and the home page lists bids to declare on and
    score: an evaluator, and anyone else named as an evaluator on a stage (a commissioner may name
    themselves); ``stages_evaluated_by`` decides which stages."""
    return access.has_role(user, Role.EVALUATOR) or stages_evaluated_by(user).exists()


def manages_opportunities(user: Any) -> bool:
    """Whether the home page lists the decisions this person's opportunities wait on (closed stages,
    moderation, outcomes, challenges): whoever manages a commissioner's opportunities
    (``opportunities_managed_by``), a superuser, who manages every one, not as their own work."""
    return not access.is_superuser(user) and may_create_opportunities(user)


def bids_for_organisation(user: Any) -> bool:
    """Whether the home page lists a provider's invitations, bids, outcomes and matching
    opportunities: a provider's person (``provider_organisation_id``)."""
    return provider_organisation_id(user) is not None


# --- Who is told (stepchange/commissioning/notices.py) ------------------------------------------


def people_told_for(partnership: BiddingPartnership) -> QuerySet[Any]:
    """Who hears the service's news of a partnership's bid (a change, an outcome, an answer):
    the bid teams of its current confirmed members, the only people who see its bids."""
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            bid_teams__partnership=partnership,
            bid_teams__left_at__isnull=True,
            bid_teams__confirmed_at__isnull=False,
        )
        .distinct()
        .order_by("pk")
    )


def bid_team_candidates(member: PartnershipMember) -> QuerySet[Any]:
    """Who may be named on a member's bid team, and who may confirm its membership: the open
    accounts of its organisation's providers' people."""
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(is_active=True, role=Role.PROVIDER, organisation_id=member.organisation_id)


def may_join_bid_team(person: Any, member: PartnershipMember) -> bool:
    return bid_team_candidates(member).filter(pk=person.pk).exists()


def people_invited_by(member: PartnershipMember) -> QuerySet[Any]:
    """Who hears that their organisation is invited into a partnership: its active providers'
    people, any of whom may confirm (``services.member_confirm``)."""
    return bid_team_candidates(member).order_by("pk")


def people_managing(opportunity: Opportunity) -> QuerySet[Any]:
    """Who hears of what needs the commissioner (a challenge to answer): the people
    ``opportunities_managed_by`` lets change it, bar superusers: the regional commissioners of its
    region and, for a probation area's, that area's contracts managers."""
    from django.contrib.auth import get_user_model

    commissioner = opportunity.commissioner
    region = Q(region_id=commissioner.region_id) | Q(
        region__isnull=True, organisation__commissioner__region_id=commissioner.region_id
    )
    rule = Q(role=Role.REGIONAL_COMMISSIONER) & region
    if commissioner.kind == CommissionerKind.PROBATION:
        rule |= Q(role=Role.PROBATION_MANAGER, organisation_id=commissioner.organisation_id)
    return get_user_model().objects.filter(rule, is_active=True, is_superuser=False).order_by("pk")
