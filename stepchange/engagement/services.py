"""Every write of community engagement: keyword-only, one transaction and one audit event each,
each asking ``access`` first. A link and an action carry a version: two people editing one at
once, the second save is refused (``StaleEdit``) and nothing is overwritten."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from stepchange.core.audit import audit_record, snapshot
from stepchange.core.concurrency import StaleEdit
from stepchange.engagement import access, selectors
from stepchange.engagement.models import LINK_FIELDS, Action, Link, Requirement, Review
from stepchange.organisations.models import Commissioner

KEEPERS_ONLY = "Only the establishment's VCS co-ordinator keeps its community-engagement records."


def _keeps(actor: Any, establishment: Commissioner) -> None:
    if not access.may_keep_records(actor, establishment):
        raise PermissionDenied(KEEPERS_ONLY)


def _locked_link(link: Link, version: int) -> Link:
    link = Link.objects.select_for_update().select_related("establishment__organisation").get(pk=link.pk)
    if link.version != version:
        raise StaleEdit()
    return link


def _set_fields(link: Link, data: dict[str, Any]) -> None:
    for name, _label in LINK_FIELDS:
        value = data.get(name) or ""
        setattr(link, name, value.strip())
    link.organisation = data.get("organisation")
    link.started_on = data["started_on"]


@transaction.atomic
def link_create(
    *, actor: Any, establishment: Commissioner, data: dict[str, Any], now: datetime.datetime | None = None
) -> Link:
    _keeps(actor, establishment)
    link = Link(establishment=establishment, created_by=actor, created_at=now or timezone.now())
    _set_fields(link, data)
    link.save()
    link.groups.set(data.get("groups") or [])
    link.pathways.set(data.get("pathways") or [])
    audit_record(actor=actor, action="engagement.link_create", obj=link, after=snapshot(link))
    return link


@transaction.atomic
def link_update(*, actor: Any, link: Link, data: dict[str, Any], version: int) -> Link:
    link = _locked_link(link, version)
    _keeps(actor, link.establishment)
    if link.ended_on is not None and data["started_on"] > link.ended_on:
        raise ValidationError(f"The link ended on {link.ended_on:%-d/%-m/%Y}: it must start on or before then")
    before = snapshot(link)
    _set_fields(link, data)
    link.version += 1
    link.save()
    link.groups.set(data.get("groups") or [])
    link.pathways.set(data.get("pathways") or [])
    audit_record(actor=actor, action="engagement.link_update", obj=link, before=before, after=snapshot(link))
    return link


@transaction.atomic
def link_review(
    *,
    actor: Any,
    link: Link,
    reviewed_on: datetime.date,
    notes: str,
    version: int,
    now: datetime.datetime | None = None,
) -> Review:
    """Record this year's review of the link: its fields as they stand today are kept with it."""
    link = _locked_link(link, version)
    _keeps(actor, link.establishment)
    today = timezone.localdate(now) if now else timezone.localdate()
    if reviewed_on > today:
        raise ValidationError("The review date must be today or in the past")
    if reviewed_on < link.started_on:
        raise ValidationError(f"The review date must be on or after the link started ({link.started_on:%-d/%-m/%Y})")
    last = link.reviews.first()
    if last is not None and reviewed_on < last.reviewed_on:
        raise ValidationError(f"The review date must be on or after the last review ({last.reviewed_on:%-d/%-m/%Y})")
    review = Review.objects.create(
        link=link,
        reviewed_on=reviewed_on,
        reviewed_by=actor,
        notes=notes.strip(),
        fields=selectors.link_fields(link),
        recorded_at=now or timezone.now(),
    )
    link.version += 1
    link.save(update_fields=["version"])
    audit_record(actor=actor, action="engagement.link_review", obj=review, after=snapshot(review))
    return review


@transaction.atomic
def link_end(*, actor: Any, link: Link, ended_on: datetime.date, reason: str, version: int) -> Link:
    link = _locked_link(link, version)
    _keeps(actor, link.establishment)
    if link.ended_on is not None:
        raise ValidationError(f"The link already ended on {link.ended_on:%-d/%-m/%Y}")
    if ended_on < link.started_on:
        raise ValidationError(f"The end date must be on or after the link started ({link.started_on:%-d/%-m/%Y})")
    before = snapshot(link)
    link.ended_on = ended_on
    link.end_reason = reason.strip()
    link.version += 1
    link.save(update_fields=["ended_on", "end_reason", "version"])
    audit_record(actor=actor, action="engagement.link_end", obj=link, before=before, after=snapshot(link))
    return link


@transaction.atomic
def requirement_create(
    *, actor: Any, establishment: Commissioner, data: dict[str, Any], now: datetime.datetime | None = None
) -> Requirement:
    _keeps(actor, establishment)
    group, pathway = data.get("group"), data.get("pathway")
    if (group is None) == (pathway is None):
        raise ValidationError("Choose either a group or a pathway for the requirement, not both")
    requirement = Requirement.objects.create(
        establishment=establishment,
        group=group,
        pathway=pathway,
        description=data["description"].strip(),
        priority=data["priority"],
        created_at=now or timezone.now(),
    )
    audit_record(actor=actor, action="engagement.requirement_create", obj=requirement, after=snapshot(requirement))
    return requirement


@transaction.atomic
def action_create(*, actor: Any, requirement: Requirement, data: dict[str, Any]) -> Action:
    _keeps(actor, requirement.establishment)
    action = Action.objects.create(
        requirement=requirement,
        description=data["description"].strip(),
        owner=data["owner"].strip(),
        due_on=data["due_on"],
        status=data["status"],
    )
    audit_record(actor=actor, action="engagement.action_create", obj=action, after=snapshot(action))
    return action


@transaction.atomic
def action_update(*, actor: Any, action: Action, data: dict[str, Any], version: int) -> Action:
    action = Action.objects.select_for_update().select_related("requirement__establishment").get(pk=action.pk)
    if action.version != version:
        raise StaleEdit()
    _keeps(actor, action.requirement.establishment)
    before = snapshot(action)
    action.description = data["description"].strip()
    action.owner = data["owner"].strip()
    action.due_on = data["due_on"]
    action.status = data["status"]
    action.version += 1
    action.save()
    audit_record(actor=actor, action="engagement.action_update", obj=action, before=before, after=snapshot(action))
    return action


@transaction.atomic
def review_approve(*, actor: Any, review: Review, comment: str, now: datetime.datetime | None = None) -> Review:
    """The area office analyst approves a link's annual review, once, with an optional comment."""
    review = Review.objects.select_for_update().get(pk=review.pk)
    if review.approved_at is not None:
        raise ValidationError("This review has already been approved")
    if not access.may_approve_review(actor, review):
        raise PermissionDenied("Only the area office analyst of the establishment's region approves its reviews.")
    before = snapshot(review)
    review.approved_by = actor
    review.approved_at = now or timezone.now()
    review.analyst_comment = comment.strip()
    review.save(update_fields=["approved_by", "approved_at", "analyst_comment"])
    audit_record(actor=actor, action="engagement.review_approve", obj=review, before=before, after=snapshot(review))
    return review
