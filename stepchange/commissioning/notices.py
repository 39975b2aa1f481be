"""Who is told of what in commissioning, and why: the notifications of the commissioning events.

The services call these inside their own transaction; each event has its own key, so a service
retried (or a daily command run twice) tells nobody twice. Who is told is decided by the
commissioning app's access functions (``people_told_for``, ``people_invited_by``,
``people_managing``).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from stepchange.commissioning import access
from stepchange.commissioning.models import BidderNotice, BiddingPartnership, Challenge, Opportunity, PartnershipMember
from stepchange.notifications.services import notify


def _on_team(partnership: BiddingPartnership) -> str:
    return f"You are on the bid team of {partnership.name} for {partnership.opportunity.title}."


def bidder_notice(notice: BidderNotice, *, kind: str) -> None:
    """A notice to a partnership (a change, an outcome, an answer, a survey), to its bid team."""
    partnership = notice.partnership
    notify(
        event_key=f"bidder-notice:{notice.pk}",
        kind=kind,
        recipients=access.people_told_for(partnership),
        subject=notice.subject,
        body=notice.body,
        link=partnership.get_absolute_url(),
        why=_on_team(partnership),
        now=notice.sent_at,
    )


def partnership_invited(member: PartnershipMember) -> None:
    partnership = member.partnership
    notify(
        event_key=f"partnership-invitation:{member.pk}",
        kind="partnership_invitation",
        recipients=access.people_invited_by(member),
        subject=f"{member.organisation.name} is invited to bid with {partnership.name}",
        body=f"{partnership.lead.name} invites {member.organisation.name} to join its partnership bidding for "
        f"{partnership.opportunity.title}, as {member.role} with a {member.share}% share. "
        "Someone from your organisation must confirm the membership before it counts.",
        link=partnership.get_absolute_url(),
        why=f"You are a provider's person at {member.organisation.name}, the organisation invited.",
        now=member.invited_at,
    )


def challenge_raised(challenge: Challenge) -> None:
    opportunity = challenge.award.opportunity
    due = timezone.localtime(challenge.answer_due)
    notify(
        event_key=f"challenge-raised:{challenge.pk}",
        kind="challenge_raised",
        recipients=access.people_managing(opportunity),
        subject=f"The award of {opportunity.title} has been challenged",
        body=f"{challenge.partnership.name} challenges the award:\n{challenge.grounds}\n"
        f"Answer it by {due:%-d %B %Y %H:%M}.",
        link=opportunity.get_absolute_url(),
        why=f"You manage {opportunity.commissioner.name}'s opportunities.",
        now=challenge.raised_at,
    )


def feedback_published(opportunity: Opportunity, partnerships: list[BiddingPartnership]) -> None:
    for partnership in partnerships:
        notify(
            event_key=f"feedback-published:{opportunity.pk}:{partnership.pk}",
            kind="feedback_published",
            recipients=access.people_told_for(partnership),
            subject=f"The feedback summary of {opportunity.title} is published",
            body="The anonymous summary of what bidders said about the process is on the opportunity's page.",
            link=opportunity.get_absolute_url(),
            why=_on_team(partnership),
            now=opportunity.feedback_published_at,
        )


def stage_deadline(partnership: BiddingPartnership, stage: Any, *, now: datetime.datetime) -> int:
    """A stage the partnership may bid at closes soon and its bid is not in; keyed by the deadline,
    so a moved deadline is told again. Returns how many people were told now."""
    deadline = timezone.localtime(stage.deadline)
    rows = notify(
        event_key=f"stage-deadline:{stage.pk}:{partnership.pk}:{stage.deadline.isoformat()}",
        kind="stage_deadline",
        recipients=access.people_told_for(partnership),
        subject=f"Stage {stage.number} of {stage.opportunity.title} closes {deadline:%-d %B %Y %H:%M}",
        body=f"Your partnership's bid for stage {stage.number} ({stage.name}) is not submitted. "
        f"It must be submitted by {deadline:%-d %B %Y %H:%M}.",
        link=partnership.get_absolute_url(),
        why=_on_team(partnership),
        now=now,
    )
    return len(rows)
