"""The bidder survey: invitations when an opportunity closes, anonymous answers, the published summary."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from stepchange.commissioning import access, notices
from stepchange.commissioning.models import (
    Opportunity,
    SurveyInvitation,
    SurveyResponse,
)
from stepchange.commissioning.services._common import (
    _bidders,
    _managed,
    _notify,
    _now,
    opportunity_snapshot,
)
from stepchange.core.audit import audit_record
from stepchange.core.concurrency import already_done, save_if_unchanged


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
    """Publish the anonymous summary; not while a stage is sealed, when even whether anyone
    answered would tell the commissioner that someone had bid."""
    _managed(actor, opportunity)
    if opportunity.feedback_published_at is not None:
        raise already_done(
            opportunity, actions=["feedback_publish"], did="published the feedback summary", then="here it is."
        )
    if not access.survey_counts_told(opportunity, now=_now(now)):
        raise ValidationError(
            {"feedback": "The feedback summary can be published once the deadline of every stage has passed."}
        )
    if not opportunity.survey_responses.exists():
        raise ValidationError({"feedback": "No bidder has answered the survey yet."})
    before = opportunity_snapshot(opportunity)
    save_if_unchanged(opportunity, expected_version=opportunity.version, fields={"feedback_published_at": _now(now)})
    audit_record(
        actor=actor, action="feedback_publish", obj=opportunity, before=before, after=opportunity_snapshot(opportunity)
    )
    notices.feedback_published(opportunity, _bidders(opportunity))
    return opportunity
