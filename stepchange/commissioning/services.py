"""Every change in commissioning: keyword-only, one transaction and one audit event each.

A broken rule raises ``ValidationError`` (keyed by the form field it belongs to) in words a
person can act on, and nothing is saved. Who may do what is checked against ``access.py``; an
action on a bid the actor may not see raises ``PermissionDenied`` with a message that does not
say whether the bid exists. Every function takes ``now`` so tests can stand either side of a
deadline.
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from stepchange.commissioning import access
from stepchange.commissioning.models import (
    SCORE_MAX,
    Award,
    Bid,
    BidderNotice,
    BiddingPartnership,
    BidOpening,
    Challenge,
    ClarificationQuestion,
    ConflictDeclaration,
    Criterion,
    EligibilityRule,
    MemberFlag,
    Moderation,
    Opportunity,
    Outcome,
    PartnershipMember,
    Question,
    RuleKind,
    Score,
    Stage,
    SurveyInvitation,
    SurveyResponse,
)
from stepchange.contracts import services as contract_services
from stepchange.contracts.access import commissioners_managed_by
from stepchange.contracts.models import Contract
from stepchange.core.audit import audit_record, snapshot
from stepchange.core.concurrency import StaleEdit, save_if_unchanged
from stepchange.core.models import Pathway
from stepchange.organisations import identifiers
from stepchange.organisations.models import Commissioner, Organisation

# A change to an opportunity this close to a deadline moves the deadline out to this far away.
MINIMUM_NOTICE = datetime.timedelta(days=7)
CHALLENGE_ANSWER_TIME = datetime.timedelta(days=5)
HUNDRED = Decimal(100)
CENT = Decimal("0.01")
PERSONS_OUTSIDE = "You cannot do that: it is not a bid of a partnership you belong to, or its stage has closed."


def _now(now: datetime.datetime | None) -> datetime.datetime:
    return now or timezone.now()


def add_months(day: datetime.date, months: int) -> datetime.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def opportunity_snapshot(opportunity: Opportunity) -> dict[str, Any]:
    data = snapshot(opportunity)
    data["commissioner"] = opportunity.commissioner.code
    data["stages"] = [
        f"{stage.number} {stage.name} until {stage.deadline.isoformat()}" for stage in opportunity.stages.all()
    ]
    data["rules"] = [rule.describe() for rule in opportunity.rules.all()]
    return data


def _managed(actor: Any, opportunity: Opportunity) -> Opportunity:
    if not access.opportunities_managed_by(actor).filter(pk=opportunity.pk).exists():
        raise PermissionDenied("You cannot change this opportunity.")
    return opportunity


def _notify(partnership: BiddingPartnership, *, subject: str, body: str, now: datetime.datetime) -> BidderNotice:
    return BidderNotice.objects.create(partnership=partnership, sent_at=now, subject=subject, body=body)


# --- Opportunities -------------------------------------------------------------------------------

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
    opportunity = Opportunity.objects.create(commissioner=commissioner, reference=reference, created_by=actor, **fields)
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
    now: datetime.datetime | None = None,
    **fields: Any,
) -> Opportunity:
    """Change an opportunity. Once bids exist, every bidder is told, each submitted bid must be
    re-confirmed, and a deadline less than seven days away moves out to seven days from now."""
    now = _now(now)
    _managed(actor, opportunity)
    current = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
    if current.version != expected_version:
        raise StaleEdit()
    if current.is_ended:
        raise ValidationError({"title": "This opportunity has ended and cannot be changed."})
    merged = {name: getattr(current, name) for name in OPPORTUNITY_FIELDS} | fields
    _check_opportunity(merged)
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


def _after_change(opportunity: Opportunity, *, now: datetime.datetime) -> list[Stage]:
    """What follows any change to a published opportunity; returns the stages whose deadline moved.

    Every open stage closing less than seven days from the change moves out to seven days from it,
    whether or not anyone is bidding: were the rule kept only when bids exist, a commissioner
    would learn from a moved deadline that a sealed bid is there. Every partnership formed for it
    is told, and each submitted bid of an open stage must be re-confirmed.
    """
    open_stages = list(opportunity.stages.filter(deadline__gt=now).order_by("number"))
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
        )
    return moved


@transaction.atomic
def stage_add(*, actor: Any, opportunity: Opportunity, number: int, name: str, deadline: datetime.datetime) -> Stage:
    _managed(actor, opportunity)
    if opportunity.published_at is not None:
        raise ValidationError({"name": "Stages cannot be added once the opportunity is published."})
    if opportunity.stages.filter(number=number).exists():
        raise ValidationError({"number": f"There is already a stage {number}."})
    stage = Stage.objects.create(opportunity=opportunity, number=number, name=name.strip(), deadline=deadline)
    audit_record(
        actor=actor, action="stage_add", obj=opportunity, after={"stage": str(stage), "deadline": str(deadline)}
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
    *, actor: Any, stage: Stage, deadline: datetime.datetime, now: datetime.datetime | None = None
) -> Stage:
    """Move a stage's deadline. Once the opportunity is published this is a change to it like any
    other (``_after_change``): partnerships are told, submitted bids must be re-confirmed, and a
    deadline less than seven days from now moves out to seven days from now."""
    now = _now(now)
    _managed(actor, stage.opportunity)
    stage = Stage.objects.select_for_update().select_related("opportunity").get(pk=stage.pk)
    opportunity = stage.opportunity
    if opportunity.is_ended or opportunity.awards.filter(withdrawn_at__isnull=True).exists():
        raise ValidationError({"deadline": "This opportunity has ended or been awarded; its deadlines cannot change."})
    if stage.deadline <= now:
        raise ValidationError({"deadline": "This stage has closed; its deadline cannot change."})
    if deadline <= now:
        raise ValidationError({"deadline": "The new deadline must be in the future."})
    problem = _deadline_order_problem(stage, deadline)
    if problem:
        raise ValidationError({"deadline": problem})
    before = {"stage": str(stage), "deadline": stage.deadline.isoformat()}
    stage.deadline = deadline
    stage.save(update_fields=["deadline"])
    if opportunity.published_at is not None:
        _after_change(opportunity, now=now)
    stage.refresh_from_db()
    audit_record(
        actor=actor,
        action="stage_deadline_change",
        obj=opportunity,
        before=before,
        after={"stage": str(stage), "deadline": stage.deadline.isoformat()},
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
        if stage.deadline <= now:
            problems.append(f"The deadline of stage {stage.number} has passed.")
        if previous is not None and stage.deadline <= previous.deadline:
            problems.append(f"Stage {stage.number} must close after stage {previous.number}.")
        previous = stage
    if opportunity.clarification_deadline and stages and opportunity.clarification_deadline > stages[0].deadline:
        problems.append("The clarification deadline must come before the first stage closes.")
    return problems


@transaction.atomic
def opportunity_publish(*, actor: Any, opportunity: Opportunity, now: datetime.datetime | None = None) -> Opportunity:
    now = _now(now)
    _managed(actor, opportunity)
    if opportunity.published_at is not None:
        raise ValidationError({"published_at": "This opportunity is already published."})
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
        raise ValidationError({"reason": "This opportunity has already ended."})
    if opportunity.awards.filter(withdrawn_at__isnull=True).exists():
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


def _bidders(opportunity: Opportunity) -> list[BiddingPartnership]:
    """Partnerships that submitted a bid to any stage (withdrawn ones included: they took part)."""
    return list(BiddingPartnership.objects.filter(opportunity=opportunity, bids__submitted_at__isnull=False).distinct())


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
    if opportunity.clarification_deadline and now > opportunity.clarification_deadline:
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
    if not answer.strip():
        raise ValidationError({"answer": "Enter the answer, which every bidder will read."})
    if clarification.answered_at:
        raise ValidationError({"answer": "This question has been answered already."})
    before = snapshot(clarification)
    clarification.answer, clarification.answered_at = answer.strip(), _now(now)
    clarification.save(update_fields=["answer", "answered_at"])
    audit_record(
        actor=actor, action="clarification_answer", obj=clarification, before=before, after=snapshot(clarification)
    )
    return clarification


# --- Partnerships --------------------------------------------------------------------------------


def partnership_snapshot(partnership: BiddingPartnership) -> dict[str, Any]:
    data = snapshot(partnership)
    data["lead"] = partnership.lead.name
    data["members"] = [
        f"{m.organisation.name} ({', '.join(filter(None, [m.registered_numbers, m.role, f'{m.share}%']))}"
        f"{'' if m.confirmed_at else ', not confirmed'})"
        for m in partnership.active_members()
    ]
    return data


def member_numbers(organisation: Organisation, *, charity_number: str = "", company_number: str = "") -> dict[str, str]:
    """The numbers a member bids under: those entered (format-checked), else its profile's.

    A number entered must agree with one the organisation's profile already records: two numbers
    for one organisation would let a partner be named differently in the award than in the
    directory. A profile with no number keeps none; the membership carries the one entered.
    """
    errors: dict[str, str] = {}
    numbers = {}
    for field, clean, label in (
        ("charity_number", identifiers.clean_charity_number, "charity"),
        ("company_number", identifiers.clean_company_number, "company"),
    ):
        entered = charity_number if field == "charity_number" else company_number
        recorded = getattr(organisation, field)
        try:
            value = clean(entered)
        except ValidationError as wrong:
            errors[field] = wrong.messages[0]
            continue
        if value and recorded and value != recorded:
            errors[field] = (
                f"{organisation.name}'s profile records {label} number {recorded}. "
                f"Enter {recorded}, or leave this blank to use it."
            )
        numbers[field] = value or recorded
    if errors:
        raise ValidationError(errors)
    return numbers


def _open_for_bidding(opportunity: Opportunity, now: datetime.datetime) -> None:
    if opportunity.published_at is None or opportunity.published_at > now or opportunity.is_ended:
        raise ValidationError({"name": "This opportunity is not open."})
    if not opportunity.stages.filter(deadline__gt=now).exists():
        raise ValidationError({"name": "Every stage of this opportunity has closed."})


@transaction.atomic
def partnership_create(
    *,
    actor: Any,
    opportunity: Opportunity,
    name: str,
    lead_role: str,
    lead_share: Decimal,
    constitution: str = "",
    bidding_protocol: str = "",
    charity_number: str = "",
    company_number: str = "",
    now: datetime.datetime | None = None,
) -> BiddingPartnership:
    now = _now(now)
    org_id = access.provider_organisation_id(actor)
    if org_id is None:
        raise PermissionDenied("Only a provider can lead a bidding partnership.")
    _open_for_bidding(opportunity, now)
    numbers = member_numbers(
        Organisation.objects.get(pk=org_id), charity_number=charity_number, company_number=company_number
    )
    if BiddingPartnership.objects.filter(opportunity=opportunity, lead_id=org_id).exists():
        raise ValidationError({"name": "Your organisation already leads a partnership for this opportunity."})
    if BiddingPartnership.objects.filter(opportunity=opportunity, name__iexact=name.strip()).exists():
        raise ValidationError({"name": "Another partnership has that name. Choose another."})
    partnership = BiddingPartnership.objects.create(
        opportunity=opportunity,
        name=name.strip(),
        lead_id=org_id,
        constitution=constitution,
        bidding_protocol=bidding_protocol,
        created_by=actor,
        created_at=now,
    )
    PartnershipMember.objects.create(
        partnership=partnership,
        organisation_id=org_id,
        role=lead_role.strip() or "Lead",
        share=lead_share,
        invited_at=now,
        confirmed_at=now,
        **numbers,
    )
    audit_record(actor=actor, action="partnership_create", obj=partnership, after=partnership_snapshot(partnership))
    return partnership


def _led(actor: Any, partnership: BiddingPartnership) -> None:
    if not access.partnerships_led_by(actor).filter(pk=partnership.pk).exists():
        raise PermissionDenied("Only the lead organisation changes the partnership.")


def _check_share(partnership: BiddingPartnership, share: Decimal, *, leaving_out: int | None = None) -> None:
    members = partnership.active_members()
    if leaving_out is not None:
        members = members.exclude(pk=leaving_out)
    others = members.aggregate(total=Sum("share"))["total"] or Decimal(0)
    if share < 0 or others + share > HUNDRED:
        raise ValidationError({"share": f"The shares would add up to {others + share}%; they cannot pass 100%."})


@transaction.atomic
def member_invite(
    *,
    actor: Any,
    partnership: BiddingPartnership,
    organisation: Organisation,
    role: str,
    share: Decimal,
    charity_number: str = "",
    company_number: str = "",
    expected_version: int | None = None,
    now: datetime.datetime | None = None,
) -> PartnershipMember:
    """Invite a member; with ``expected_version`` (the invite page's), refused if the partnership
    changed since the page was opened."""
    now = _now(now)
    _led(actor, partnership)
    current = BiddingPartnership.objects.select_for_update().get(pk=partnership.pk)
    if expected_version is not None and current.version != expected_version:
        raise StaleEdit()
    _open_for_bidding(partnership.opportunity, now)
    if partnership.active_members().filter(organisation=organisation).exists():
        raise ValidationError({"organisation": f"{organisation.name} is already in this partnership."})
    if not role.strip():
        raise ValidationError({"role": "Enter the member's role, for example mental health services."})
    _check_share(partnership, share)
    numbers = member_numbers(organisation, charity_number=charity_number, company_number=company_number)
    before = partnership_snapshot(partnership)
    member = PartnershipMember.objects.create(
        partnership=partnership, organisation=organisation, role=role.strip(), share=share, invited_at=now, **numbers
    )
    save_if_unchanged(current, expected_version=current.version, fields={})
    audit_record(
        actor=actor, action="member_invite", obj=partnership, before=before, after=partnership_snapshot(partnership)
    )
    return member


@transaction.atomic
def member_confirm(*, actor: Any, member: PartnershipMember, now: datetime.datetime | None = None) -> PartnershipMember:
    if access.provider_organisation_id(actor) != member.organisation_id or member.left_at:
        raise PermissionDenied("Only the invited organisation confirms its membership.")
    before = partnership_snapshot(member.partnership)
    member.confirmed_at = _now(now)
    member.save(update_fields=["confirmed_at"])
    audit_record(
        actor=actor,
        action="member_confirm",
        obj=member.partnership,
        before=before,
        after=partnership_snapshot(member.partnership),
    )
    return member


@transaction.atomic
def member_leave(*, actor: Any, member: PartnershipMember, now: datetime.datetime | None = None) -> PartnershipMember:
    """A member leaves (or the lead removes it); the row stays as history."""
    org_id = access.provider_organisation_id(actor)
    if org_id not in (member.organisation_id, member.partnership.lead_id) or member.left_at:
        raise PermissionDenied("You cannot change this membership.")
    if member.is_lead:
        raise ValidationError({"organisation": "The lead cannot leave its own partnership."})
    before = partnership_snapshot(member.partnership)
    member.left_at = _now(now)
    member.save(update_fields=["left_at"])
    audit_record(
        actor=actor,
        action="member_leave",
        obj=member.partnership,
        before=before,
        after=partnership_snapshot(member.partnership),
    )
    return member


# --- Bids ----------------------------------------------------------------------------------------


def bid_snapshot(bid: Bid) -> dict[str, Any]:
    data = snapshot(bid)
    data["partnership"] = bid.partnership.name
    data["stage"] = bid.stage.number
    return data


def eligibility_failures(bid: Bid) -> list[str]:
    """Each rule of the opportunity the bid breaks, named; empty when it keeps them all."""
    partnership = bid.partnership
    members = [m for m in partnership.confirmed_members()]
    failures = []
    for rule in bid.stage.opportunity.rules.order_by("id"):
        if rule.kind == RuleKind.LEAD_SECTOR and partnership.lead.sector != rule.text:
            failures.append(
                f"{rule.describe()}: {partnership.lead.name} is {partnership.lead.get_sector_display().lower()} sector."
            )
        elif rule.kind == RuleKind.MIN_MEMBERS and len(members) < int(rule.number or 0):
            failures.append(f"{rule.describe()}: this partnership has {len(members)} confirmed.")
        elif rule.kind == RuleKind.MEMBER_FLAG and not any(getattr(m.organisation, rule.text, False) for m in members):
            failures.append(f"{rule.describe()}: no confirmed member is.")
        elif rule.kind == RuleKind.MAX_VALUE and bid.price is not None and bid.price > (rule.number or 0):
            failures.append(f"{rule.describe()}: the price is £{bid.price:,.2f}.")
    return failures


def _own_bid_stage_open(actor: Any, bid: Bid, now: datetime.datetime) -> Bid:
    if not access.bids_of_own_partnerships(actor).filter(pk=bid.pk).exists():
        raise PermissionDenied(PERSONS_OUTSIDE)
    if bid.stage.deadline <= now:
        raise ValidationError({"answers": f"The deadline for stage {bid.stage.number} has passed; the bid is frozen."})
    return bid


def _may_bid_at_stage(partnership: BiddingPartnership, stage: Stage) -> None:
    if stage.number == 1:
        return
    earlier = Bid.objects.filter(
        partnership=partnership, stage__opportunity=stage.opportunity, stage__number=stage.number - 1
    ).first()
    if earlier is None or earlier.outcome != Outcome.SHORTLISTED:
        raise ValidationError(
            {"answers": f"Only partnerships taken forward from stage {stage.number - 1} bid at stage {stage.number}."}
        )


@transaction.atomic
def bid_save(
    *,
    actor: Any,
    partnership: BiddingPartnership,
    stage: Stage,
    answers: dict[str, str],
    price: Decimal | None,
    expected_version: int | None = None,
    now: datetime.datetime | None = None,
) -> Bid:
    """Save a bid's answers and price; a submitted bid stays submitted and must still be eligible."""
    now = _now(now)
    if not access.memberships_of(actor).filter(partnership=partnership, confirmed_at__isnull=False).exists():
        raise PermissionDenied(PERSONS_OUTSIDE)
    if stage.opportunity_id != partnership.opportunity_id:
        raise PermissionDenied(PERSONS_OUTSIDE)
    if stage.deadline <= now:
        raise ValidationError({"answers": f"The deadline for stage {stage.number} has passed; the bid is frozen."})
    _may_bid_at_stage(partnership, stage)
    if price is not None and price < 0:
        raise ValidationError({"price": "The price cannot be negative."})
    bid = Bid.objects.select_for_update().filter(partnership=partnership, stage=stage).first()
    if bid is None:
        bid = Bid.objects.create(partnership=partnership, stage=stage, answers=answers, price=price, created_at=now)
        audit_record(actor=actor, action="bid_create", obj=bid, after=bid_snapshot(bid))
        return bid
    if expected_version is not None and bid.version != expected_version:
        raise StaleEdit()
    if bid.withdrawn_at:
        raise ValidationError({"answers": "This bid was withdrawn."})
    before = bid_snapshot(bid)
    bid.answers, bid.price = answers, price
    if bid.submitted_at:
        failures = eligibility_failures(bid)
        if failures:
            raise ValidationError({"answers": failures})
    save_if_unchanged(bid, expected_version=bid.version, fields={"answers": answers, "price": price})
    audit_record(actor=actor, action="bid_update", obj=bid, before=before, after=bid_snapshot(bid))
    return bid


@transaction.atomic
def bid_submit(*, actor: Any, bid: Bid, now: datetime.datetime | None = None) -> Bid:
    """Submit (or re-confirm) a bid: every question answered, a price, and every rule kept."""
    now = _now(now)
    _own_bid_stage_open(actor, bid, now)
    if bid.withdrawn_at:
        raise ValidationError({"answers": "This bid was withdrawn; it cannot be submitted again."})
    errors: list[str] = []
    for question in bid.stage.questions.all():
        if not str(bid.answers.get(str(question.number), "")).strip():
            errors.append(f"Answer question {question.number}.")
    if bid.price is None:
        errors.append("Enter the price.")
    errors += eligibility_failures(bid)
    if errors:
        raise ValidationError({"answers": errors})
    before = bid_snapshot(bid)
    action = "bid_reconfirm" if bid.submitted_at else "bid_submit"
    save_if_unchanged(bid, expected_version=bid.version, fields={"submitted_at": now, "reconfirm_needed_since": None})
    audit_record(actor=actor, action=action, obj=bid, before=before, after=bid_snapshot(bid))
    return bid


@transaction.atomic
def bid_withdraw(*, actor: Any, bid: Bid, now: datetime.datetime | None = None) -> Bid:
    now = _now(now)
    _own_bid_stage_open(actor, bid, now)
    if bid.withdrawn_at:
        raise ValidationError({"answers": "This bid is already withdrawn."})
    before = bid_snapshot(bid)
    save_if_unchanged(bid, expected_version=bid.version, fields={"withdrawn_at": now})
    audit_record(actor=actor, action="bid_withdraw", obj=bid, before=before, after=bid_snapshot(bid))
    return bid


@transaction.atomic
def bid_open(*, actor: Any, bid: Bid, now: datetime.datetime | None = None) -> BidOpening | None:
    """Log that someone outside the partnership opened a bid; members reading their own are not logged."""
    now = _now(now)
    if not access.bids_openable_by(actor, now=now).filter(pk=bid.pk).exists():
        raise PermissionDenied(PERSONS_OUTSIDE)
    if access.bids_of_own_partnerships(actor).filter(pk=bid.pk).exists():
        return None
    opening = BidOpening.objects.create(bid=bid, opened_by=actor, opened_at=now)
    audit_record(actor=actor, action="bid_open", obj=bid, after={"opened_by": str(actor), "opened_at": now.isoformat()})
    return opening


# --- Evaluation ----------------------------------------------------------------------------------


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
    mine = Score.objects.filter(bid=bid, evaluator=actor)
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
    if Moderation.objects.filter(bid=bid, criterion=criterion).exists():
        raise ValidationError({"moderated_score": "This score has been moderated; the moderated record is frozen."})
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


def _ready_for_outcome(stage: Stage, bids: list[Bid]) -> None:
    from stepchange.commissioning.selectors import stage_results

    problems = []
    for result in stage_results(stage, bids):
        if result.unsubmitted:
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
    if stage.deadline > now:
        raise ValidationError({"shortlist": "The stage has not closed."})
    if stage.is_last:
        raise ValidationError({"shortlist": "This is the last stage: award the contract instead."})
    bids = list(access.bids_visible_to(actor, now=now).filter(stage=stage))
    if any(b.outcome for b in bids):
        raise ValidationError({"shortlist": "The outcomes of this stage have been decided."})
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


@transaction.atomic
def bid_award(
    *, actor: Any, bid: Bid, feedback: dict[int, str] | None = None, now: datetime.datetime | None = None
) -> Award:
    """Award the opportunity to a last-stage bid: the contract is created at once (its start after
    the standstill) with a sub-contract per confirmed member at its share of the price."""
    now = _now(now)
    opportunity = bid.stage.opportunity
    _managed(actor, opportunity)
    stage = bid.stage
    if not stage.is_last:
        raise ValidationError({"bid": "Awards are made at the last stage."})
    if stage.deadline > now:
        raise ValidationError({"bid": "The stage has not closed."})
    if opportunity.is_ended or opportunity.awards.filter(withdrawn_at__isnull=True).exists():
        raise ValidationError({"bid": "This opportunity has ended or is already awarded."})
    bids = list(access.bids_visible_to(actor, now=now).filter(stage=stage))
    if bid.pk not in {b.pk for b in bids} or bid.reconfirm_needed_since:
        raise ValidationError({"bid": "Only a submitted, confirmed bid can be awarded."})
    _ready_for_outcome(stage, bids)
    partnership = bid.partnership
    standstill_ends = timezone.localdate(now) + datetime.timedelta(days=opportunity.standstill_days)
    start = max(opportunity.contract_start, standstill_ends + datetime.timedelta(days=1))
    end = add_months(start, opportunity.duration_months) - datetime.timedelta(days=1)
    price = bid.price or Decimal(0)
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
        value = (price * member.share / HUNDRED).quantize(CENT, rounding=ROUND_HALF_UP)
        contract_services.sub_contract_add(actor=actor, contract=contract, partner=member.organisation, value=value)
    award = Award.objects.create(
        opportunity=opportunity,
        bid=bid,
        contract=contract,
        value=price,
        awarded_at=now,
        awarded_by=actor,
        standstill_ends=standstill_ends,
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
    if award.withdrawn_at:
        raise ValidationError({"reason": "This award has already been withdrawn."})
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
    if award.withdrawn_at or not award.in_standstill(timezone.localdate(now)):
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
    return challenge


@transaction.atomic
def challenge_answer(
    *, actor: Any, challenge: Challenge, answer: str, now: datetime.datetime | None = None
) -> Challenge:
    now = _now(now)
    _managed(actor, challenge.award.opportunity)
    if challenge.answered_at:
        raise ValidationError({"answer": "This challenge has been answered."})
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
    )
    audit_record(actor=actor, action="challenge_answer", obj=challenge, before=before, after=snapshot(challenge))
    return challenge


# --- The bidder survey ---------------------------------------------------------------------------


def survey_invite(*, opportunity: Opportunity, now: datetime.datetime) -> list[SurveyInvitation]:
    """Every partnership that bid, successful or not, is asked; called when an opportunity closes."""
    invitations = []
    for partnership in _bidders(opportunity):
        invitation, created = SurveyInvitation.objects.get_or_create(
            opportunity=opportunity, partnership=partnership, defaults={"invited_at": now}
        )
        if created:
            _notify(
                partnership,
                subject=f"Tell us how the {opportunity.title} process went",
                body="Five short questions; your answers are anonymous.",
                now=now,
            )
            audit_record(actor=None, action="survey_invite", obj=invitation, after={"partnership": partnership.name})
        invitations.append(invitation)
    return invitations


@transaction.atomic
def survey_answer(
    *,
    actor: Any,
    invitation: SurveyInvitation,
    clarity: int,
    time_to_form_partnership: int,
    transparency: int,
    effort_hours: int,
    effort_people: int,
    what_to_change: str = "",
    now: datetime.datetime | None = None,
) -> SurveyResponse:
    """One answer per invitation, kept apart from it. The audit event records that the partnership
    answered, not what: an event naming the response would undo the anonymity."""
    now = _now(now)
    if not access.memberships_of(actor).filter(partnership=invitation.partnership, confirmed_at__isnull=False).exists():
        raise PermissionDenied("This survey invitation is not yours.")
    invitation = SurveyInvitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.answered:
        raise ValidationError({"clarity": "Your partnership has already answered this survey."})
    errors = {}
    for name, value in (
        ("clarity", clarity),
        ("time_to_form_partnership", time_to_form_partnership),
        ("transparency", transparency),
    ):
        if value not in range(1, 6):
            errors[name] = "Choose a rating from very poor to very good."
    if effort_people is None or effort_people < 1:
        errors["effort_people"] = "Enter how many people worked on the bid, at least 1."
    if effort_hours is None or effort_hours < 0:
        errors["effort_hours"] = "Enter the hours spent on the bid."
    if errors:
        raise ValidationError(errors)
    response = SurveyResponse.objects.create(
        opportunity=invitation.opportunity,
        received_on=timezone.localdate(now),
        clarity=clarity,
        time_to_form_partnership=time_to_form_partnership,
        transparency=transparency,
        effort_hours=effort_hours,
        effort_people=effort_people,
        what_to_change=what_to_change.strip(),
    )
    invitation.answered = True
    invitation.save(update_fields=["answered"])
    audit_record(actor=actor, action="survey_answer", obj=invitation, after={"answered": True})
    return response


@transaction.atomic
def feedback_publish(*, actor: Any, opportunity: Opportunity, now: datetime.datetime | None = None) -> Opportunity:
    _managed(actor, opportunity)
    if not opportunity.survey_responses.exists():
        raise ValidationError({"feedback": "No bidder has answered the survey yet."})
    before = opportunity_snapshot(opportunity)
    save_if_unchanged(opportunity, expected_version=opportunity.version, fields={"feedback_published_at": _now(now)})
    audit_record(
        actor=actor, action="feedback_publish", obj=opportunity, before=before, after=opportunity_snapshot(opportunity)
    )
    return opportunity
