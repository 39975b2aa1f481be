"""Asking and answering monitoring requests: one transaction and one audit event each."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from stepchange.burden import access
from stepchange.burden.models import MonitoringRequest, Topic
from stepchange.contracts.models import Contract
from stepchange.core.audit import audit_record, snapshot
from stepchange.core.concurrency import already_done, save_if_unchanged

LONGEST_ANSWER = 5000


@transaction.atomic
def monitoring_ask(
    *,
    actor: Any,
    contract: Contract,
    period_start: datetime.date,
    period_end: datetime.date,
    due_on: datetime.date,
    topics: list[str],
    own_question: str = "",
    now: datetime.datetime | None = None,
) -> MonitoringRequest:
    """Ask the contract's prime for monitoring information for a period: at least one topic or a
    question in the asker's own words; the period in order; due on or after the day it is asked."""
    if not access.contracts_askable_by(actor).filter(pk=contract.pk).exists():
        raise PermissionDenied
    now = now or timezone.now()
    own_question = own_question.strip()
    errors: dict[str, str] = {}
    unknown = [t for t in topics if t not in Topic.values]
    if unknown:
        errors["topics"] = f"{unknown[0]!r} is not one of the topics: choose from the list"
    elif not topics and not own_question:
        errors["topics"] = "Choose at least one topic, or write your own question"
    if period_start > period_end:
        errors["period_end"] = "The end of the period must be the same as or after its start"
    if due_on < timezone.localdate(now):
        errors["due_on"] = "The date it is due must be today or later"
    if errors:
        raise ValidationError(errors)
    request = MonitoringRequest.objects.create(
        contract=contract,
        period_start=period_start,
        period_end=period_end,
        due_on=due_on,
        topics=[t.value for t in Topic if t.value in topics],
        own_question=own_question,
        asked_by=actor,
        asked_at=now,
    )
    audit_record(actor=actor, action="monitoring_request.ask", obj=request, after=snapshot(request))
    return request


@transaction.atomic
def monitoring_answer(
    *,
    actor: Any,
    request: MonitoringRequest,
    expected_version: int,
    answers: dict[str, str],
    hours_taken: Decimal | None,
    now: datetime.datetime | None = None,
) -> MonitoringRequest:
    """The prime's answer to every question asked, and the time it took (None: not said, never 0).
    Once answered it is not answered again: a second answer is refused, saying who answered."""
    locked = MonitoringRequest.objects.select_for_update().get(pk=request.pk)
    if locked.is_answered:
        raise already_done(locked, did="answered this request", by=locked.answered_by, at=locked.answered_at)
    if not access.may_answer(actor, locked):
        raise PermissionDenied
    errors: dict[str, str] = {}
    cleaned: dict[str, str] = {}
    for key, question in locked.questions():
        text = (answers.get(key) or "").strip()
        if not text:
            errors[f"answer-{key}"] = f"Answer: {question}"
        elif len(text) > LONGEST_ANSWER:
            errors[f"answer-{key}"] = f"The answer must be {LONGEST_ANSWER:,} characters or fewer"
        cleaned[key] = text
    if hours_taken is not None and hours_taken < 0:
        errors["hours_taken"] = "The time must be 0 hours or more"
    if errors:
        raise ValidationError(errors)
    before = snapshot(locked)
    save_if_unchanged(
        locked,
        expected_version=expected_version,
        fields={
            "answers": cleaned,
            "hours_taken": hours_taken,
            "answered_by": actor,
            "answered_at": now or timezone.now(),
        },
    )
    audit_record(actor=actor, action="monitoring_request.answer", obj=locked, before=before, after=snapshot(locked))
    return locked
