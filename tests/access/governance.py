"""The access world's governance: Yorkshire and Humberside's action plan (Alice its owner), one
action owned by Bob and measured by the region's weighted share, one owned by a named person; the
steering group (Alice chair, Carol secretariat, Dave a VCS member, a named Clinks member) with a
meeting, a paper and a decision; and a working group nobody of the cast is a member of."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

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
    Rag,
    Status,
)
from tests.personas import Cast

PAPER = b"Quarterly report to the steering group.\n"


@dataclass
class Governance:
    plan: ActionPlan
    objective: Objective
    action: Action  # Bob's
    steering: Group
    working: Group
    meeting: Meeting
    paper: Paper
    decision: Decision


def build_governance(cast: Cast) -> Governance:
    now = timezone.now()
    plan = ActionPlan.objects.create(
        region=cast.region, title="VCS pathway action plan", owner=cast.alice, created_at=now
    )
    objective = Objective.objects.create(plan=plan, number=1, title="Improve offender access to VCS services")
    action = Action.objects.create(
        objective=objective,
        title="Raise the probation share to 5%",
        owner_user=cast.bob,
        due_on=datetime.date(2007, 3, 31),
        status=Status.IN_PROGRESS,
        rag=Rag.AMBER,
        figure="region-weighted-share",
        target=Decimal("5"),
        created_at=now,
    )
    Action.objects.create(
        objective=objective,
        title="Map the VCS services in each prison",
        owner_name="Clinks representative",
        due_on=datetime.date(2006, 12, 31),
        created_at=now,
    )
    steering = Group.objects.create(
        region=cast.region, name="Step Change Steering Group", kind=Group.Kind.STEERING, created_at=now
    )
    joined = datetime.date(2006, 4, 1)
    for user, sector, role in (
        (cast.alice, MemberSector.PUBLIC, MemberRole.CHAIR),
        (cast.carol, MemberSector.PUBLIC, MemberRole.SECRETARIAT),
        (cast.dave, MemberSector.VCS, MemberRole.MEMBER),
    ):
        Member.objects.create(group=steering, user=user, sector=sector, role=role, joined_on=joined)
    Member.objects.create(
        group=steering,
        name="Clinks representative",
        organisation_name="Clinks",
        sector=MemberSector.VCS,
        role=MemberRole.MEMBER,
        joined_on=joined,
    )
    working = Group.objects.create(
        region=cast.region, name="Race Equality Working Group", kind=Group.Kind.WORKING, created_at=now
    )
    meeting = Meeting.objects.create(
        group=steering, held_on=datetime.date(2006, 9, 14), title="Quarterly meeting", created_at=now
    )
    paper = Paper.objects.create(
        meeting=meeting,
        title="Quarterly report",
        display_name="report.txt",
        file_format="text",
        content_type="text/plain; charset=utf-8",
        content=PAPER,
        size=len(PAPER),
        sha256="0" * 64,
        uploaded_at=now,
    )
    decision = Decision.objects.create(
        meeting=meeting, text="Ask each area for its sub-contracting plan", recorded_at=now
    )
    return Governance(
        plan=plan,
        objective=objective,
        action=action,
        steering=steering,
        working=working,
        meeting=meeting,
        paper=paper,
        decision=decision,
    )
