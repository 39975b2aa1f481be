"""The home page and the regional commissioner's management index."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from stepchange.manage.access import may_manage_region, may_use_manage
from stepchange.manage.index import manage_links


def home(request: HttpRequest) -> HttpResponse:
    """The dashboard: the region's share of main grant, and a probation manager's own area."""
    from stepchange.reports.dashboard import dashboard_for

    return render(request, "core/home.html", {"dashboard": dashboard_for(request.user)})


@login_required
def manage(request: HttpRequest) -> HttpResponse:
    if not may_use_manage(request.user):
        raise Http404
    title = "Manage the region" if may_manage_region(request.user) else "Manage national data"
    return render(request, "core/manage.html", {"manage_links": manage_links(request.user), "title": title})
