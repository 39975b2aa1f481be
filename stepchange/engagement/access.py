"""Who may see and keep prisons' community-engagement records: the only place that decides it.

- a prison VCS co-ordinator: their own establishment's records, to see and keep (add, change,
  review and end links; add requirements and actions; change actions);
- an area office analyst: the records of every establishment of their region, to read, and
  approves (with a comment) the annual reviews of their region's links;
- a regional commissioner: the records of every establishment of their region, to read, and the
  region's gap roll-up (which the analyst reads too);
- a Django superuser: everything, and keeps any establishment's records;
- everyone else (providers, probation, evaluators, the national administrator, signed out):
  nothing, a 404.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from stepchange.core import access
from stepchange.core.roles import Role
from stepchange.engagement.models import Action, Link, Requirement, Review
from stepchange.organisations.models import Commissioner, CommissionerKind


def _prisons() -> QuerySet[Commissioner]:
    return Commissioner.objects.filter(kind=CommissionerKind.PRISON).select_related("organisation", "region")


def _own_prison(user: Any) -> Commissioner | None:
    commissioner = access.own_commissioner(user)
    if access.has_role(user, Role.PRISON_COORDINATOR) and commissioner and commissioner.kind == CommissionerKind.PRISON:
        return commissioner  # type: ignore[no-any-return]
    return None


def _reads_region(user: Any) -> bool:
    return access.has_role(user, Role.AREA_ANALYST, Role.REGIONAL_COMMISSIONER) and bool(access.user_region_id(user))


def establishments_visible_to(user: Any) -> QuerySet[Commissioner]:
    """The prisons whose records this person reads."""
    if access.is_superuser(user):
        return _prisons()
    if _reads_region(user):
        return _prisons().filter(region_id=access.user_region_id(user) or 0)
    own = _own_prison(user)
    if own is not None:
        return _prisons().filter(pk=own.pk)
    return _prisons().none()


def establishments_kept_by(user: Any) -> QuerySet[Commissioner]:
    """The prisons whose records this person keeps: a co-ordinator's own, a superuser's any."""
    if access.is_superuser(user):
        return _prisons()
    own = _own_prison(user)
    return _prisons().filter(pk=own.pk) if own is not None else _prisons().none()


def links_visible_to(user: Any) -> QuerySet[Link]:
    return Link.objects.filter(establishment__in=establishments_visible_to(user)).select_related(
        "establishment__organisation", "organisation"
    )


def reviews_visible_to(user: Any) -> QuerySet[Review]:
    return Review.objects.filter(link__establishment__in=establishments_visible_to(user))


def requirements_visible_to(user: Any) -> QuerySet[Requirement]:
    return Requirement.objects.filter(establishment__in=establishments_visible_to(user)).select_related(
        "group", "pathway", "establishment__organisation"
    )


def actions_visible_to(user: Any) -> QuerySet[Action]:
    return Action.objects.filter(requirement__establishment__in=establishments_visible_to(user)).select_related(
        "requirement__establishment__organisation", "requirement__group", "requirement__pathway"
    )


def may_keep_records(user: Any, establishment: Commissioner) -> bool:
    """Whether this person adds, changes, reviews and ends this establishment's links, and adds
    its requirements and actions."""
    return establishments_kept_by(user).filter(pk=establishment.pk).exists()


def may_use_engagement(user: Any) -> bool:
    """Whether the navigation offers community engagement: to the people whose daily work it is,
    a prison's co-ordinator and the area office's analyst."""
    if access.has_role(user, Role.AREA_ANALYST):
        return bool(access.user_region_id(user))
    return _own_prison(user) is not None


def may_see_regional_gaps(user: Any) -> bool:
    """The region's gap roll-up: its regional commissioner, its area analyst, a superuser."""
    return access.is_superuser(user) or _reads_region(user)


def keeps_own_records(user: Any) -> bool:
    """Whether the home page lists this person's links due for review: a co-ordinator's."""
    return _own_prison(user) is not None


def reviews_approvable_by(user: Any) -> QuerySet[Review]:
    """The reviews this person may approve: not approved yet, of their region's establishments for
    an area office analyst (any for a superuser)."""
    waiting = Review.objects.filter(approved_at__isnull=True)
    if access.is_superuser(user):
        return waiting
    if access.has_role(user, Role.AREA_ANALYST) and access.user_region_id(user):
        return waiting.filter(link__establishment__in=establishments_visible_to(user))
    return waiting.none()


def may_approve_review(user: Any, review: Review) -> bool:
    return reviews_approvable_by(user).filter(pk=review.pk).exists()


def approves_reviews(user: Any) -> bool:
    """Whether the home page lists reviews waiting for this person's approval: an area analyst's."""
    return access.has_role(user, Role.AREA_ANALYST) and bool(access.user_region_id(user))
