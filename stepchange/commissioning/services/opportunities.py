"""Opportunities: creating, changing, publishing and ending them, and their clarification questions."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from stepchange.bulletins import services as bulletins
from stepchange.commissioning import access, sealed, tender_period
from stepchange.commissioning.awards import has_current_award
from stepchange.commissioning.models import (
    Bid,
    BiddingPartnership,
    ClarificationQuestion,
    Criterion,
    EligibilityRule,
    MemberFlag,
    Opportunity,
    Question,
    RuleKind,
    Stage,
)
from stepchange.commissioning.services._common import (
    MINIMUM_NOTICE,
    _bidders,
    _managed,
    _notify,
    _now,
    opportunity_snapshot,
)
from stepchange.commissioning.services.survey import (
    survey_invite,
)
from stepchange.contracts.access import commissioners_managed_by
from stepchange.core.audit import audit_record, snapshot
from stepchange.core.concurrency import (
    StaleEdit,
    already_done,
    first_wins,
    save_if_unchanged,
    taken,
)
from stepchange.core.models import Pathway
from stepchange.organisations.models import Commissioner

OPPORTUNITY_FIELDS = (
    "title",
    "description",
    "kind",
    "estimated_value",
    "duration_months",
    "contract_start",
    "funding_source",
    "funder",
    "clarification_deadline",
    "answers_published_by",
    "moderation_spread",
    "standstill_days",
)


def _check_opportunity(fields: dict[str, Any]) -> None:
    errors: dict[str, str] = {}
    if fields.get("estimated_value") is not None and fields["estimated_value"] <= 0:
        errors["estimated_value"] = "The estimated value must be more than £0."
    deadline, answers = fields.get("clarification_deadline"), fields.get("answers_published_by")
    if deadline and answers and answers < deadline:
        errors["answers_published_by"] = "Answers cannot be published before the clarification deadline."
    if fields.get("funding_source") == "co_commissioned" and not (fields.get("funder") or "").strip():
        errors["funder"] = "Enter the funder of co-commissioned money."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def opportunity_create(
    *,
    actor: Any,
    commissioner: Commissioner,
    reference: str,
    pathways: Iterable[Pathway] = (),
    areas: Iterable[Commissioner] = (),
    **fields: Any,
) -> Opportunity:
    unknown = set(fields) - set(OPPORTUNITY_FIELDS)
    if unknown:
        raise TypeError(f"Unknown opportunity fields: {sorted(unknown)}")
    if not commissioners_managed_by(actor).filter(pk=commissioner.pk).exists():
        raise ValidationError({"commissioner": f"You cannot run opportunities for {commissioner.name}."})
    _check_opportunity(fields)
    reference = reference.strip().lower()
    if Opportunity.objects.filter(reference=reference).exists():
        raise ValidationError({"reference": f"The reference {reference} is already in use. Enter another."})
    with first_wins(
        taken(
            Opportunity,
            lookup={"reference": reference},
            refusal=ValidationError({"reference": f"The reference {reference} is already in use. Enter another."}),
        )
    ):
        opportunity = Opportunity.objects.create(
            commissioner=commissioner, reference=reference, created_by=actor, **fields
        )
    opportunity.pathways.set(list(pathways))
    opportunity.areas.set(list(areas))
    audit_record(actor=actor, action="opportunity_create", obj=opportunity, after=opportunity_snapshot(opportunity))
    return opportunity


@transaction.atomic
def opportunity_update(
    *,
    actor: Any,
    opportunity: Opportunity,
    expected_version: int,
    pathways: Iterable[Pathway] | None = None,
    areas: Iterable[Commissioner] | None = None,
    commissioner: Commissioner | None = None,
    reference: str | None = None,
    now: datetime.datetime | None = None,
    **fields: Any,
) -> Opportunity:
    """Change an opportunity. A draft may change anything, its commissioner and reference too (to
    another commissioner the actor manages); once published those two are fixed: bidders and the
    open-data releases know it by them. Once bids exist, every bidder is told, each submitted bid
    must be re-confirmed, and a deadline less than seven days away moves out to seven days from now."""
    now = _now(now)
    _managed(actor, opportunity)
    current = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
    if current.version != expected_version:
        raise StaleEdit()
    if current.is_ended:
        raise ValidationError({"title": "This opportunity has ended and cannot be changed."})
    unknown = set(fields) - set(OPPORTUNITY_FIELDS)
    if unknown:
        raise TypeError(f"Unknown opportunity fields: {sorted(unknown)}")
    merged = {name: getattr(current, name) for name in OPPORTUNITY_FIELDS} | fields
    _check_opportunity(merged)
    fields |= _draft_identity(actor, current, commissioner=commissioner, reference=reference)
    before = opportunity_snapshot(current)
    save_if_unchanged(current, expected_version=expected_version, fields=fields)
    if pathways is not None:
        current.pathways.set(list(pathways))
    if areas is not None:
        current.areas.set(list(areas))
    if current.published_at is not None:
        _after_change(current, now=now)
    audit_record(
        actor=actor, action="opportunity_update", obj=current, before=before, after=opportunity_snapshot(current)
    )
    return current


def _draft_identity(
    actor: Any, opportunity: Opportunity, *, commissioner: Commissioner | None, reference: str | None
) -> dict[str, Any]:
    """The commissioner and reference to change, if any: a draft's only."""
    changes: dict[str, Any] = {}
    if commissioner is not None and commissioner.pk != opportunity.commissioner_id:
        changes["commissioner"] = commissioner
    if reference is not None and reference.strip().lower() != opportunity.reference:
        changes["reference"] = reference.strip().lower()
    if not changes:
        return changes
    if opportunity.published_at is not None:
        field = next(iter(changes))
        raise ValidationError({field: f"The {field} cannot change once the opportunity is published."})
    if "commissioner" in changes and not commissioners_managed_by(actor).filter(pk=changes["commissioner"].pk).exists():
        raise ValidationError({"commissioner": f"You cannot run opportunities for {changes['commissioner'].name}."})
    if "reference" in changes and Opportunity.objects.filter(reference=changes["reference"]).exists():
        raise ValidationError({"reference": f"The reference {changes['reference']} is already in use. Enter another."})
    return changes


def _after_change(opportunity: Opportunity, *, now: datetime.datetime) -> list[Stage]:
    """What follows any change to a published opportunity; returns the stages whose deadline moved.

    Every open stage closing less than seven days from the change moves out to seven days from it,
    whether or not anyone is bidding: were the rule kept only when bids exist, a commissioner
    would learn from a moved deadline that a sealed bid is there. Every partnership formed for it
    is told, and each submitted bid of an open stage must be re-confirmed.
    """
    open_stages = list(opportunity.stages.filter(sealed.sealed_q(now)).order_by("number"))
    moved = []
    previous: tuple[datetime.datetime, datetime.datetime] | None = None  # (was, is) of the stage before
    for stage in open_stages:
        was = stage.deadline
        wanted = max(was, now + MINIMUM_NOTICE)
        if previous is not None and wanted <= previous[1]:
            # Keep the stages in order, and the time between them, when an earlier one moved.
            wanted = previous[1] + max(was - previous[0], datetime.timedelta(days=1))
        if wanted != was:
            stage.deadline = wanted
            stage.save(update_fields=["deadline"])
            moved.append(stage)
        previous = (was, wanted)
    bids = Bid.objects.filter(stage__in=open_stages, withdrawn_at__isnull=True)
    bids.filter(submitted_at__isnull=False).update(reconfirm_needed_since=now)
    deadline_note = "".join(
        f" The deadline for stage {stage.number} has moved to {timezone.localtime(stage.deadline):%-d %B %Y %H:%M}."
        for stage in moved
    )
    for partnership in BiddingPartnership.objects.filter(opportunity=opportunity):
        _notify(
            partnership,
            subject=f"{opportunity.title} has changed",
            body="The commissioner changed this opportunity. Read it again, then re-confirm your bid: "
            "a bid that is not re-confirmed by the deadline is not evaluated." + deadline_note,
            now=now,
            kind="tender_changed",
        )
    return moved


@transaction.atomic
def stage_add(
    *,
    actor: Any,
    opportunity: Opportunity,
    number: int,
    name: str,
    deadline: datetime.datetime,
    short_period_reason: str = "",
) -> Stage:
    """Add a stage to a draft. Whether it is open long enough is known only once the opportunity is
    published (a first stage opens then), so the minimum tender period is checked at publication."""
    _managed(actor, opportunity)
    if opportunity.published_at is not None:
        raise ValidationError({"name": "Stages cannot be added once the opportunity is published."})
    if opportunity.stages.filter(number=number).exists():
        raise ValidationError({"number": f"There is already a stage {number}."})
    stage = Stage.objects.create(
        opportunity=opportunity,
        number=number,
        name=name.strip(),
        deadline=deadline,
        short_period_reason=short_period_reason.strip(),
    )
    audit_record(
        actor=actor,
        action="stage_add",
        obj=opportunity,
        after={"stage": str(stage), "deadline": str(deadline), "short_period_reason": stage.short_period_reason},
    )
    return stage


def _deadline_order_problem(stage: Stage, deadline: datetime.datetime) -> str | None:
    """A stage closes after the one before it and before the one after; stage 1 after the
    clarification deadline."""
    opportunity = stage.opportunity
    before = opportunity.stages.filter(number__lt=stage.number).order_by("-number").first()
    after = opportunity.stages.filter(number__gt=stage.number).order_by("number").first()

    def shown(when: datetime.datetime) -> str:
        return f"{timezone.localtime(when):%-d %B %Y %H:%M}"

    if before is not None and deadline <= before.deadline:
        return f"Stage {stage.number} must close after stage {before.number}, which closes {shown(before.deadline)}."
    if after is not None and deadline >= after.deadline:
        return f"Stage {stage.number} must close before stage {after.number}, which closes {shown(after.deadline)}."
    if before is None and opportunity.clarification_deadline and deadline < opportunity.clarification_deadline:
        return (
            f"Stage {stage.number} must close after clarification questions close, "
            f"{shown(opportunity.clarification_deadline)}."
        )
    return None


@transaction.atomic
def stage_deadline_change(
    *,
    actor: Any,
    stage: Stage,
    deadline: datetime.datetime,
    short_period_reason: str | None = None,
    now: datetime.datetime | None = None,
) -> Stage:
    """Move a stage's deadline. Once the opportunity is published this is a change to it like any
    other (``_after_change``): partnerships are told, submitted bids must be re-confirmed, and a
    deadline less than seven days from now moves out to seven days from now. A published stage, and
    the one after it, must still keep the minimum tender period or have a reason
    (``short_period_reason``, kept unless given)."""
    now = _now(now)
    _managed(actor, stage.opportunity)
    stage = Stage.objects.select_for_update().select_related("opportunity").get(pk=stage.pk)
    opportunity = stage.opportunity
    if opportunity.is_ended or has_current_award(opportunity):
        raise ValidationError({"deadline": "This opportunity has ended or been awarded; its deadlines cannot change."})
    if not stage.is_sealed(now):
        raise ValidationError({"deadline": "This stage has closed; its deadline cannot change."})
    if not sealed.deadline_sealed(deadline, now):
        raise ValidationError({"deadline": "The new deadline must be in the future."})
    problem = _deadline_order_problem(stage, deadline)
    if problem:
        raise ValidationError({"deadline": problem})
    before = {
        "stage": str(stage),
        "deadline": stage.deadline.isoformat(),
        "short_period_reason": stage.short_period_reason,
    }
    stage.deadline = deadline
    if short_period_reason is not None:
        stage.short_period_reason = short_period_reason.strip()
    stage.save(update_fields=["deadline", "short_period_reason"])
    if opportunity.published_at is not None:
        # The stage's own period changes, and so does the next one's, which opens when this closes.
        problems = tender_period.period_problems(opportunity, published_at=opportunity.published_at)
        touched = [problems[n] for n in (stage.number, stage.number + 1) if n in problems]
        if touched:
            raise ValidationError({"deadline": touched})
        _after_change(opportunity, now=now)
    stage.refresh_from_db()
    audit_record(
        actor=actor,
        action="stage_deadline_change",
        obj=opportunity,
        before=before,
        after={
            "stage": str(stage),
            "deadline": stage.deadline.isoformat(),
            "short_period_reason": stage.short_period_reason,
        },
    )
    return stage


def _draft_stage(actor: Any, stage: Stage) -> None:
    _managed(actor, stage.opportunity)
    if stage.opportunity.published_at is not None:
        raise ValidationError({"text": "Questions and criteria cannot change once the opportunity is published."})


@transaction.atomic
def question_add(*, actor: Any, stage: Stage, text: str, word_limit: int | None = None) -> Question:
    _draft_stage(actor, stage)
    number = (stage.questions.count() or 0) + 1
    question = Question.objects.create(stage=stage, number=number, text=text.strip(), word_limit=word_limit)
    audit_record(
        actor=actor, action="question_add", obj=stage.opportunity, after={"stage": stage.number, "question": text}
    )
    return question


@transaction.atomic
def criterion_add(*, actor: Any, stage: Stage, name: str, weight: int) -> Criterion:
    _draft_stage(actor, stage)
    used = stage.criteria.aggregate(total=Sum("weight"))["total"] or 0
    if weight < 1 or used + weight > 100:
        raise ValidationError({"weight": f"The weights would add up to {used + weight}; they must add up to 100."})
    if stage.criteria.filter(name=name.strip()).exists():
        raise ValidationError({"name": f"Stage {stage.number} has a criterion called {name.strip()} already."})
    criterion = Criterion.objects.create(stage=stage, name=name.strip(), weight=weight)
    audit_record(
        actor=actor,
        action="criterion_add",
        obj=stage.opportunity,
        after={"stage": stage.number, "criterion": str(criterion)},
    )
    return criterion


@transaction.atomic
def evaluator_assign(*, actor: Any, stage: Stage, evaluator: Any) -> None:
    _managed(actor, stage.opportunity)
    stage.evaluators.add(evaluator)
    audit_record(
        actor=actor,
        action="evaluator_assign",
        obj=stage.opportunity,
        after={"stage": stage.number, "evaluator": str(evaluator)},
    )


@transaction.atomic
def rule_add(
    *, actor: Any, opportunity: Opportunity, kind: str, text: str = "", number: Decimal | None = None
) -> EligibilityRule:
    _managed(actor, opportunity)
    if opportunity.published_at is not None:
        raise ValidationError({"kind": "Eligibility rules cannot change once the opportunity is published."})
    if kind in (RuleKind.MIN_MEMBERS, RuleKind.MAX_VALUE) and (number is None or number <= 0):
        raise ValidationError({"number": "Enter a number more than 0 for this rule."})
    if kind == RuleKind.MEMBER_FLAG and text not in MemberFlag.values:
        raise ValidationError({"text": "Choose which kind of specialist the partnership must include."})
    if opportunity.rules.filter(kind=kind, text=text).exists():
        raise ValidationError({"kind": "This opportunity has that rule already."})
    rule = EligibilityRule.objects.create(opportunity=opportunity, kind=kind, text=text, number=number)
    audit_record(actor=actor, action="rule_add", obj=opportunity, after={"rule": rule.describe()})
    return rule


def publication_problems(opportunity: Opportunity, *, now: datetime.datetime) -> list[str]:
    """Why an opportunity cannot be published yet, in words the commissioner can act on."""
    problems = []
    stages = list(opportunity.stages.order_by("number"))
    if not stages:
        problems.append("Add at least one stage with its deadline.")
    previous: Stage | None = None
    for stage in stages:
        weights = stage.criteria.aggregate(total=Sum("weight"))["total"] or 0
        if weights != 100:
            problems.append(f"The criteria of stage {stage.number} add up to {weights}%; they must add up to 100%.")
        if not stage.questions.exists():
            problems.append(f"Stage {stage.number} has no questions.")
        if not stage.evaluators.exists():
            problems.append(f"Name at least one evaluator for stage {stage.number}.")
        if not stage.is_sealed(now):
            problems.append(f"The deadline of stage {stage.number} has passed.")
        if previous is not None and stage.deadline <= previous.deadline:
            problems.append(f"Stage {stage.number} must close after stage {previous.number}.")
        previous = stage
    if opportunity.clarification_deadline and stages and opportunity.clarification_deadline > stages[0].deadline:
        problems.append("The clarification deadline must come before the first stage closes.")
    problems += tender_period.period_problems(opportunity, published_at=now).values()
    return problems


@transaction.atomic
def opportunity_publish(*, actor: Any, opportunity: Opportunity, now: datetime.datetime | None = None) -> Opportunity:
    now = _now(now)
    _managed(actor, opportunity)
    if opportunity.published_at is not None:
        raise already_done(
            opportunity, actions=["opportunity_publish"], did="published this opportunity", then="here it is."
        )
    problems = publication_problems(opportunity, now=now)
    if problems:
        raise ValidationError({"published_at": problems})
    before = opportunity_snapshot(opportunity)
    save_if_unchanged(opportunity, expected_version=opportunity.version, fields={"published_at": now})
    audit_record(
        actor=actor,
        action="opportunity_publish",
        obj=opportunity,
        before=before,
        after=opportunity_snapshot(opportunity),
    )
    # The subscribers who want it hear at once (sent by the worker once this transaction commits).
    bulletins.alert_published(source="opportunities", key=opportunity.reference, now=now)
    return opportunity


def _end(
    *,
    actor: Any,
    opportunity: Opportunity,
    reason: str,
    field: str,
    reason_field: str,
    action: str,
    now: datetime.datetime,
) -> Opportunity:
    _managed(actor, opportunity)
    if not reason.strip():
        raise ValidationError({"reason": "Enter the reason, which every bidder will be told."})
    if opportunity.is_ended:
        raise already_done(
            opportunity,
            actions=["opportunity_cancel", "opportunity_close"],
            did="ended this opportunity",
            then="here it is.",
        )
    if has_current_award(opportunity):
        raise ValidationError({"reason": "Withdraw the award first, giving its reason."})
    before = opportunity_snapshot(opportunity)
    save_if_unchanged(
        opportunity, expected_version=opportunity.version, fields={field: now, reason_field: reason.strip()}
    )
    for partnership in _bidders(opportunity):
        _notify(partnership, subject=f"{opportunity.title} has ended without an award", body=reason.strip(), now=now)
    survey_invite(opportunity=opportunity, now=now)
    audit_record(actor=actor, action=action, obj=opportunity, before=before, after=opportunity_snapshot(opportunity))
    return opportunity


@transaction.atomic
def opportunity_cancel(
    *, actor: Any, opportunity: Opportunity, reason: str, now: datetime.datetime | None = None
) -> Opportunity:
    return _end(
        actor=actor,
        opportunity=opportunity,
        reason=reason,
        field="cancelled_at",
        reason_field="cancelled_reason",
        action="opportunity_cancel",
        now=_now(now),
    )


@transaction.atomic
def opportunity_close_without_award(
    *, actor: Any, opportunity: Opportunity, reason: str, now: datetime.datetime | None = None
) -> Opportunity:
    return _end(
        actor=actor,
        opportunity=opportunity,
        reason=reason,
        field="closed_without_award_at",
        reason_field="closed_reason",
        action="opportunity_close",
        now=_now(now),
    )


# --- Clarifications ------------------------------------------------------------------------------


@transaction.atomic
def clarification_ask(
    *, actor: Any, opportunity: Opportunity, question: str, now: datetime.datetime | None = None
) -> ClarificationQuestion:
    now = _now(now)
    if (
        not access.opportunities_visible_to(actor, now=now)
        .filter(pk=opportunity.pk, published_at__isnull=False)
        .exists()
    ):
        raise PermissionDenied("You cannot ask about this opportunity.")
    if access.provider_organisation_id(actor) is None:
        raise PermissionDenied("Only providers ask clarification questions.")
    if opportunity.clarification_deadline_passed(now):
        raise ValidationError({"question": "The deadline for clarification questions has passed."})
    if not question.strip():
        raise ValidationError({"question": "Enter your question."})
    item = ClarificationQuestion.objects.create(
        opportunity=opportunity, asked_by=actor, asked_at=now, question=question.strip()
    )
    audit_record(actor=actor, action="clarification_ask", obj=item, after=snapshot(item))
    return item


@transaction.atomic
def clarification_answer(
    *, actor: Any, clarification: ClarificationQuestion, answer: str, now: datetime.datetime | None = None
) -> ClarificationQuestion:
    _managed(actor, clarification.opportunity)
    clarification.refresh_from_db()
    if clarification.answered_at:
        raise already_done(
            clarification,
            actions=["clarification_answer"],
            did="answered this question",
            then="the answer is below.",
            url=clarification.opportunity.get_absolute_url(),
        )
    if not answer.strip():
        raise ValidationError({"answer": "Enter the answer, which every bidder will read."})
    before = snapshot(clarification)
    clarification.answer, clarification.answered_at = answer.strip(), _now(now)
    clarification.save(update_fields=["answer", "answered_at"])
    audit_record(
        actor=actor, action="clarification_answer", obj=clarification, before=before, after=snapshot(clarification)
    )
    return clarification
