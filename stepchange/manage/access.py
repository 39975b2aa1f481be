"""Who may reach the management pages: the only place that decides it.

National data, the targets and the pathways every region is measured by, is changed by a national
administrator (and a Django superuser) only; the regional commissioner reads it. The regional
commissioner of a region (and a superuser) manages the region's users, return dates, settings
(``regions_managed_by``: its minimum tender period) and published figures: a figure is the region's when it is of the region or of one of its commissioners, and a
figure of no region (a national total) is the national administrator's. Grants follow
``commissioners_managed_by``, so a probation contracts manager reaches the grant pages too, for
their own area only. Everyone else gets a 404; someone signed out is sent to sign in first.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse

from stepchange.contracts.access import commissioners_managed_by
from stepchange.core import access
from stepchange.core.models import Region
from stepchange.organisations.models import Commissioner, CommissionerKind
from stepchange.reports.models import PublishedFigure

View = Callable[..., HttpResponse]


def may_manage_region(user: Any) -> bool:
    return access.is_regional_commissioner(user) or access.is_superuser(user)


def regions_managed_by(user: Any) -> QuerySet[Region]:
    """The regions whose settings (the minimum tender period) this person changes: a regional
    commissioner their own region, a superuser every region."""
    if access.is_superuser(user):
        return Region.objects.all()
    if access.is_regional_commissioner(user) and (region_id := access.user_region_id(user)) is not None:
        return Region.objects.filter(pk=region_id)
    return Region.objects.none()


def may_set_up_regions(user: Any) -> bool:
    """Adding a region to the service, inviting its first regional commissioner and reading every
    region's figures side by side: the national administrator's (and a superuser's). A regional
    commissioner sets up the rest of their own region (``may_set_up_own_region``)."""
    return access.is_national_admin(user) or access.is_superuser(user)


def may_set_up_own_region(user: Any) -> bool:
    """A region's commissioners, the pathways its prisons are asked about: its regional commissioner's."""
    return regions_managed_by(user).exists()


def may_manage_national_data(user: Any) -> bool:
    """Targets and pathways: the same for every region, so no region's commissioner changes them."""
    return access.is_national_admin(user) or access.is_superuser(user)


def may_read_national_data(user: Any) -> bool:
    return may_manage_region(user) or may_manage_national_data(user)


def may_manage_figures(user: Any) -> bool:
    """Whether this person keeps any published figures: a region's commissioner or the national administrator."""
    return may_manage_region(user) or may_manage_national_data(user)


def may_use_manage(user: Any) -> bool:
    """Whether the management index has anything for this person."""
    return may_read_national_data(user) or may_manage_figures(user) or may_set_up_regions(user)


def published_figures_editable_by(user: Any) -> QuerySet[PublishedFigure]:
    """A region's figures (of the region or one of its commissioners) are its commissioner's; a
    figure of neither is national, the national administrator's."""
    figures = PublishedFigure.objects.all()
    if access.is_superuser(user):
        return figures
    if access.is_regional_commissioner(user) and (region_id := access.user_region_id(user)) is not None:
        return figures.filter(Q(region_id=region_id) | Q(commissioner__region_id=region_id))
    if access.is_national_admin(user):
        return figures.filter(region__isnull=True, commissioner__isnull=True)
    return figures.none()


def figure_regions_for(user: Any) -> QuerySet[Region]:
    """The regions this person may record a published figure of."""
    if access.is_superuser(user):
        return Region.objects.all()
    if access.is_regional_commissioner(user):
        return Region.objects.filter(pk__in=[access.user_region_id(user)])
    return Region.objects.none()


def figure_commissioners_for(user: Any) -> QuerySet[Commissioner]:
    """The commissioners this person may record a published figure of."""
    everyone = Commissioner.objects.select_related("organisation")
    if access.is_superuser(user):
        return everyone.all()
    if access.is_regional_commissioner(user):
        return everyone.filter(region_id__in=[access.user_region_id(user)])
    return everyone.none()


def may_keep_figure(user: Any, *, region: Region | None, commissioner: Commissioner | None) -> bool:
    """Whether a figure of this region and commissioner (either may be None) would be this person's."""
    if access.is_superuser(user):
        return True
    if region is None and commissioner is None:
        return access.is_national_admin(user)
    regions = {r.pk for r in (region, commissioner.region if commissioner else None) if r is not None}
    return access.is_regional_commissioner(user) and regions == {access.user_region_id(user)}


def may_manage_grants(user: Any) -> bool:
    return access.is_signed_in(user) and commissioners_managed_by(user).exists()


def may_use_grants_only(user: Any) -> bool:
    """A probation contracts manager's grants pages, without the index (which is for the national data)."""
    return not may_use_manage(user) and may_manage_grants(user)


def probation_areas_managed_by(user: Any) -> QuerySet[Commissioner]:
    """The probation areas whose grants and return dates this user may record."""
    return commissioners_managed_by(user).filter(kind=CommissionerKind.PROBATION)


def _guarded(check: Callable[[Any], bool]) -> Callable[[View], View]:
    def decorator(view: View) -> View:
        @login_required
        @wraps(view)
        def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not check(request.user):
                raise Http404
            return view(request, *args, **kwargs)

        return guarded

    return decorator


region_manager_required = _guarded(may_manage_region)
national_manager_required = _guarded(may_manage_national_data)
region_setter_required = _guarded(may_set_up_regions)
own_region_setter_required = _guarded(may_set_up_own_region)
national_reader_required = _guarded(may_read_national_data)
figure_manager_required = _guarded(may_manage_figures)
grant_manager_required = _guarded(may_manage_grants)
