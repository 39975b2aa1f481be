"""Community-engagement records for the tests: links, requirements and actions made straight in
the database (the services are tested on their own)."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from stepchange.core.models import Pathway
from stepchange.engagement.models import Action, Link, Requirement, ServedGroup
from stepchange.organisations.models import Commissioner


def group(code: str) -> ServedGroup:
    return ServedGroup.objects.get(code=code)


def pathway(code: str) -> Pathway:
    return Pathway.objects.get(code=code)


def make_link(
    establishment: Commissioner,
    name: str,
    *,
    groups: tuple[str, ...] = (),
    pathways: tuple[str, ...] = (),
    started_on: datetime.date = datetime.date(2006, 6, 1),
    ended_on: datetime.date | None = None,
    **fields: Any,
) -> Link:
    link = Link.objects.create(
        establishment=establishment,
        partner_name=name,
        started_on=started_on,
        ended_on=ended_on,
        created_at=timezone.now(),
        **fields,
    )
    link.groups.set([group(code) for code in groups])
    link.pathways.set([pathway(code) for code in pathways])
    return link


def make_requirement(
    establishment: Commissioner, *, group_code: str = "", pathway_code: str = "", priority: str = "high"
) -> Requirement:
    return Requirement.objects.create(
        establishment=establishment,
        group=group(group_code) if group_code else None,
        pathway=pathway(pathway_code) if pathway_code else None,
        description=f"Links serving {group_code or pathway_code}",
        priority=priority,
        created_at=timezone.now(),
    )


def make_action(requirement: Requirement, description: str = "Invite the BME Panel to the VCS fair") -> Action:
    return Action.objects.create(
        requirement=requirement, description=description, owner="VCS co-ordinator", due_on=datetime.date(2007, 9, 30)
    )
