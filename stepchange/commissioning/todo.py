"""What commissioning puts on a person's home page (collected by ``core.todo``).

Every list is read through this app's own ``access`` functions, so it holds only what the person
may see: a provider's people see their organisation's invitations, the bids of the partnerships
they are on the bid team of and the outcomes of those bids; whoever manages an opportunity sees
its closed stages, moderation, outcomes to decide and challenges (never a sealed bid: only bids
``bids_visible_to`` gives them, after the deadline); an evaluator the bids ``bids_awaiting_declaration``
and ``bids_scorable_by`` give them.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from typing import Any

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from stepchange.commissioning import access, sealed
from stepchange.commissioning.awards import current_award_q
from stepchange.commissioning.models import (
    Award,
    Bid,
    Challenge,
    Opportunity,
    OpportunityStatus,
    Outcome,
    Score,
    Stage,
    SurveyInvitation,
)
from stepchange.commissioning.selectors import BidResult, stage_results
from stepchange.core.todo import Item, ToDo, days_left
from stepchange.organisations.models import Organisation

# An outcome or a feedback summary stays on the bidders' home page this many days.
RECENT_DAYS = 30


def _not_ended_q(path: str = "") -> Q:
    return Q(**{f"{path}cancelled_at__isnull": True, f"{path}closed_without_award_at__isnull": True})


def _stage_text(stage: Stage) -> str:
    return f"{stage.opportunity.title}, stage {stage.number} ({stage.name})"


# The provider's lists ---------------------------------------------------------------------------


def invitations(user: Any, now: datetime.datetime) -> list[Item]:
    """Partnerships the person's organisation is invited to and has not yet confirmed or left, of
    opportunities not cancelled or closed; confirmed on the partnership's page."""
    invited = (
        access.memberships_of(user)
        .filter(confirmed_at__isnull=True)
        .filter(_not_ended_q("partnership__opportunity__"))
        .select_related("partnership__lead", "partnership__opportunity")
        .order_by("invited_at", "id")
    )
    return [
        Item(
            text=f"{member.partnership.name}, led by {member.partnership.lead.name}, "
            f"for {member.partnership.opportunity.title}",
            url=member.partnership.get_absolute_url(),
            deadline=member.partnership.opportunity.closes_at(),
            deadline_label="Bids close on",
            note=f"Invited as {member.role}, with a {member.share.normalize():f}% share",
        )
        for member in invited
    ]


def bids_in_progress(user: Any, now: datetime.datetime) -> list[Item]:
    """For each partnership the person is on the bid team of (``bid_team_memberships_of``), of an
    opportunity not ended and not awarded, and not turned down at an earlier stage: the stage open
    for bids now (the first still sealed; after the first stage, once the partnership was taken
    forward from the stage before) and any later one it has started a bid for, with the bid's
    state (not started, not submitted, submitted, to re-confirm) and its deadline, soonest first. A
    withdrawn bid is not listed."""
    memberships = (
        access.bid_team_memberships_of(user)
        .filter(_not_ended_q("partnership__opportunity__"))
        .exclude(partnership__opportunity__awards__in=_current_awards())
        .exclude(partnership__bids__outcome=Outcome.REJECTED)
        .select_related("partnership__opportunity")
    )
    partnership_ids = [m.partnership_id for m in memberships]
    bids = {
        (bid.partnership_id, bid.stage_id): bid
        for bid in access.bids_of_own_partnerships(user)
        .filter(partnership_id__in=partnership_ids)
        .select_related("stage")
    }
    taken_forward = {
        (bid.partnership_id, bid.stage.number) for bid in bids.values() if bid.outcome == Outcome.SHORTLISTED
    }
    found = []
    for member in memberships:
        partnership = member.partnership
        open_stages = partnership.opportunity.stages.filter(sealed.sealed_q(now)).order_by("number")
        for position, stage in enumerate(open_stages):
            bid = bids.get((partnership.pk, stage.pk))
            if bid is not None and bid.withdrawn_at is not None:
                continue
            # Not started: only the stage open now, and after the first only once taken forward
            # from the stage before.
            if bid is None and (
                position > 0 or (stage.number > 1 and (partnership.pk, stage.number - 1) not in taken_forward)
            ):
                continue
            stage.opportunity = partnership.opportunity
            item = Item(
                text=f"{partnership.name}: {_stage_text(stage)}",
                url=reverse("commissioning:bid-edit", args=[partnership.pk, stage.number]),
                deadline=stage.deadline,
                deadline_label="Closes on",
                note="Not started" if bid is None else bid.status_label,
            )
            found.append(((stage.deadline, item.text), item))
    return [item for _, item in sorted(found, key=lambda pair: pair[0])]


def _current_awards() -> QuerySet[Award]:
    return Award.objects.filter(current_award_q())


def feedback(user: Any, now: datetime.datetime) -> list[Item]:
    """What bidders have been told in the last ``RECENT_DAYS`` days, newest first: each outcome of a
    bid of a partnership the person is on the bid team of (with the feedback, on the partnership's
    page), and each feedback summary published of an opportunity their organisation bid for; and
    every feedback survey their partnerships are asked to answer and have not."""
    since = now - datetime.timedelta(days=RECENT_DAYS)
    found: list[tuple[Any, Item]] = []
    decided = (
        access.bids_of_own_partnerships(user)
        .exclude(outcome="")
        .filter(outcome_at__gte=since, outcome_at__lte=now)
        .select_related("partnership", "stage__opportunity")
    )
    for bid in decided:
        found.append(
            (
                bid.outcome_at,
                Item(
                    text=f"{bid.partnership.name}: {_stage_text(bid.stage)}: {bid.get_outcome_display().lower()}",
                    url=bid.partnership.get_absolute_url(),
                    deadline=bid.outcome_at,
                    deadline_label="Told on",
                ),
            )
        )
    summaries = Opportunity.objects.filter(
        pk__in=access.confirmed_memberships_of(user).values("partnership__opportunity_id"),
        feedback_published_at__gte=since,
        feedback_published_at__lte=now,
    )
    for opportunity in summaries:
        found.append(
            (
                opportunity.feedback_published_at,
                Item(
                    text=f"{opportunity.title}: what bidders said of the process",
                    url=opportunity.get_absolute_url(),
                    deadline=opportunity.feedback_published_at,
                    deadline_label="Published on",
                ),
            )
        )
    surveys = SurveyInvitation.objects.filter(
        partnership__in=access.confirmed_memberships_of(user).values("partnership_id"), answered=False
    ).select_related("opportunity")
    for invitation in surveys:
        found.append(
            (
                invitation.invited_at,
                Item(
                    text=f"{invitation.opportunity.title}: tell us how the process went",
                    url=reverse("commissioning:survey", args=[invitation.pk]),
                    deadline=invitation.invited_at,
                    deadline_label="Asked on",
                ),
            )
        )
    return [item for _, item in sorted(found, key=lambda pair: pair[0], reverse=True)]


def matches_organisation(opportunity: Opportunity, organisation: Organisation) -> bool:
    """An opportunity suits an organisation when it names a pathway the organisation serves (or
    names none) and an area the organisation serves (or names none); an organisation that serves
    no pathway or no area on its profile is matched by no opportunity that names one."""
    pathways = {p.pk for p in opportunity.pathways.all()}
    areas = {a.pk for a in opportunity.areas.all()}
    served_pathways = {p.pk for p in organisation.pathways_served.all()}
    served_areas = {a.pk for a in organisation.areas_served.all()}
    return (not pathways or bool(pathways & served_pathways)) and (not areas or bool(areas & served_areas))


def matching_opportunities(user: Any, now: datetime.datetime) -> list[Item]:
    """Opportunities open for bids (published, first stage not closed, not ended or awarded) that
    match the person's organisation (``matches_organisation``) and that it is not yet in a
    partnership for, closing soonest first."""
    organisation_id = access.provider_organisation_id(user)
    organisation = Organisation.objects.filter(pk=organisation_id).first() if organisation_id else None
    if organisation is None:
        return []
    candidates = (
        access.opportunities_visible_to(user, now=now)
        .filter(_not_ended_q(), published_at__lte=now)
        .exclude(pk__in=access.memberships_of(user).values("partnership__opportunity_id"))
        .prefetch_related("pathways", "areas", "stages", "awards")
    )
    found = []
    for opportunity in candidates:
        if opportunity.status(now) != OpportunityStatus.OPEN or not matches_organisation(opportunity, organisation):
            continue
        closes = min(s.deadline for s in opportunity.stages.all() if sealed.sealed(s, now))
        item = Item(
            text=opportunity.title,
            url=opportunity.get_absolute_url(),
            deadline=closes,
            deadline_label="Bids close on",
            note=f"For {opportunity.commissioner.organisation.name}",
        )
        found.append(((closes, item.text), item))
    return [item for _, item in sorted(found, key=lambda pair: pair[0])]


# The lists of whoever manages opportunities ------------------------------------------------------


# The three lists of closed stages read the same results: read once per person and moment (one
# home page, whose request has its own user object), not three times.
_READ = "_todo_closed_stages"


def _undecided_results(user: Any, now: datetime.datetime) -> list[tuple[Stage, list[BidResult]]]:
    read = getattr(user, _READ, None)
    if read is None or read[0] != now:
        read = (now, _read_undecided_results(user, now))
        setattr(user, _READ, read)
    results: list[tuple[Stage, list[BidResult]]] = read[1]
    return results


def _read_undecided_results(user: Any, now: datetime.datetime) -> list[tuple[Stage, list[BidResult]]]:
    """Each closed stage of the person's opportunities (not ended, not awarded) with submitted bids
    whose outcome is not yet decided, with those bids' results: only the bids ``bids_visible_to``
    gives them, so never a sealed one."""
    bids = (
        access.bids_visible_to(user, now=now)
        .filter(sealed.unsealed_submitted_q(now), outcome="")
        .filter(stage__opportunity__in=access.opportunities_managed_by(user))
        .filter(_not_ended_q("stage__opportunity__"))
        .exclude(stage__opportunity__awards__in=_current_awards())
        .select_related("partnership", "stage__opportunity")
    )
    by_stage: dict[int, list[Bid]] = defaultdict(list)
    stages: dict[int, Stage] = {}
    for bid in bids:
        by_stage[bid.stage_id].append(bid)
        stages[bid.stage_id] = bid.stage
    ordered = sorted(stages.values(), key=lambda s: (s.deadline, s.opportunity.title, s.number))
    return [(stage, stage_results(stage, by_stage[stage.pk])) for stage in ordered]


def _being_scored(result: BidResult) -> bool:
    return bool(result.unsubmitted) or not result.scored


def _evaluation_url(stage: Stage) -> str:
    return reverse("commissioning:evaluation", args=[stage.opportunity.reference, stage.number])


def stages_to_evaluate(user: Any, now: datetime.datetime) -> list[Item]:
    """Closed stages whose bids are still being scored: some bid not yet scored, or with an
    evaluator's scores not yet submitted. The count is of those bids."""
    found = []
    for stage, results in _undecided_results(user, now):
        waiting = [r for r in results if _being_scored(r)]
        if waiting:
            found.append(
                Item(
                    text=_stage_text(stage),
                    url=_evaluation_url(stage),
                    deadline=stage.deadline,
                    deadline_label="Closed on",
                    count=len(waiting),
                    count_of="bid being scored" if len(waiting) == 1 else "bids being scored",
                )
            )
    return found


def scores_to_moderate(user: Any, now: datetime.datetime) -> list[Item]:
    """Each criterion of a bid whose submitted scores are further apart than the opportunity allows
    and that has no moderated score yet (``needs_moderation``), once every evaluator has submitted."""
    found = []
    for stage, results in _undecided_results(user, now):
        for result in results:
            if result.unsubmitted:
                continue
            for criterion in result.criteria:
                if not criterion.needs_moderation:
                    continue
                found.append(
                    Item(
                        text=f"{result.bid.partnership.name}: {criterion.criterion.name}, {_stage_text(stage)}",
                        url=reverse("commissioning:moderate", args=[result.bid.pk, criterion.criterion.pk]),
                        note=f"Scores {criterion.spread} apart; moderate when more than {criterion.spread_limit}",
                    )
                )
    return found


def outcomes_to_decide(user: Any, now: datetime.datetime) -> list[Item]:
    """Closed stages whose every undecided bid is scored, submitted and moderated: the award to make
    at the last stage, who goes forward at any other."""
    found = []
    for stage, results in _undecided_results(user, now):
        if any(_being_scored(r) or r.needs_moderation for r in results):
            continue
        what = "Award" if stage.is_last else "Choose who goes forward from"
        found.append(
            Item(
                text=f"{what} {_stage_text(stage)}",
                url=_evaluation_url(stage),
                deadline=stage.deadline,
                deadline_label="Closed on",
                count=len(results),
                count_of="bid" if len(results) == 1 else "bids",
            )
        )
    return found


def challenges_to_answer(user: Any, now: datetime.datetime) -> list[Item]:
    """Challenges to the standing award of the person's opportunities not yet answered, the answer
    due soonest first, with the days left to answer and when the standstill ends; one past its
    answer deadline is marked late (``challenges_of_standing_award``'s overdue)."""
    today = timezone.localdate(now)
    open_challenges = (
        Challenge.objects.filter(current_award_q("award__"), answered_at__isnull=True)
        .filter(award__opportunity__in=access.opportunities_managed_by(user))
        .select_related("partnership", "award__opportunity")
        .order_by("answer_due", "id")
    )
    return [
        Item(
            text=f"Challenge by {challenge.partnership.name} to the award of {challenge.award.opportunity.title}",
            url=reverse("commissioning:challenge-answer", args=[challenge.pk]),
            deadline=challenge.answer_due,
            deadline_label="Answer by",
            late=challenge.answer_due < now,
            days_left=max(days_left(timezone.localdate(challenge.answer_due), today), 0),
            note=f"Standstill ends on {challenge.award.standstill_ends:%-d %B %Y}",
        )
        for challenge in open_challenges
    ]


# The evaluator's lists ----------------------------------------------------------------------------


def _bid_item(bid: Bid) -> Item:
    return Item(
        text=f"{bid.partnership.name}: {_stage_text(bid.stage)}",
        url=reverse("commissioning:bid", args=[bid.pk]),
        deadline=bid.stage.deadline,
        deadline_label="Closed on",
    )


def bids_to_declare_on(user: Any, now: datetime.datetime) -> list[Item]:
    """Bids of the stages the person evaluates, after the deadline, on which they have not declared
    (``bids_awaiting_declaration``), whose outcome is not yet decided, of opportunities not ended:
    that the bid exists and whose it is, nothing more."""
    bids = (
        access.bids_awaiting_declaration(user, now=now)
        .filter(outcome="")
        .filter(_not_ended_q("stage__opportunity__"))
        .order_by("stage__deadline", "partnership__name")
    )
    return [_bid_item(bid) for bid in bids]


def bids_to_score(user: Any, now: datetime.datetime) -> list[Item]:
    """Bids the person may score (``bids_scorable_by``) whose scores they have not yet submitted,
    whose outcome is not yet decided, of opportunities not ended."""
    submitted = Score.objects.filter(evaluator=user, submitted_at__isnull=False).values("bid_id")
    bids = (
        access.bids_scorable_by(user, now=now)
        .filter(outcome="")
        .filter(_not_ended_q("stage__opportunity__"))
        .exclude(pk__in=submitted)
        .order_by("stage__deadline", "partnership__name")
    )
    return [_bid_item(bid) for bid in bids]


def stages_to_come(user: Any, now: datetime.datetime) -> list[Item]:
    """Stages the person is named to evaluate whose deadline has not yet come, of published
    opportunities not ended: when their bids open to them. Nothing of the bids is said."""
    stages = (
        access.stages_evaluated_by(user)
        .filter(sealed.sealed_q(now), opportunity__published_at__lte=now)
        .filter(_not_ended_q("opportunity__"))
        .select_related("opportunity")
        .order_by("deadline", "opportunity__title")
    )
    return [
        Item(
            text=_stage_text(stage),
            url=reverse("commissioning:evaluations"),
            deadline=stage.deadline,
            deadline_label="Bids open to you on",
        )
        for stage in stages
    ]


TODOS = [
    ToDo(
        40,
        "invitations",
        "Invitations to join a partnership",
        access.bids_for_organisation,
        invitations,
        "No invitation is waiting.",
    ),
    ToDo(
        41,
        "bids",
        "Bids in progress",
        access.bids_for_organisation,
        bids_in_progress,
        "No bid of yours is open. Bids open to you once you are on a partnership's bid team.",
    ),
    ToDo(
        42,
        "feedback",
        "Outcomes and feedback",
        access.bids_for_organisation,
        feedback,
        f"Nothing new in the last {RECENT_DAYS} days.",
    ),
    ToDo(
        43,
        "matching",
        "Open opportunities for your organisation",
        access.bids_for_organisation,
        matching_opportunities,
        "No open opportunity matches the pathways and areas on your organisation's profile.",
    ),
    ToDo(
        50,
        "stages",
        "Closed stages: bids being scored",
        access.manages_opportunities,
        stages_to_evaluate,
        "No closed stage is waiting for scores.",
    ),
    ToDo(
        51,
        "moderation",
        "Scores to moderate",
        access.manages_opportunities,
        scores_to_moderate,
        "No score needs moderating.",
    ),
    ToDo(
        52,
        "outcomes",
        "Awards and shortlists to decide",
        access.manages_opportunities,
        outcomes_to_decide,
        "No stage is ready for a decision.",
    ),
    ToDo(
        53,
        "challenges",
        "Challenges to answer",
        access.manages_opportunities,
        challenges_to_answer,
        "No challenge is open.",
    ),
    ToDo(
        60,
        "declare",
        "Bids to declare on",
        access.has_evaluations,
        bids_to_declare_on,
        "No bid is waiting for your declaration.",
    ),
    ToDo(61, "score", "Bids to score", access.has_evaluations, bids_to_score, "No bid is waiting for your scores."),
    ToDo(
        62,
        "coming",
        "Stages you will evaluate",
        access.has_evaluations,
        stages_to_come,
        "You are not named on a stage still open for bids.",
    ),
]
