"""Who may build and read the steering group's quarterly packs: the only place that decides it.

- a regional commissioner of a region (``may_build_pack``, ``packs_visible_to``): builds its
  packs, reads them (the page and the PDF), follows every pack of the region on its page while it
  is built, and sees why one failed. The pack brings together what only the regional team sees
  whole: every area's sub-contracting projection (an area sees its own plans only), the region's
  community-engagement gaps (a prison sees its own establishment's), the action plan. So nobody
  else of the region reads it on the service; the regional team takes it to the steering group;
- the national administrator, and a superuser (``packs_visible_to``): read every region's packs,
  finished or not.

Nobody signed out sees a pack.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from stepchange.core import access
from stepchange.core.models import Region
from stepchange.pack.models import Pack

# The region a person works in: core's one rule (their own or their commissioner's, else their
# organisation's).
region_of = access.region_worked_in


def _reads_every_region(user: Any) -> bool:
    return access.is_national_admin(user) or access.is_superuser(user)


def packs_visible_to(user: Any) -> QuerySet[Pack]:
    if not access.is_signed_in(user):
        return Pack.objects.none()
    every = Pack.objects.select_related("region", "year", "requested_by")
    if _reads_every_region(user):
        return every
    region_id = region_of(user)
    if region_id is None:
        return Pack.objects.none()
    if access.is_regional_commissioner(user) and access.user_region_id(user) == region_id:
        return every.filter(region_id=region_id)
    return Pack.objects.none()


def may_use_packs(user: Any) -> bool:
    """Whether the packs' list is there for the person: for everyone signed in (the reports' index
    links to it), listing only the packs they may read, if any."""
    return access.is_signed_in(user)


def regions_buildable_by(user: Any) -> QuerySet[Region]:
    region_id = access.user_region_id(user)
    if not access.is_regional_commissioner(user) or region_id is None:
        return Region.objects.none()
    return Region.objects.filter(pk=region_id)


def may_build_pack(user: Any, region: Region) -> bool:
    return regions_buildable_by(user).filter(pk=region.pk).exists()


def may_download_pack(user: Any, pack: Pack) -> bool:
    """The PDF is there only once the pack is finished, for whoever may see the pack."""
    return pack.is_finished and packs_visible_to(user).filter(pk=pack.pk).exists()


def builds_own_regions_packs(user: Any) -> bool:
    """Whether the home page offers the pack's to-do: to a regional commissioner of a region."""
    return regions_buildable_by(user).exists()
