"""Who may see and do what with sub-contracting plans: the only place that decides it.

- a probation contracts manager: their own area's plans, to see, draft, change while a draft or
  sent back, submit, and revise once approved (``may_draft_plan``, ``may_change_version``,
  ``may_revise_plan``);
- a regional commissioner: every plan of their region's probation areas, to see, and to approve
  or send back once submitted (``may_decide_version``); they draft none, the plan is the area's;
- the national administrator: every region's plans and roll-ups, to read;
- a Django superuser: everything;
- prisons, providers, evaluators, analysts, infrastructure bodies and the public: none.

The regional roll-up (each area's projected share side by side) is for the regional commissioner
of the region, the national administrator and a superuser (``may_see_rollup``).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from stepchange.core import access
from stepchange.core.models import Region
from stepchange.core.roles import Role
from stepchange.organisations.models import Commissioner, CommissionerKind
from stepchange.plans.models import Plan, PlanVersion, Status


def _own_area(user: Any) -> Commissioner | None:
    if not access.has_role(user, Role.PROBATION_MANAGER):
        return None
    commissioner = access.own_commissioner(user)
    if commissioner is None or commissioner.kind != CommissionerKind.PROBATION:
        return None
    return commissioner


def reads_every_region(user: Any) -> bool:
    return access.is_superuser(user) or access.is_national_admin(user)


def plans_visible_to(user: Any) -> QuerySet[Plan]:
    if not access.is_signed_in(user):
        return Plan.objects.none()
    if reads_every_region(user):
        return Plan.objects.all()
    if access.is_regional_commissioner(user):
        region_id = access.user_region_id(user)
        return Plan.objects.filter(area__region_id=region_id) if region_id else Plan.objects.none()
    area = _own_area(user)
    if area is not None:
        return Plan.objects.filter(area=area)
    return Plan.objects.none()


def versions_visible_to(user: Any) -> QuerySet[PlanVersion]:
    return PlanVersion.objects.filter(plan__in=plans_visible_to(user))


def may_use_plans(user: Any) -> bool:
    """Whether the navigation offers plans: to the people whose daily work they are, the areas'
    probation managers and the regional commissioners."""
    return _own_area(user) is not None or (
        access.is_regional_commissioner(user) and access.user_region_id(user) is not None
    )


def areas_drafted_by(user: Any) -> QuerySet[Commissioner]:
    """The probation areas this person may start a plan for: their own; a superuser any."""
    areas = Commissioner.objects.filter(kind=CommissionerKind.PROBATION).select_related("organisation")
    if access.is_superuser(user):
        return areas
    area = _own_area(user)
    return areas.filter(pk=area.pk) if area is not None else areas.none()


def may_draft_plan(user: Any, plan: Plan) -> bool:
    """The area's own probation manager (and a superuser) drafts, changes, submits and revises."""
    return areas_drafted_by(user).filter(pk=plan.area_id).exists()


def may_change_version(user: Any, version: PlanVersion) -> bool:
    """A version is changed by its area while it is a draft or sent back, and only the latest."""
    return (
        version.is_open
        and may_draft_plan(user, version.plan)
        and not version.plan.versions.filter(number__gt=version.number).exists()
    )


def may_submit_version(user: Any, version: PlanVersion) -> bool:
    return may_change_version(user, version)


def may_decide_version(user: Any, version: PlanVersion) -> bool:
    """The regional commissioner of the area's region approves or sends back a submitted version."""
    if version.status != Status.SUBMITTED:
        return False
    if access.is_superuser(user):
        return True
    return access.is_regional_commissioner(user) and access.user_region_id(user) == version.plan.area.region_id


def may_revise_plan(user: Any, plan: Plan) -> bool:
    """An approved plan is revised in the year by its area: a new version, once none is open."""
    latest = plan.versions.order_by("-number").first()
    return latest is not None and latest.status == Status.APPROVED and may_draft_plan(user, plan)


def regions_rolled_up_for(user: Any) -> QuerySet[Region]:
    """The regions whose roll-up this person may read."""
    if reads_every_region(user):
        return Region.objects.all()
    region_id = access.user_region_id(user)
    if access.is_regional_commissioner(user) and region_id is not None:
        return Region.objects.filter(pk=region_id)
    return Region.objects.none()


def default_rollup_region(user: Any) -> Region | None:
    """The region a roll-up opens at: the person's own, else the first that holds contracts."""
    regions = regions_rolled_up_for(user)
    own = access.user_region_id(user)
    if own is not None and regions.filter(pk=own).exists():
        return regions.get(pk=own)
    return regions.order_by("-holds_contracts", "name").first()


def may_see_rollup(user: Any) -> bool:
    return regions_rolled_up_for(user).exists()


def approves_plans(user: Any) -> bool:
    """For the home page: whoever approves plans (a regional commissioner of a region)."""
    return access.is_regional_commissioner(user) and access.user_region_id(user) is not None


def drafts_plans(user: Any) -> bool:
    """For the home page: whoever drafts an area's plans."""
    return _own_area(user) is not None


def versions_awaiting_decision_by(user: Any) -> QuerySet[PlanVersion]:
    """The submitted versions this person may approve or send back."""
    region_id = access.user_region_id(user)
    if not approves_plans(user) or region_id is None:
        return PlanVersion.objects.none()
    return PlanVersion.objects.filter(
        plan__area__region_id=region_id, submitted_at__isnull=False, approved_at__isnull=True
    )


def versions_sent_back_to(user: Any) -> QuerySet[PlanVersion]:
    """The person's area's versions sent back and not yet submitted again."""
    area = _own_area(user)
    if area is None:
        return PlanVersion.objects.none()
    return PlanVersion.objects.filter(
        plan__area=area, returned_at__isnull=False, submitted_at__isnull=True, approved_at__isnull=True
    )
