"""Bids: saving, submitting, withdrawing and opening them, and the eligibility rules checked at submission."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse

from stepchange.commissioning import access, sealing
from stepchange.commissioning.models import (
    Bid,
    BiddingPartnership,
    BidOpening,
    MemberFlag,
    RuleKind,
    Stage,
)
from stepchange.commissioning.services._common import (
    PERSONS_OUTSIDE,
    _now,
)
from stepchange.core.audit import audit_record, snapshot
from stepchange.core.concurrency import StaleEdit, already_done, save_if_unchanged
from stepchange.organisations.models import Sector


def bid_snapshot(bid: Bid) -> dict[str, Any]:
    """What the audit trail keeps of a bid: never its sealed content, answers or price."""
    data = snapshot(bid)  # no bytes, so never the sealed content
    data["partnership"] = bid.partnership.name
    data["stage"] = bid.stage.number
    return data


ELIGIBILITY_FLAGS = tuple(MemberFlag.values)


def _facts(organisation: Any) -> dict[str, Any]:
    """What the eligibility rules read of one organisation: its name, sector and flags."""
    return {
        "name": organisation.name,
        "sector": organisation.sector,
        **{flag: bool(getattr(organisation, flag)) for flag in ELIGIBILITY_FLAGS},
    }


def eligibility_basis(bid: Bid) -> dict[str, dict[str, Any]]:
    """Organisation id → the sector and flags a bid's eligibility is judged on, for its lead and its
    confirmed members.

    Stored on the bid at submission, so a submitted bid keeps the eligibility it was checked with
    whatever the organisations' profiles say later. Who is a member is not frozen: a member who
    leaves stops counting, and one confirmed since the bid was submitted is read as it is now.
    """
    stored = bid.eligibility_basis if bid.submitted_at is not None else {}
    partnership = bid.partnership
    organisations = [partnership.lead] + [
        m.organisation for m in partnership.confirmed_members().select_related("organisation")
    ]
    return {str(o.pk): dict(stored.get(str(o.pk)) or _facts(o)) for o in organisations}


def eligibility_failures(
    bid: Bid, basis: dict[str, dict[str, Any]] | None = None, *, price: Decimal | None = None
) -> list[str]:
    """Each rule of the opportunity the bid breaks, named; empty when it keeps them all.

    ``price`` is the one in the bidder's hands as they save or submit: never decrypted for anyone else."""
    basis = basis if basis is not None else eligibility_basis(bid)
    partnership = bid.partnership
    lead = basis[str(partnership.lead_id)]
    members = [basis[str(m.organisation_id)] for m in partnership.confirmed_members()]
    failures = []
    for rule in bid.stage.opportunity.rules.order_by("id"):
        if rule.kind == RuleKind.LEAD_SECTOR and lead["sector"] != rule.text:
            sector = Sector(lead["sector"]).label.lower() if lead["sector"] in Sector.values else lead["sector"]
            failures.append(f"{rule.describe()}: {lead['name']} is {sector} sector.")
        elif rule.kind == RuleKind.MIN_MEMBERS and len(members) < int(rule.number or 0):
            failures.append(f"{rule.describe()}: this partnership has {len(members)} confirmed.")
        elif rule.kind == RuleKind.MEMBER_FLAG and not any(m.get(rule.text, False) for m in members):
            failures.append(f"{rule.describe()}: no confirmed member is.")
        elif rule.kind == RuleKind.MAX_VALUE and price is not None and price > (rule.number or 0):
            failures.append(f"{rule.describe()}: the price is £{price:,.2f}.")
    return failures


def _own_bid_stage_open(actor: Any, bid: Bid, now: datetime.datetime) -> Bid:
    if not access.bids_of_own_partnerships(actor).filter(pk=bid.pk).exists():
        raise PermissionDenied(PERSONS_OUTSIDE)
    if not bid.stage.is_sealed(now):
        raise ValidationError({"answers": f"The deadline for stage {bid.stage.number} has passed; the bid is frozen."})
    return bid


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
    """Save a bid's answers and price, sealed; a submitted bid stays submitted and must still be eligible."""
    now = _now(now)
    if not access.bid_team_memberships_of(actor).filter(partnership=partnership).exists():
        raise PermissionDenied(PERSONS_OUTSIDE)
    if stage.opportunity_id != partnership.opportunity_id:
        raise PermissionDenied(PERSONS_OUTSIDE)
    if not stage.is_sealed(now):
        raise ValidationError({"answers": f"The deadline for stage {stage.number} has passed; the bid is frozen."})
    if not access.may_bid_at_stage(partnership, stage):
        raise ValidationError(
            {"answers": f"Only partnerships taken forward from stage {stage.number - 1} bid at stage {stage.number}."}
        )
    if price is not None and price < 0:
        raise ValidationError({"price": "The price cannot be negative."})
    # The partnership's row is locked first: a bid that does not exist yet has no row to lock, so
    # of two first saves at once the second waits here, then finds the first's bid.
    BiddingPartnership.objects.select_for_update().get(pk=partnership.pk)
    bid = Bid.objects.select_for_update().filter(partnership=partnership, stage=stage).first()
    if bid is not None and expected_version == 0:  # the page was opened before there was a bid
        raise already_done(
            bid,
            actions=["bid_create"],
            did=f"started this bid for stage {stage.number}",
            then="your answers were not saved: here is the bid as it is now.",
            url=reverse("commissioning:bid-edit", args=[partnership.pk, stage.number]),
        )
    if bid is None:
        bid = Bid.objects.create(partnership=partnership, stage=stage, created_at=now)
        sealing.seal_bid(bid, answers=answers, price=price)
        audit_record(actor=actor, action="bid_create", obj=bid, after=bid_snapshot(bid))
        return bid
    if expected_version is not None and bid.version != expected_version:
        raise StaleEdit()
    if bid.withdrawn_at:
        raise ValidationError({"answers": "This bid was withdrawn."})
    before = bid_snapshot(bid)
    if bid.submitted_at:
        failures = eligibility_failures(bid, price=price)
        if failures:
            raise ValidationError({"answers": failures})
    sealed = sealing.sealed_bid(bid, answers=answers, price=price)
    save_if_unchanged(bid, expected_version=bid.version, fields={"sealed": sealed})
    audit_record(actor=actor, action="bid_update", obj=bid, before=before, after=bid_snapshot(bid))
    return bid


@transaction.atomic
def bid_submit(*, actor: Any, bid: Bid, now: datetime.datetime | None = None) -> Bid:
    """Submit (or re-confirm) a bid: every question answered, a price, and every rule kept.

    The date a bid was submitted never moves: re-confirming it after a change to the opportunity
    clears ``reconfirm_needed_since`` (the audit event records when), and submitting a bid that is
    submitted with nothing to re-confirm changes nothing."""
    now = _now(now)
    _own_bid_stage_open(actor, bid, now)
    Bid.objects.select_for_update().filter(pk=bid.pk).exists()  # a second submission waits for the first
    bid.refresh_from_db()
    if bid.withdrawn_at:
        raise ValidationError({"answers": "This bid was withdrawn; it cannot be submitted again."})
    content = sealing.open_bid(bid, reader=actor, now=now)  # the bid's own team, before the deadline
    errors: list[str] = []
    for question in bid.stage.questions.all():
        if not content.answer(question.number).strip():
            errors.append(f"Answer question {question.number}.")
    if content.price is None:
        errors.append("Enter the price.")
    # A first submission is checked on the profiles as they are and keeps that basis; a
    # re-confirmation is checked on the basis kept, and adds any member confirmed since.
    basis = eligibility_basis(bid)
    errors += eligibility_failures(bid, basis, price=content.price)
    if errors:
        raise ValidationError({"answers": errors})
    if bid.submitted_at and bid.reconfirm_needed_since is None:
        return bid
    before = bid_snapshot(bid)
    fields: dict[str, Any]
    if bid.submitted_at:
        action, fields = "bid_reconfirm", {"reconfirm_needed_since": None, "eligibility_basis": basis}
    else:
        action, fields = "bid_submit", {"submitted_at": now, "eligibility_basis": basis}
    save_if_unchanged(bid, expected_version=bid.version, fields=fields)
    audit_record(actor=actor, action=action, obj=bid, before=before, after=bid_snapshot(bid))
    return bid


@transaction.atomic
def bid_save_and_submit(
    *,
    actor: Any,
    partnership: BiddingPartnership,
    stage: Stage,
    answers: dict[str, str],
    price: Decimal | None,
    expected_version: int | None = None,
    now: datetime.datetime | None = None,
) -> Bid:
    """The bid form's "submit": save and submit whole, or nothing. A refused submission (a rule
    broken, a question unanswered) saves nothing, so the bid keeps its version and the page's
    version still holds when the bidder puts it right and submits again."""
    bid = bid_save(
        actor=actor,
        partnership=partnership,
        stage=stage,
        answers=answers,
        price=price,
        expected_version=expected_version,
        now=now,
    )
    return bid_submit(actor=actor, bid=bid, now=now)


@transaction.atomic
def bid_withdraw(*, actor: Any, bid: Bid, now: datetime.datetime | None = None) -> Bid:
    now = _now(now)
    _own_bid_stage_open(actor, bid, now)
    Bid.objects.select_for_update().filter(pk=bid.pk).exists()  # a second withdrawal waits, then sees the first
    bid.refresh_from_db()
    if bid.withdrawn_at:
        raise already_done(
            bid,
            actions=["bid_withdraw"],
            did="withdrew this bid",
            then="here is the partnership.",
            url=reverse("commissioning:partnership", args=[bid.partnership_id]),
        )
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
