"""The home page."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.module_loading import import_string


def home(request: HttpRequest) -> HttpResponse:
    """The dashboard: the region's share of main grant, and a probation manager's own area.

    Its figures come from the function ``settings.HOME_DASHBOARD`` names (the reports app's
    ``dashboard_for``): core reads no app's figures itself."""
    dashboard_for = import_string(settings.HOME_DASHBOARD)
    return render(request, "core/home.html", {"dashboard": dashboard_for(request.user)})
