"""Who may see and do what with standing consortia: the only place that decides it.

- everyone signed in who works in the consortium's region (their own, their commissioner's or
  their organisation's), and the people of a current member organisation wherever it is
  (``consortia_visible_to``): see the consortium, its members, constitution, joint bidding
  protocol, governance and combined reach (the members' own directory services, public anyway);
- a regional commissioner of a region (``may_create_consortium``): sets one up for it;
- the regional commissioners of the consortium's region, and the providers of its current lead
  members (``may_manage_consortium``): change its texts, add and remove members;
- a provider of a current lead member whose organisation leads a bidding partnership
  (``partnerships_linkable_by``): links that partnership to the consortium. The regional team
  links none: a partnership is not theirs to see before its bids are unsealed.

The partnerships and bids a consortium formed are shown through commissioning's own rules, never
around them: a linked partnership only if ``partnerships_visible_to`` shows it to the viewer, a
bid only if ``bids_visible_to`` does. A sealed bid, and a partnership the viewer may not yet know
exists, are not shown, not counted and not hinted at. A superuser sees and manages every
consortium, but sets one up only in a region they work in, and sees no more bids than commissioning
lets them.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Q, QuerySet

from stepchange.commissioning import access as commissioning_access
from stepchange.commissioning.models import Bid, BiddingPartnership
from stepchange.consortia.models import Consortium, ConsortiumMember
from stepchange.core import access
from stepchange.core.roles import Role

# The region a person works in: core's one rule (their own or their commissioner's, else their
# organisation's).
region_of = access.region_worked_in


def current_members(consortium: Consortium) -> QuerySet[ConsortiumMember]:
    return consortium.members.filter(left_on__isnull=True)


def consortia_visible_to(user: Any) -> QuerySet[Consortium]:
    if not access.is_signed_in(user):
        return Consortium.objects.none()
    if access.is_superuser(user):
        return Consortium.objects.all()
    rule = Q(pk__in=[])
    region_id = region_of(user)
    if region_id is not None:
        rule |= Q(region_id=region_id)
    organisation_id = access.own_organisation_id(user)
    if organisation_id is not None:
        rule |= Q(members__organisation_id=organisation_id, members__left_on__isnull=True)
    return Consortium.objects.filter(rule).distinct()


def may_use_consortia(user: Any) -> bool:
    """Whether the navigation offers consortia: to whoever works in a region, and a superuser."""
    return access.is_superuser(user) or region_of(user) is not None


def may_create_consortium(user: Any) -> bool:
    return access.is_regional_commissioner(user) and access.user_region_id(user) is not None


def _leads_it(user: Any, consortium: Consortium) -> bool:
    organisation_id = access.own_organisation_id(user)
    return (
        access.has_role(user, Role.PROVIDER)
        and organisation_id is not None
        and current_members(consortium).filter(organisation_id=organisation_id, is_lead=True).exists()
    )


def may_manage_consortium(user: Any, consortium: Consortium) -> bool:
    """The regional commissioners of its region, the providers of its current lead members, and a
    superuser: they change its texts and its members."""
    if access.is_superuser(user):
        return True
    if access.is_regional_commissioner(user) and access.user_region_id(user) == consortium.region_id:
        return True
    return _leads_it(user, consortium)


def partnerships_linkable_by(user: Any, consortium: Consortium) -> QuerySet[BiddingPartnership]:
    """The partnerships this person may link to the consortium: those their organisation leads,
    when it is a current lead member, and not linked to a consortium yet."""
    if not _leads_it(user, consortium):
        return BiddingPartnership.objects.none()
    return commissioning_access.partnerships_led_by(user).filter(consortium_link__isnull=True)


def partnerships_shown(
    user: Any, consortium: Consortium, *, now: datetime.datetime | None = None
) -> QuerySet[BiddingPartnership]:
    """The consortium's partnerships this person may know of: commissioning's rule, narrowed."""
    return commissioning_access.partnerships_visible_to(user, now=now).filter(consortium_link__consortium=consortium)


def bids_shown(user: Any, consortium: Consortium, *, now: datetime.datetime | None = None) -> QuerySet[Bid]:
    """The bids of the consortium's partnerships this person may see: ``bids_visible_to``, narrowed."""
    return commissioning_access.bids_visible_to(user, now=now).filter(
        partnership__consortium_link__consortium=consortium
    )


def partnerships_open_among(user: Any, partnerships: QuerySet[BiddingPartnership]) -> set[int]:
    """Which of these partnerships this person may open whole (commissioning's
    ``partnerships_open_to``): the others are shown by name only."""
    return set(
        commissioning_access.partnerships_open_to(user)
        .filter(pk__in=partnerships.values("pk"))
        .values_list("pk", flat=True)
    )
