"""The home page and the regional commissioner's management index."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from stepchange.core import access


def home(request: HttpRequest) -> HttpResponse:
    """The dashboard: the region's share of main grant, and a probation manager's own area."""
    from stepchange.reports.dashboard import dashboard_for

    return render(request, "core/home.html", {"dashboard": dashboard_for(request.user)})


def manage(request: HttpRequest) -> HttpResponse:
    if not (access.is_regional_commissioner(request.user) or access.is_superuser(request.user)):
        raise Http404
    return render(request, "core/manage.html")
