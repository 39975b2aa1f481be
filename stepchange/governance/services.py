"""Every write of governance: keyword-only, one transaction and one audit event each, each asking
``access`` first. An action carries a version: two people changing it at once, the second is
refused (``StaleEdit``) and nothing is overwritten; a progress note bumps it too, since it sets the
action's current RAG."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from stepchange.commissioning.models import StoredDocument
from stepchange.core.audit import audit_record, snapshot
from stepchange.core.concurrency import StaleEdit
from stepchange.core.models import Region
from stepchange.core.uploads import UploadRefused, check_document
from stepchange.governance import access, figures, selectors
from stepchange.governance.models import (
    Action,
    ActionPlan,
    Decision,
    Group,
    Meeting,
    Member,
    MemberRole,
    MemberSector,
    Objective,
    Paper,
    ProgressNote,
    Rag,
    Status,
)

PLAN_OWNERS = "Only the region's regional commissioners change its action plan."
GROUP_OWNERS = "Only the region's regional commissioners change its groups."


def _now(now: datetime.datetime | None) -> datetime.datetime:
    return now or timezone.now()


def _text(value: str, *, field: str, what: str, limit: int) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: f"Enter {what}"})
    if len(value) > limit:
        raise ValidationError({field: f"{what[0].upper()}{what[1:]} must be {limit} characters or fewer"})
    return value


# --- Plans, objectives, actions -------------------------------------------------------------------


@transaction.atomic
def plan_create(*, actor: Any, region: Region, title: str, now: datetime.datetime | None = None) -> ActionPlan:
    if not access.may_create_plan(actor) or access.region_of(actor) != region.pk:
        raise PermissionDenied("Only a regional commissioner sets up an action plan, for their own region.")
    title = _text(title, field="title", what="the plan's title", limit=200)
    if ActionPlan.objects.filter(region=region, title__iexact=title).exists():
        raise ValidationError({"title": "The region already has an action plan of that title"})
    plan = ActionPlan.objects.create(region=region, title=title, owner=actor, created_at=_now(now))
    audit_record(actor=actor, action="governance.plan_create", obj=plan, after=snapshot(plan))
    return plan


@transaction.atomic
def objective_add(*, actor: Any, plan: ActionPlan, number: int, title: str) -> Objective:
    if not access.may_manage_plan(actor, plan):
        raise PermissionDenied(PLAN_OWNERS)
    title = _text(title, field="title", what="the objective", limit=500)
    if number < 1:
        raise ValidationError({"number": "The objective's number must be 1 or more"})
    if plan.objectives.filter(number=number).exists():
        raise ValidationError({"number": f"The plan already has an objective {number}"})
    try:
        with transaction.atomic():
            objective = Objective.objects.create(plan=plan, number=number, title=title)
    except IntegrityError:
        raise ValidationError({"number": f"The plan already has an objective {number}"}) from None
    audit_record(actor=actor, action="governance.objective_add", obj=objective, after=snapshot(objective))
    return objective


def _action_fields(plan: ActionPlan, data: dict[str, Any]) -> dict[str, Any]:
    """The checked fields of a new action (see ``action_add``)."""
    owner_user = data.get("owner_user")
    owner_name = (data.get("owner_name") or "").strip()
    if owner_user is None and not owner_name:
        raise ValidationError(
            {"owner_user": "Choose the action's owner, or enter the name of someone not on the service"}
        )
    if owner_user is not None and not selectors.people_of(plan.region_id).filter(pk=owner_user.pk).exists():
        raise ValidationError({"owner_user": "Choose someone who works in the plan's region"})
    figure = data.get("figure") or ""
    area = data.get("figure_area")
    target = data.get("target")
    if figure:
        if figure not in figures.FIGURES:
            raise ValidationError({"figure": "Choose a figure from the list"})
        if target is None:
            raise ValidationError({"target": "Enter the target the figure should reach"})
        if target < 0:
            raise ValidationError({"target": "The target must be 0 or more"})
        if figures.FIGURES[figure].needs_area:
            if area is None:
                raise ValidationError({"figure_area": "Choose the probation area whose share the action is about"})
            if not selectors.probation_areas_of(plan.region_id).filter(pk=area.pk).exists():
                raise ValidationError({"figure_area": "Choose a probation area of the plan's region"})
        else:
            area = None
    else:
        area, target = None, None
    status = data.get("status") or Status.NOT_STARTED
    rag = data.get("rag") or Rag.AMBER
    if status not in Status.values:
        raise ValidationError({"status": "Choose the action's status"})
    if rag not in Rag.values:
        raise ValidationError({"rag": "Choose the action's RAG rating"})
    return {
        "title": _text(data.get("title", ""), field="title", what="the action", limit=500),
        "owner_user": owner_user,
        "owner_name": "" if owner_user is not None else owner_name[:200],
        "due_on": data["due_on"],
        "status": status,
        "rag": rag,
        "figure": figure,
        "figure_area": area,
        "target": target,
    }


@transaction.atomic
def action_add(
    *,
    actor: Any,
    objective: Objective,
    data: dict[str, Any],
    decision: Decision | None = None,
    now: datetime.datetime | None = None,
) -> Action:
    """A new action under an objective. ``data``: title, owner_user or owner_name, due_on, status,
    rag, figure (a key of ``figures.FIGURES`` or ""), figure_area, target. ``decision``: the
    meeting's decision it arises from."""
    plan = objective.plan
    if not access.may_manage_plan(actor, plan):
        raise PermissionDenied(PLAN_OWNERS)
    fields = _action_fields(plan, data)
    meeting = None
    if decision is not None:
        meeting = decision.meeting
        if meeting.group.region_id != plan.region_id:
            raise ValidationError("The meeting is of another region's group")
    action = Action.objects.create(
        objective=objective, meeting=meeting, decision=decision, created_at=_now(now), **fields
    )
    audit_record(actor=actor, action="governance.action_add", obj=action, after=snapshot(action))
    return action


@transaction.atomic
def action_update(*, actor: Any, action: Action, status: str, rag: str, due_on: datetime.date, version: int) -> Action:
    """Its status, RAG and due date: by the plan's owners or the action's own owner."""
    action = Action.objects.select_for_update().select_related("objective__plan").get(pk=action.pk)
    if not access.may_update_action(actor, action):
        raise PermissionDenied("Only the plan's owners and the action's owner change it.")
    if action.version != version:
        raise StaleEdit()
    if status not in Status.values:
        raise ValidationError({"status": "Choose the action's status"})
    if rag not in Rag.values:
        raise ValidationError({"rag": "Choose the action's RAG rating"})
    before = snapshot(action)
    action.status, action.rag, action.due_on = status, rag, due_on
    action.version += 1
    action.save(update_fields=["status", "rag", "due_on", "version"])
    audit_record(actor=actor, action="governance.action_update", obj=action, before=before, after=snapshot(action))
    return action


@transaction.atomic
def note_add(
    *,
    actor: Any,
    action: Action,
    year: str,
    quarter: int,
    text: str,
    rag: str,
    version: int,
    now: datetime.datetime | None = None,
) -> ProgressNote:
    """A quarter's progress note; its RAG becomes the action's current RAG. Earlier notes stay."""
    action = Action.objects.select_for_update().select_related("objective__plan").get(pk=action.pk)
    if not access.may_update_action(actor, action):
        raise PermissionDenied("Only the plan's owners and the action's owner note its progress.")
    if action.version != version:
        raise StaleEdit()
    if rag not in Rag.values:
        raise ValidationError({"rag": "Choose the RAG rating at this quarter"})
    if quarter not in (1, 2, 3, 4):
        raise ValidationError({"quarter": "Choose the quarter"})
    if not (
        len(year) == 7 and year[4] == "-" and year[:4].isdigit() and year[5:] == f"{(int(year[:4]) + 1) % 100:02d}"
    ):
        raise ValidationError({"year": "Enter the financial year like 2006-07"})
    note = ProgressNote.objects.create(
        action=action,
        year=year,
        quarter=quarter,
        text=_text(text, field="text", what="the progress made", limit=10000),
        rag=rag,
        written_by=actor if getattr(actor, "pk", None) else None,
        written_at=_now(now),
    )
    action.rag = rag
    action.version += 1
    action.save(update_fields=["rag", "version"])
    audit_record(actor=actor, action="governance.note_add", obj=note, after=snapshot(note) | {"action_rag": rag})
    return note


# --- Groups, members, meetings, papers, decisions -------------------------------------------------


@transaction.atomic
def group_create(
    *, actor: Any, region: Region, name: str, kind: str, purpose: str, now: datetime.datetime | None = None
) -> Group:
    if not access.may_create_group(actor) or access.region_of(actor) != region.pk:
        raise PermissionDenied("Only a regional commissioner sets up a group, in their own region.")
    name = _text(name, field="name", what="the group's name", limit=200)
    if kind not in Group.Kind.values:
        raise ValidationError({"kind": "Choose what kind of group it is"})
    if Group.objects.filter(region=region, name__iexact=name).exists():
        raise ValidationError({"name": "The region already has a group of that name"})
    group = Group.objects.create(
        region=region, name=name, kind=kind, purpose=(purpose or "").strip(), created_at=_now(now)
    )
    audit_record(actor=actor, action="governance.group_create", obj=group, after=snapshot(group))
    return group


@transaction.atomic
def member_add(
    *,
    actor: Any,
    group: Group,
    user: Any,
    name: str,
    organisation_name: str,
    sector: str,
    role: str,
    joined_on: datetime.date,
) -> Member:
    if not access.may_manage_group(actor, group):
        raise PermissionDenied(GROUP_OWNERS)
    name, organisation_name = (name or "").strip(), (organisation_name or "").strip()
    if user is None and not name:
        raise ValidationError({"user": "Choose a person on the service, or enter the member's name"})
    if user is not None:
        if not selectors.people_of(group.region_id).filter(pk=user.pk).exists():
            raise ValidationError({"user": "Choose someone who works in the group's region"})
        if group.members.filter(user=user).exists():
            raise ValidationError({"user": f"{user.get_full_name() or user.get_username()} is already a member"})
        name, organisation_name = "", ""
    if sector not in MemberSector.values:
        raise ValidationError({"sector": "Choose the member's sector"})
    if role not in MemberRole.values:
        raise ValidationError({"role": "Choose the member's role"})
    member = Member.objects.create(
        group=group,
        user=user,
        name=name[:200],
        organisation_name=organisation_name[:200],
        sector=sector,
        role=role,
        joined_on=joined_on,
    )
    audit_record(actor=actor, action="governance.member_add", obj=member, after=snapshot(member))
    return member


@transaction.atomic
def meeting_add(
    *,
    actor: Any,
    group: Group,
    held_on: datetime.date,
    title: str,
    minutes: str,
    now: datetime.datetime | None = None,
) -> Meeting:
    if not access.may_run_meetings(actor, group):
        raise PermissionDenied("Only the group's secretariat and the regional team record its meetings.")
    meeting = Meeting.objects.create(
        group=group,
        held_on=held_on,
        title=_text(title, field="title", what="the meeting's title", limit=200),
        minutes=(minutes or "").strip(),
        created_at=_now(now),
    )
    audit_record(actor=actor, action="governance.meeting_add", obj=meeting, after=snapshot(meeting))
    return meeting


def _paper_snapshot(paper: StoredDocument) -> dict[str, Any]:
    """Never the bytes: their SHA-256 instead."""
    return {
        "id": paper.pk,
        "title": paper.title,
        "file": paper.display_name,
        "format": paper.file_format,
        "size": paper.size,
        "sha256": paper.sha256,
    }


@transaction.atomic
def paper_add(*, actor: Any, meeting: Meeting, title: str, upload: Any, now: datetime.datetime | None = None) -> Paper:
    """A meeting's paper, checked whole (``core.uploads.check_document``) and stored whole or not at all."""
    if not access.may_run_meetings(actor, meeting.group):
        raise PermissionDenied("Only the group's secretariat and the regional team add its papers.")
    title = _text(title, field="title", what="the paper's title", limit=200)
    if upload is None:
        raise ValidationError({"file": "Choose a file to upload"})
    try:
        checked = check_document(upload)
    except UploadRefused as refused:
        raise ValidationError({"file": str(refused)}) from None
    paper = Paper.objects.create(
        meeting=meeting,
        title=title,
        display_name=checked.display_name,
        file_format=checked.kind,
        content_type=checked.content_type,
        content=checked.content,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=actor if getattr(actor, "pk", None) else None,
        uploaded_at=_now(now),
    )
    audit_record(actor=actor, action="governance.paper_add", obj=paper, after=_paper_snapshot(paper))
    return paper


@transaction.atomic
def decision_add(
    *,
    actor: Any,
    meeting: Meeting,
    text: str,
    objective: Objective | None = None,
    action: dict[str, Any] | None = None,
    now: datetime.datetime | None = None,
) -> Decision:
    """A decision of a meeting; with ``objective`` and ``action`` (the fields of ``action_add``), the
    action it adds to the region's plan, recording the meeting it came from. One audit event, the
    decision's, naming the action."""
    if not access.may_run_meetings(actor, meeting.group):
        raise PermissionDenied("Only the group's secretariat and the regional team record its decisions.")
    decision = Decision.objects.create(
        meeting=meeting, text=_text(text, field="text", what="the decision", limit=10000), recorded_at=_now(now)
    )
    after = snapshot(decision)
    if objective is not None and action is not None:
        plan = objective.plan
        if not access.may_manage_plan(actor, plan):
            raise PermissionDenied(PLAN_OWNERS)
        if plan.region_id != meeting.group.region_id:
            raise ValidationError({"objective": "Choose an objective of the group's region's plan"})
        fields = _action_fields(plan, action)
        added = Action.objects.create(
            objective=objective, meeting=meeting, decision=decision, created_at=_now(now), **fields
        )
        after["action"] = snapshot(added)
    audit_record(actor=actor, action="governance.decision_add", obj=decision, after=after)
    return decision
