"""Who may see and do what with action plans and groups: the only place that decides it.

- Action plans (``plans_visible_to``): every signed-in person who works in the plan's region
  (their own region, their commissioner's, or their organisation's) reads it, with its
  objectives, actions and progress notes; the national administrator and a superuser read every
  region's.
- The regional commissioners of the region own it (``may_manage_plan``): they set it up, add
  objectives and actions and change any action. A regional commissioner sets up a plan only for
  their own region (``may_create_plan``).
- An action's owner, when the owner is a user of the service, keeps it up to date
  (``may_update_action``): its status and RAG, and its quarterly progress notes, as the plan's
  owners may.
- Groups (``groups_visible_to``): a group's members who are users of the service read it, its
  meetings, decisions and papers; so do the regional commissioners of its region, the national
  administrator and a superuser. Nobody else learns a group exists (a provider who is a member
  sees their own groups only).
- The regional commissioners of the region run its groups (``may_manage_group``): set them up and
  change their members. They and the group's secretariat members record its meetings, papers
  and decisions (``may_run_meetings``).
- An action arising from a meeting names its meeting only to those who may see the group
  (``meeting_shown``): the plan is read more widely than the group's papers.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from stepchange.core import access
from stepchange.governance.models import Action, ActionPlan, Group, Meeting, MemberRole, Paper

# The region a person works in: core's one rule (their own or their commissioner's, else their
# organisation's).
region_of = access.region_worked_in


def _reads_every_region(user: Any) -> bool:
    return access.is_superuser(user) or access.is_national_admin(user)


def _commissions(user: Any, region_id: int) -> bool:
    return access.is_regional_commissioner(user) and access.user_region_id(user) == region_id


# --- Action plans ---------------------------------------------------------------------------------


def plans_visible_to(user: Any) -> QuerySet[ActionPlan]:
    if not access.is_signed_in(user):
        return ActionPlan.objects.none()
    if _reads_every_region(user):
        return ActionPlan.objects.all()
    region_id = region_of(user)
    if region_id is None:
        return ActionPlan.objects.none()
    return ActionPlan.objects.filter(region_id=region_id)


def actions_visible_to(user: Any) -> QuerySet[Action]:
    return Action.objects.filter(objective__plan__in=plans_visible_to(user))


def may_use_governance(user: Any) -> bool:
    """Whether the navigation offers governance: to the regional team, whose daily work it is."""
    return access.is_regional_commissioner(user) and access.user_region_id(user) is not None


def may_create_plan(user: Any) -> bool:
    return access.is_regional_commissioner(user) and access.user_region_id(user) is not None


def may_manage_plan(user: Any, plan: ActionPlan) -> bool:
    return access.is_superuser(user) or _commissions(user, plan.region_id)


def may_update_action(user: Any, action: Action) -> bool:
    """The plan's owners, and the action's owner when a user of the service owns it."""
    if may_manage_plan(user, action.objective.plan):
        return True
    return access.is_signed_in(user) and action.owner_user_id is not None and action.owner_user_id == user.pk


# --- Groups, meetings and papers ------------------------------------------------------------------


def groups_visible_to(user: Any) -> QuerySet[Group]:
    if not access.is_signed_in(user):
        return Group.objects.none()
    if _reads_every_region(user):
        return Group.objects.all()
    rule = Q(members__user=user)
    if access.is_regional_commissioner(user) and access.user_region_id(user) is not None:
        rule |= Q(region_id=access.user_region_id(user))
    return Group.objects.filter(rule).distinct()


def meetings_visible_to(user: Any) -> QuerySet[Meeting]:
    return Meeting.objects.filter(group__in=groups_visible_to(user))


def papers_visible_to(user: Any) -> QuerySet[Paper]:
    return Paper.objects.filter(meeting__in=meetings_visible_to(user))


def may_create_group(user: Any) -> bool:
    return access.is_regional_commissioner(user) and access.user_region_id(user) is not None


def may_manage_group(user: Any, group: Group) -> bool:
    return access.is_superuser(user) or _commissions(user, group.region_id)


def may_run_meetings(user: Any, group: Group) -> bool:
    """The group's managers, and its secretariat members who are users of the service."""
    if may_manage_group(user, group):
        return True
    return access.is_signed_in(user) and group.members.filter(user=user, role=MemberRole.SECRETARIAT).exists()


def meeting_shown(user: Any, action: Action) -> Meeting | None:
    """The meeting an action arose from, if this person may see it."""
    if action.meeting_id is None:
        return None
    return meetings_visible_to(user).filter(pk=action.meeting_id).first()


def plans_owned_by(user: Any) -> QuerySet[ActionPlan]:
    """The plans whose progress notes this person answers for: those they own and may manage."""
    if not access.is_signed_in(user):
        return ActionPlan.objects.none()
    if access.is_superuser(user):
        return ActionPlan.objects.filter(owner=user)
    region_id = access.user_region_id(user)
    if not access.is_regional_commissioner(user) or region_id is None:
        return ActionPlan.objects.none()
    return ActionPlan.objects.filter(owner=user, region_id=region_id)


def owns_actions(user: Any) -> bool:
    """Whether the home page lists this person's overdue actions: they own an action they may see."""
    return access.is_signed_in(user) and actions_visible_to(user).filter(owner_user=user).exists()


def owns_plans(user: Any) -> bool:
    return plans_owned_by(user).exists()
