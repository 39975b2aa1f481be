"""Evaluation and award: conflicts, scores, moderation, shortlisting, the award into a contract, challenges."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from stepchange.commissioning import access, notices, sealing
from stepchange.commissioning.awards import current_award, is_current
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
)
from stepchange.commissioning.services._common import (
    CHALLENGE_ANSWER_TIME,
    HUNDRED,
    PERSONS_OUTSIDE,
    _bidders,
    _managed,
    _notify,
    _now,
    add_months,
)
from stepchange.commissioning.services.bids import (
    bid_snapshot,
)
from stepchange.commissioning.services.survey import (
    survey_invite,
)
from stepchange.contracts import services as contract_services
from stepchange.contracts.models import Contract
from stepchange.core.audit import audit_record, snapshot
from stepchange.core.concurrency import already_done
from stepchange.core.money import round_half_up


def _lock(bid: Bid) -> None:
    """Lock the bid's row and read it afresh: an evaluator's two presses of one button (a
    declaration, a score, submitting the scores) take turns, the second seeing the first."""
    Bid.objects.select_for_update().filter(pk=bid.pk).exists()
    bid.refresh_from_db()


@transaction.atomic
def conflict_declare(
    *, actor: Any, bid: Bid, has_conflict: bool, details: str = "", now: datetime.datetime | None = None
) -> ConflictDeclaration:
    now = _now(now)
    if (
        not access.bids_visible_to(actor, now=now)
        .filter(pk=bid.pk, stage__in=access.stages_evaluated_by(actor))
        .exists()
    ):
        raise PermissionDenied(PERSONS_OUTSIDE)
    _lock(bid)
    if ConflictDeclaration.objects.filter(bid=bid, evaluator=actor).exists():
        raise ValidationError({"has_conflict": "You have already declared on this bid."})
    if has_conflict and not details.strip():
        raise ValidationError({"details": "Say what the conflict of interest is."})
    declaration = ConflictDeclaration.objects.create(
        bid=bid, evaluator=actor, has_conflict=has_conflict, details=details.strip(), declared_at=now
    )
    audit_record(
        actor=actor,
        action="conflict_declare",
        obj=bid,
        after={"evaluator": str(actor), "has_conflict": has_conflict, "details": details.strip()},
    )
    return declaration


@transaction.atomic
def score_save(
    *, actor: Any, bid: Bid, criterion: Criterion, score: int, justification: str, now: datetime.datetime | None = None
) -> Score:
    now = _now(now)
    if not access.bids_scorable_by(actor, now=now).filter(pk=bid.pk).exists() or criterion.stage_id != bid.stage_id:
        raise PermissionDenied(PERSONS_OUTSIDE)
    _lock(bid)
    if bid.outcome:
        raise ValidationError({"score": "The outcome of this bid has been decided; scores are final."})
    if score is None or not 0 <= score <= SCORE_MAX:
        raise ValidationError({"score": f"Enter a score from 0 to {SCORE_MAX}."})
    if not justification.strip():
        raise ValidationError({"justification": f"Justify the score for {criterion.name}."})
    existing = Score.objects.filter(bid=bid, criterion=criterion, evaluator=actor).first()
    if existing and existing.submitted_at:
        raise ValidationError({"score": "You have submitted your scores for this bid; they cannot change."})
    before = snapshot(existing) if existing else None
    saved, _ = Score.objects.update_or_create(
        bid=bid, criterion=criterion, evaluator=actor, defaults={"score": score, "justification": justification.strip()}
    )
    audit_record(actor=actor, action="score_save", obj=bid, before=before, after=snapshot(saved))
    return saved


@transaction.atomic
def scores_submit(*, actor: Any, bid: Bid, now: datetime.datetime | None = None) -> None:
    now = _now(now)
    if not access.bids_scorable_by(actor, now=now).filter(pk=bid.pk).exists():
        raise PermissionDenied(PERSONS_OUTSIDE)
    _lock(bid)
    mine = Score.objects.filter(bid=bid, evaluator=actor)
    submitted = mine.filter(submitted_at__isnull=False).first()
    if submitted is not None and submitted.submitted_at is not None:
        raise already_done(
            bid,
            by=actor,
            at=submitted.submitted_at,
            did="submitted these scores",
            then="they cannot change.",
            url=reverse("commissioning:bid", args=[bid.pk]),
        )
    missing = bid.stage.criteria.exclude(pk__in=mine.values("criterion_id"))
    if missing.exists():
        raise ValidationError({"score": [f"Score {c.name} before submitting." for c in missing]})
    mine.filter(submitted_at__isnull=True).update(submitted_at=now)
    audit_record(
        actor=actor, action="scores_submit", obj=bid, after={"evaluator": str(actor), "submitted_at": now.isoformat()}
    )


@transaction.atomic
def moderation_record(
    *,
    actor: Any,
    bid: Bid,
    criterion: Criterion,
    moderated_score: Decimal,
    note: str,
    now: datetime.datetime | None = None,
) -> Moderation:
    """The moderated score of a criterion; once recorded it is frozen, so there is no update."""
    now = _now(now)
    if (
        not access.bids_visible_to(actor, now=now)
        .filter(pk=bid.pk, stage__opportunity__in=access.opportunities_managed_by(actor))
        .exists()
    ):
        raise PermissionDenied(PERSONS_OUTSIDE)
    _managed(actor, bid.stage.opportunity)
    moderated = Moderation.objects.filter(bid=bid, criterion=criterion).first()
    if moderated is not None:
        raise already_done(
            moderated,
            by=moderated.recorded_by,
            at=moderated.recorded_at,
            did=f"moderated the {criterion.name} score of this bid",
            then="the moderated record is frozen: here it is.",
            url=reverse("commissioning:moderate", args=[bid.pk, criterion.pk]),
        )
    if Score.objects.filter(bid=bid, criterion=criterion, submitted_at__isnull=True).exists():
        raise ValidationError({"moderated_score": "Every evaluator must submit their scores before moderation."})
    if not 0 <= moderated_score <= SCORE_MAX:
        raise ValidationError({"moderated_score": f"Enter a score from 0 to {SCORE_MAX}."})
    if not note.strip():
        raise ValidationError({"note": "Record why the panel agreed this score."})
    moderation = Moderation.objects.create(
        bid=bid,
        criterion=criterion,
        moderated_score=moderated_score,
        note=note.strip(),
        recorded_by=actor,
        recorded_at=now,
    )
    audit_record(actor=actor, action="moderation_record", obj=bid, after=snapshot(moderation))
    return moderation


def _ready_for_outcome(stage: Stage, bids: list[Bid], *, unscored_reason: str = "") -> None:
    """Refuse an outcome while a bid is not ready for it. At an award, a named evaluator who has not
    scored stops it (``selectors.evaluators_yet_to_score``) unless the commissioner records why it
    goes ahead (``unscored_reason``): then scores saved and not submitted are left out too."""
    from stepchange.commissioning.selectors import stage_results

    problems = []
    waived = stage.is_last and bool(unscored_reason.strip())
    for result in stage_results(stage, bids):
        if stage.is_last and result.yet_to_score and not waived:
            names = ", ".join(str(e) for e in result.yet_to_score)
            problems.append(
                f"{result.bid.partnership.name}: not yet scored by {names}. Wait for their scores, or record "
                "why the award goes ahead without them."
            )
        if result.unsubmitted and not waived:
            problems.append(
                f"{result.bid.partnership.name}: {result.unsubmitted} evaluator score(s) not yet submitted."
            )
        if not result.scored:
            problems.append(f"{result.bid.partnership.name}: no evaluator has scored it.")
        for criterion in result.needs_moderation:
            problems.append(
                f"{result.bid.partnership.name}: the scores for {criterion} are too far apart and must be moderated."
            )
    if problems:
        raise ValidationError({"shortlist": problems})


def _tell_outcomes(stage: Stage, bids: list[Bid], *, now: datetime.datetime) -> None:
    """Every bidder is told at the same moment, with its own scores beside the leading bid's."""
    from stepchange.commissioning.selectors import feedback_text, stage_results

    results = stage_results(stage, bids)
    leader = results[0] if results else None
    for result in results:
        bid = result.bid
        _notify(
            bid.partnership,
            subject=f"{stage.opportunity.title}, stage {stage.number}: {bid.get_outcome_display().lower()}",
            body=feedback_text(result, leader),
            now=now,
            kind="stage_result",
        )


@transaction.atomic
def stage_shortlist(
    *,
    actor: Any,
    stage: Stage,
    shortlisted: Iterable[Bid],
    feedback: dict[int, str] | None = None,
    now: datetime.datetime | None = None,
) -> list[Bid]:
    """Take some bids of a stage (not the last) forward; the rest are told, with scores and feedback."""
    now = _now(now)
    _managed(actor, stage.opportunity)
    if stage.is_sealed(now):
        raise ValidationError({"shortlist": "The stage has not closed."})
    if stage.is_last:
        raise ValidationError({"shortlist": "This is the last stage: award the contract instead."})
    bids = list(access.bids_visible_to(actor, now=now).filter(stage=stage))
    decided = next((b for b in bids if b.outcome), None)
    if decided is not None:
        raise already_done(
            decided,
            actions=["bid_outcome"],
            did=f"decided the outcomes of stage {stage.number}",
            then="here they are.",
            url=reverse("commissioning:evaluation", args=[stage.opportunity.reference, stage.number]),
        )
    chosen = {b.pk for b in shortlisted}
    if not chosen or not chosen <= {b.pk for b in bids}:
        raise ValidationError({"shortlist": "Choose at least one submitted bid to take forward."})
    _ready_for_outcome(stage, bids)
    feedback = feedback or {}
    for bid in bids:
        before = bid_snapshot(bid)
        bid.outcome = Outcome.SHORTLISTED if bid.pk in chosen else Outcome.REJECTED
        bid.outcome_at = now
        bid.feedback = feedback.get(bid.pk, bid.feedback)
        bid.save(update_fields=["outcome", "outcome_at", "feedback"])
        audit_record(actor=actor, action="bid_outcome", obj=bid, before=before, after=bid_snapshot(bid))
    _tell_outcomes(stage, bids, now=now)
    return bids


def award_notes(
    partnership: BiddingPartnership,
    opportunity: Opportunity,
    lead: PartnershipMember | None,
    partners: list[PartnershipMember],
) -> str:
    """The contract's notes name each partner as it bid: numbers, role and share."""

    def named(member: PartnershipMember) -> str:
        numbers = f" ({member.registered_numbers})" if member.registered_numbers else ""
        return f"{member.organisation.name}{numbers}, {member.role}, {member.share}%"

    notes = f"Awarded to {partnership.name} through {opportunity.reference}."
    if lead is not None:
        notes += f" Prime: {named(lead)}."
    if partners:
        notes += " Sub-contractors: " + "; ".join(named(m) for m in partners) + "."
    return notes


def _may_read_to_award(actor: Any, bid: Bid, *, now: datetime.datetime) -> None:
    """The award reads the bid's price, so whoever awards must be able to read the bid: a manager
    also named as an evaluator of the stage declares on it first, and one who declared a conflict
    leaves the award to another manager. Told so, not shown an error page."""
    if access.bids_openable_by(actor, now=now).filter(pk=bid.pk).exists():
        return
    name = bid.partnership.name
    if ConflictDeclaration.objects.filter(bid=bid, evaluator=actor, has_conflict=True).exists():
        raise ValidationError(
            {
                "bid": f"You declared a conflict of interest on {name}'s bid, so you may not read or award it: "
                "another manager of this opportunity awards it."
            }
        )
    raise ValidationError(
        {
            "bid": f"You are named as an evaluator of stage {bid.stage.number}: declare whether you have a conflict "
            f"of interest on {name}'s bid (read the bid from this page) before awarding it."
        }
    )


@transaction.atomic
def bid_award(
    *,
    actor: Any,
    bid: Bid,
    feedback: dict[int, str] | None = None,
    unscored_reason: str = "",
    now: datetime.datetime | None = None,
) -> Award:
    """Award the opportunity to a last-stage bid: the contract is created at once (its start after
    the standstill) with a sub-contract per confirmed member at its share of the price.

    Every evaluator named on the stage scores every bid first (or declares a conflict); to award
    without a score the commissioner records why (``unscored_reason``), kept with the award."""
    now = _now(now)
    opportunity = bid.stage.opportunity
    _managed(actor, opportunity)
    stage = bid.stage
    if not stage.is_last:
        raise ValidationError({"bid": "Awards are made at the last stage."})
    if stage.is_sealed(now):
        raise ValidationError({"bid": "The stage has not closed."})
    current = current_award(opportunity)
    if current is not None:
        raise already_done(
            current, by=current.awarded_by, at=current.awarded_at, did="awarded this opportunity", then="here it is."
        )
    if opportunity.is_ended:
        raise ValidationError({"bid": "This opportunity has ended."})
    bids = list(access.bids_visible_to(actor, now=now).filter(stage=stage))
    if bid.pk not in {b.pk for b in bids} or bid.reconfirm_needed_since:
        raise ValidationError({"bid": "Only a submitted, confirmed bid can be awarded."})
    _may_read_to_award(actor, bid, now=now)
    _ready_for_outcome(stage, bids, unscored_reason=unscored_reason)
    from stepchange.commissioning.selectors import evaluators_yet_to_score

    waiting = any(evaluators_yet_to_score(stage, bids).values())
    partnership = bid.partnership
    standstill_ends = timezone.localdate(now) + datetime.timedelta(days=opportunity.standstill_days)
    start = max(opportunity.contract_start, standstill_ends + datetime.timedelta(days=1))
    end = add_months(start, opportunity.duration_months) - datetime.timedelta(days=1)
    price = sealing.open_bid(bid, reader=actor, now=now).price or Decimal(0)
    number = opportunity.awards.count() + 1
    members = list(partnership.confirmed_members().order_by("invited_at", "id"))
    lead = next((m for m in members if m.organisation_id == partnership.lead_id), None)
    partners = [m for m in members if m.organisation_id != partnership.lead_id]
    contract = contract_services.contract_create(
        actor=actor,
        reference=f"{opportunity.reference.upper()}-AWARD-{number}"[:40],
        title=opportunity.title,
        commissioner=opportunity.commissioner,
        prime=partnership.lead,
        annual_value=price,
        start=start,
        end=end,
        funding_source=opportunity.funding_source,
        funder=opportunity.funder,
        pathways=list(opportunity.pathways.all()),
        notes=award_notes(partnership, opportunity, lead, partners),
    )
    for member in partners:
        value = round_half_up(price * member.share / HUNDRED, 2)
        contract_services.sub_contract_add(actor=actor, contract=contract, partner=member.organisation, value=value)
    award = Award.objects.create(
        opportunity=opportunity,
        bid=bid,
        contract=contract,
        value=price,
        awarded_at=now,
        awarded_by=actor,
        standstill_ends=standstill_ends,
        # Kept only when it was needed: an evaluator named on the stage had not scored.
        unscored_reason=unscored_reason.strip() if waiting else "",
    )
    feedback = feedback or {}
    for other in bids:
        before = bid_snapshot(other)
        other.outcome = Outcome.AWARDED if other.pk == bid.pk else Outcome.REJECTED
        other.outcome_at = now
        other.feedback = feedback.get(other.pk, other.feedback)
        other.save(update_fields=["outcome", "outcome_at", "feedback"])
        audit_record(actor=actor, action="bid_outcome", obj=other, before=before, after=bid_snapshot(other))
    _tell_outcomes(stage, bids, now=now)
    survey_invite(opportunity=opportunity, now=now)
    audit_record(actor=actor, action="bid_award", obj=award, after=snapshot(award))
    return award


@transaction.atomic
def award_withdraw(*, actor: Any, award: Award, reason: str, now: datetime.datetime | None = None) -> Award:
    """A wrong award is withdrawn with its reason; the contract it created is removed with it."""
    now = _now(now)
    _managed(actor, award.opportunity)
    award.refresh_from_db()
    if not is_current(award):
        raise already_done(award, actions=["award_withdraw"], did="withdrew this award", then="here it is.")
    if not reason.strip():
        raise ValidationError({"reason": "Enter the reason for withdrawing the award."})
    before = snapshot(award)
    contract = award.contract
    award.withdrawn_at, award.withdrawn_reason = now, reason.strip()
    award.save(update_fields=["withdrawn_at", "withdrawn_reason"])
    if contract is not None:
        audit_record(
            actor=actor,
            action="contract_remove",
            obj=contract,
            before=contract_services.contract_snapshot(contract),
            after=None,
        )
        Contract.objects.filter(pk=contract.pk).delete()
    Bid.objects.filter(pk=award.bid_id).update(outcome="", outcome_at=None)
    for partnership in _bidders(award.opportunity):
        _notify(
            partnership,
            subject=f"The award of {award.opportunity.title} has been withdrawn",
            body=reason.strip(),
            now=now,
            kind="stage_result",
        )
    award.refresh_from_db()
    audit_record(actor=actor, action="award_withdraw", obj=award, before=before, after=snapshot(award))
    return award


@transaction.atomic
def challenge_raise(*, actor: Any, award: Award, grounds: str, now: datetime.datetime | None = None) -> Challenge:
    now = _now(now)
    partnership = (
        access.partnerships_visible_to(actor, now=now)
        .filter(
            opportunity=award.opportunity,
            pk__in=access.bids_of_own_partnerships(actor).filter(submitted_at__isnull=False).values("partnership_id"),
        )
        .first()
    )
    if partnership is None:
        raise PermissionDenied("Only a bidder for this opportunity can challenge its award.")
    if not is_current(award) or not award.in_standstill(timezone.localdate(now)):
        raise ValidationError({"grounds": "Challenges are raised during the standstill period, which has ended."})
    if not grounds.strip():
        raise ValidationError({"grounds": "Say what you challenge and why."})
    challenge = Challenge.objects.create(
        award=award,
        partnership=partnership,
        raised_by=actor,
        raised_at=now,
        grounds=grounds.strip(),
        answer_due=now + CHALLENGE_ANSWER_TIME,
    )
    audit_record(actor=actor, action="challenge_raise", obj=challenge, after=snapshot(challenge))
    notices.challenge_raised(challenge)
    return challenge


@transaction.atomic
def challenge_answer(
    *, actor: Any, challenge: Challenge, answer: str, now: datetime.datetime | None = None
) -> Challenge:
    now = _now(now)
    _managed(actor, challenge.award.opportunity)
    challenge.refresh_from_db()
    if challenge.answered_at:
        raise already_done(
            challenge,
            actions=["challenge_answer"],
            did="answered this challenge",
            then="here is the answer.",
            url=reverse("commissioning:challenge-answer", args=[challenge.pk]),
        )
    if not answer.strip():
        raise ValidationError({"answer": "Enter the answer to the challenge."})
    before = snapshot(challenge)
    challenge.answer, challenge.answered_at = answer.strip(), now
    challenge.save(update_fields=["answer", "answered_at"])
    _notify(
        challenge.partnership,
        subject=f"Your challenge to the award of {challenge.award.opportunity.title} has been answered",
        body=answer.strip(),
        now=now,
        kind="challenge_answered",
    )
    audit_record(actor=actor, action="challenge_answer", obj=challenge, before=before, after=snapshot(challenge))
    return challenge
