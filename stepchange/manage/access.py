"""Who may reach the management pages: the only place that decides it.

The regional commissioner of a region (and a Django superuser) manages targets, pathways, users,
published figures and return dates. Grants follow ``commissioners_managed_by``, so a probation
contracts manager reaches the grant pages too, for their own area only. Everyone else gets a 404;
someone signed out is sent to sign in first.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse

from stepchange.contracts.access import commissioners_managed_by
from stepchange.core import access
from stepchange.organisations.models import Commissioner, CommissionerKind

View = Callable[..., HttpResponse]


def may_manage_region(user: Any) -> bool:
    return access.is_regional_commissioner(user) or access.is_superuser(user)


def may_manage_grants(user: Any) -> bool:
    return access.is_signed_in(user) and commissioners_managed_by(user).exists()


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
grant_manager_required = _guarded(may_manage_grants)
