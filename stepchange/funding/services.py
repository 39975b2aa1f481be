"""Every change to funding streams, helped bids and the small grants programme: one transaction and
one audit event each. Each service asks access.py whether the actor may, so a page that forgot to
ask still changes nothing; a broken rule raises ``ValidationError`` keyed by the form's field.

A round's budget is never exceeded: an award locks the round's row (``select_for_update``) before
adding up what it has already awarded, so two awards made at once are added up one after the
other, and the second is refused if the two together would go over.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from stepchange.bulletins.services import alert_published
from stepchange.core.audit import audit_record, snapshot
from stepchange.core.concurrency import StaleEdit, created_by_someone_else, first_wins, save_if_unchanged
from stepchange.core.money import pounds
from stepchange.funding import access
from stepchange.funding.models import (
    ApplicationStatus,
    Assessment,
    BidOutcome,
    FundingStream,
    GrantApplication,
    GrantsRound,
    HelpedBid,
    Recommendation,
)
from stepchange.notifications.services import notify

STREAM_FIELDS = ("funder", "programme", "opens_on", "deadline", "amount_min", "amount_max", "eligibility", "url")
BID_FIELDS = ("submitted_on", "amount_asked", "helped_by", "help_given", "outcome", "amount_awarded")
ROUND_FIELDS = ("name", "budget", "max_award", "opens_on", "closes_on", "decisions_by", "criteria")
APPLICATION_FIELDS = ("project_title", "summary", "amount_requested", "start_on", "end_on", "hours_taken")


def _stream_snapshot(stream: FundingStream) -> dict[str, Any]:
    data = snapshot(stream)
    data["region"] = stream.region.code
    return data


def _check_stream(data: dict[str, Any]) -> None:
    errors: dict[str, str] = {}
    low, high = data.get("amount_min"), data.get("amount_max")
    if low is not None and high is not None and low > high:
        errors["amount_max"] = "The largest amount must be the same as or more than the smallest amount"
    opens, deadline = data.get("opens_on"), data.get("deadline")
    if opens is not None and deadline is not None and opens > deadline:
        errors["deadline"] = "The deadline must be the same as or after the date the stream opens"
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def stream_save(
    *, actor: Any, data: dict[str, Any], stream: FundingStream | None = None, expected_version: int | None = None
) -> FundingStream:
    """Add a stream (``data["region"]`` one the actor keeps) or change one, its version unchanged."""
    _check_stream(data)
    pathways, areas = data.get("pathways", []), data.get("areas", [])
    fields = {name: data[name] if data.get(name) is not None else _empty(name) for name in STREAM_FIELDS}
    if stream is None:
        region = data["region"]
        if not access.regions_kept_by(actor).filter(pk=region.pk).exists():
            raise PermissionDenied
        stream = FundingStream.objects.create(region=region, **fields)
        stream.pathways.set(pathways)
        stream.areas.set(areas)
        audit_record(actor=actor, action="funding_stream.create", obj=stream, after=_stream_snapshot(stream))
        alert_published(source="funding_streams", key=str(stream.pk))
        return stream
    if not access.streams_editable_by(actor).filter(pk=stream.pk).exists():
        raise PermissionDenied
    before = _stream_snapshot(stream)
    save_if_unchanged(stream, expected_version=expected_version or 0, fields=fields)
    stream.pathways.set(pathways)
    stream.areas.set(areas)
    audit_record(actor=actor, action="funding_stream.update", obj=stream, before=before, after=_stream_snapshot(stream))
    return stream


def _empty(name: str) -> Any:
    return "" if name in {"eligibility", "url", "help_given", "helped_by", "criteria", "summary"} else None


def _bid_snapshot(bid: HelpedBid) -> dict[str, Any]:
    data = snapshot(bid)
    data["organisation"] = bid.organisation.name
    data["stream"] = str(bid.stream)
    return data


def _check_bid(data: dict[str, Any]) -> None:
    errors: dict[str, str] = {}
    if data.get("amount_asked") is not None and data["amount_asked"] <= 0:
        errors["amount_asked"] = "The amount asked for must be more than £0"
    won = data.get("outcome") == BidOutcome.WON
    awarded = data.get("amount_awarded")
    if won and (awarded is None or awarded <= 0):
        errors["amount_awarded"] = "Enter the amount awarded, more than £0, for a bid that was won"
    elif not won and awarded is not None:
        errors["amount_awarded"] = "Leave the amount awarded empty unless the bid was won"
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def helped_bid_save(
    *, actor: Any, data: dict[str, Any], bid: HelpedBid | None = None, expected_version: int | None = None
) -> HelpedBid:
    """Record a bid (for an organisation the actor helps) or what became of one."""
    _check_bid(data)
    fields = {name: data[name] if data.get(name) is not None else _empty(name) for name in BID_FIELDS}
    fields["outcome"] = fields["outcome"] or BidOutcome.WAITING
    if bid is None:
        organisation = data["organisation"]
        if not access.organisations_helped_by(actor).filter(pk=organisation.pk).exists():
            raise PermissionDenied
        bid = HelpedBid.objects.create(organisation=organisation, stream=data["stream"], recorded_by=actor, **fields)
        audit_record(actor=actor, action="helped_bid.create", obj=bid, after=_bid_snapshot(bid))
        return bid
    if not access.helped_bids_editable_by(actor).filter(pk=bid.pk).exists():
        raise PermissionDenied
    before = _bid_snapshot(bid)
    save_if_unchanged(bid, expected_version=expected_version or 0, fields=fields)
    audit_record(actor=actor, action="helped_bid.update", obj=bid, before=before, after=_bid_snapshot(bid))
    return bid


def _check_round(data: dict[str, Any], awarded: Decimal) -> None:
    errors: dict[str, str] = {}
    budget, max_award = data["budget"], data["max_award"]
    if budget <= 0:
        errors["budget"] = "The budget must be more than £0"
    elif budget < awarded:
        errors["budget"] = f"The budget cannot be less than the {pounds(awarded, 2)} already awarded in this round"
    if max_award <= 0:
        errors["max_award"] = "The largest grant must be more than £0"
    elif max_award > budget:
        errors["max_award"] = "The largest grant cannot be more than the budget"
    if data["opens_on"] > data["closes_on"]:
        errors["closes_on"] = "The closing date must be the same as or after the opening date"
    if data["closes_on"] > data["decisions_by"]:
        errors["decisions_by"] = "The date decisions are made by must be the same as or after the closing date"
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def round_save(
    *, actor: Any, data: dict[str, Any], grants_round: GrantsRound | None = None, expected_version: int | None = None
) -> GrantsRound:
    """Open a round in a region the actor keeps, or change one; its budget never below what it has awarded."""
    if grants_round is None:
        region = data["region"]
        if not access.regions_kept_by(actor).filter(pk=region.pk).exists():
            raise PermissionDenied
        fields = {name: data[name] for name in ROUND_FIELDS}
        _check_round(data, Decimal("0"))
        if GrantsRound.objects.filter(region=region, name=data["name"]).exists():
            raise ValidationError({"name": "Your region already has a round of that name: give this one another"})
        grants_round = GrantsRound.objects.create(region=region, **fields)
        audit_record(actor=actor, action="grants_round.create", obj=grants_round, after=snapshot(grants_round))
        # Open already: announced now. One that opens later is announced by the digest covering its opening day.
        alert_published(source="small_grants", key=str(grants_round.pk))
        return grants_round
    if not access.rounds_managed_by(actor).filter(pk=grants_round.pk).exists():
        raise PermissionDenied
    fields = {name: data[name] for name in ROUND_FIELDS}
    # Locked, so that no award lands between adding up the awards and saving the new budget.
    locked = GrantsRound.objects.select_for_update().get(pk=grants_round.pk)
    if locked.version != expected_version:
        raise StaleEdit()
    _check_round(data, locked.awarded_total())
    if GrantsRound.objects.filter(region_id=locked.region_id, name=data["name"]).exclude(pk=locked.pk).exists():
        raise ValidationError({"name": "Your region already has a round of that name: give this one another"})
    before = snapshot(locked)
    save_if_unchanged(locked, expected_version=locked.version, fields=fields)
    audit_record(actor=actor, action="grants_round.update", obj=locked, before=before, after=snapshot(locked))
    return locked


def _application_fields(data: dict[str, Any]) -> dict[str, Any]:
    """The application's fields from ``data``; the time it took is optional (not given: not said)."""
    return {name: data[name] for name in APPLICATION_FIELDS if name != "hours_taken" or name in data}


def _check_application(grants_round: GrantsRound, data: dict[str, Any]) -> None:
    errors: dict[str, str] = {}
    asked = data["amount_requested"]
    if asked <= 0:
        errors["amount_requested"] = "The amount asked for must be more than £0"
    elif asked > grants_round.max_award:
        errors["amount_requested"] = (
            f"The amount asked for cannot be more than this round's largest grant, {pounds(grants_round.max_award, 2)}"
        )
    if data.get("hours_taken") is not None and data["hours_taken"] < 0:
        errors["hours_taken"] = "The time must be 0 hours or more"
    if data["start_on"] > data["end_on"]:
        errors["end_on"] = "The end date must be the same as or after the start date"
    if errors:
        raise ValidationError(errors)


def _application_snapshot(application: GrantApplication) -> dict[str, Any]:
    data = snapshot(application)
    data["organisation"] = application.organisation.name
    data["round"] = application.round.name
    return data


@transaction.atomic
def application_save(
    *,
    actor: Any,
    data: dict[str, Any],
    grants_round: GrantsRound | None = None,
    application: GrantApplication | None = None,
    expected_version: int | None = None,
    today: datetime.date | None = None,
) -> GrantApplication:
    """Start the actor's organisation's application to ``grants_round`` (one per organisation per
    round, while the round takes applications) or change its draft."""
    today = today or timezone.localdate()
    if application is None:
        assert grants_round is not None
        org_id = access.applying_organisation_id(actor)
        if org_id is None or not access.may_apply(actor, grants_round):
            raise PermissionDenied
        fields = _application_fields(data)
        if not grants_round.takes_applications_on(today):
            raise ValidationError("This round is not taking applications now")
        _check_application(grants_round, data)
        lookup = {"round": grants_round, "organisation_id": org_id}
        loser = created_by_someone_else(
            GrantApplication,
            lookup=lookup,
            action="grant_application.create",
            did="started your organisation's application to this round",
            page=lambda existing: existing.get_absolute_url(),
        )
        with first_wins(loser):
            application = GrantApplication.objects.create(
                round=grants_round, organisation_id=org_id, created_by=actor, **fields
            )
        audit_record(
            actor=actor, action="grant_application.create", obj=application, after=_application_snapshot(application)
        )
        return application
    if not access.applications_editable_by(actor).filter(pk=application.pk).exists():
        raise PermissionDenied
    if not application.is_draft:
        raise ValidationError("This application has been submitted and can no longer be changed")
    fields = _application_fields(data)
    _check_application(application.round, data)
    before = _application_snapshot(application)
    save_if_unchanged(application, expected_version=expected_version or 0, fields=fields)
    audit_record(
        actor=actor,
        action="grant_application.update",
        obj=application,
        before=before,
        after=_application_snapshot(application),
    )
    return application


@transaction.atomic
def application_submit(
    *, actor: Any, application: GrantApplication, now: datetime.datetime | None = None
) -> GrantApplication:
    """Submit a draft while its round takes applications; it can no longer be changed."""
    now = now or timezone.now()
    if not access.applications_editable_by(actor).filter(pk=application.pk).exists():
        raise PermissionDenied
    locked = GrantApplication.objects.select_for_update().select_related("round").get(pk=application.pk)
    if not locked.is_draft:
        raise ValidationError("This application has already been submitted")
    if not locked.round.takes_applications_on(timezone.localtime(now).date()):
        raise ValidationError(
            f"This round closed on {locked.round.closes_on:%-d %B %Y}: it no longer takes applications"
        )
    before = _application_snapshot(locked)
    save_if_unchanged(
        locked,
        expected_version=locked.version,
        fields={"status": ApplicationStatus.SUBMITTED, "submitted_by": actor, "submitted_at": now},
    )
    audit_record(
        actor=actor, action="grant_application.submit", obj=locked, before=before, after=_application_snapshot(locked)
    )
    return locked


@transaction.atomic
def assess(
    *, actor: Any, application: GrantApplication, data: dict[str, Any], now: datetime.datetime | None = None
) -> Assessment:
    """The actor's assessment: a conflict declared (with what it is), or a score of 0 to 10 and a
    recommendation. Once per assessor; an assessor with a conflict scores nothing."""
    if not access.may_assess(actor, application):
        raise PermissionDenied
    conflict = bool(data["conflict"])
    errors: dict[str, str] = {}
    if conflict:
        if not (data.get("conflict_details") or "").strip():
            errors["conflict_details"] = "Say what your conflict of interest is"
        values = {"score": None, "recommendation": "", "comments": ""}
    else:
        score, recommendation = data.get("score"), data.get("recommendation") or ""
        if score is None or not 0 <= score <= 10:
            errors["score"] = "Enter a score from 0 to 10"
        if recommendation not in Recommendation.values:
            errors["recommendation"] = "Select whether you recommend an award or declining it"
        values = {"score": score, "recommendation": recommendation, "comments": data.get("comments") or ""}
    if errors:
        raise ValidationError(errors)
    assessment = Assessment.objects.create(
        application=application,
        assessor=actor,
        conflict=conflict,
        conflict_details=(data.get("conflict_details") or "").strip() if conflict else "",
        assessed_at=now or timezone.now(),
        **values,
    )
    audit_record(actor=actor, action="grant_application.assess", obj=application, after=snapshot(assessment))
    return assessment


@transaction.atomic
def decide(
    *,
    actor: Any,
    application: GrantApplication,
    award: bool,
    reasons: str,
    amount: Decimal | None = None,
    today: datetime.date | None = None,
) -> GrantApplication:
    """Award (an amount up to what was asked, within what is left of the budget) or decline, with
    reasons; the applying organisation's people are told."""
    if not access.may_decide(actor, application):
        raise PermissionDenied
    today = today or timezone.localdate()
    # The round first, then the application: every award takes the same lock in the same order.
    grants_round = GrantsRound.objects.select_for_update().get(pk=application.round_id)
    locked = GrantApplication.objects.select_for_update().get(pk=application.pk)
    if not locked.awaits_decision:
        raise ValidationError("This application has already been decided")
    errors: dict[str, str] = {}
    if not reasons.strip():
        errors["reasons"] = "Give the reasons for the decision; the applicant is told them"
    if award:
        left = grants_round.budget - grants_round.awarded_total()
        if amount is None or amount <= 0:
            errors["amount"] = "Enter the amount to award, more than £0"
        elif amount > locked.amount_requested:
            errors["amount"] = (
                f"The amount awarded cannot be more than the {pounds(locked.amount_requested, 2)} asked for"
            )
        elif amount > left:
            errors["amount"] = (
                f"Only {pounds(left, 2)} of this round's budget is left: the amount awarded cannot be more"
            )
    if errors:
        raise ValidationError(errors)
    before = _application_snapshot(locked)
    save_if_unchanged(
        locked,
        expected_version=locked.version,
        fields={
            "status": ApplicationStatus.AWARDED if award else ApplicationStatus.DECLINED,
            "amount_awarded": amount if award else None,
            "decision_reasons": reasons.strip(),
            "decided_by": actor,
            "decided_on": today,
        },
    )
    audit_record(
        actor=actor,
        action="grant_application.award" if award else "grant_application.decline",
        obj=locked,
        before=before,
        after=_application_snapshot(locked),
    )
    what = f"awarded {pounds(amount, 2)}" if award else "not awarded a grant"
    notify(
        event_key=f"grant-decision:{locked.pk}",
        kind="grant_decision",
        recipients=access.people_told_of_decision(locked),
        subject=f"Your application to {grants_round.name}: {'awarded' if award else 'declined'}",
        body=f"{locked.organisation.name}'s application “{locked.project_title}” to {grants_round.name} was {what}.\n\nReasons: {reasons.strip()}",
        link=locked.get_absolute_url(),
        why="You work for the organisation that applied.",
    )
    return locked


__all__ = [
    "StaleEdit",
    "application_save",
    "application_submit",
    "assess",
    "decide",
    "helped_bid_save",
    "round_save",
    "stream_save",
]
