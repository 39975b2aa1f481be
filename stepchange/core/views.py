"""The home page."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.module_loading import import_string

from stepchange.core.todo import todos_for


def home(request: HttpRequest) -> HttpResponse:
    """What needs the person now, then the figures.

    The to-do lists are those the apps declare for this person (``core.todo``: each app's own
    ``todo.py``, scoped by its own ``access.py``). The figures come from the function
    ``settings.HOME_DASHBOARD`` names (the reports app's ``dashboard_for``): core reads no app's
    figures itself. The person's latest notifications come the same way, from the function
    ``settings.HOME_NOTIFICATIONS`` names (the notifications app's ``recent_for``)."""
    dashboard_for = import_string(settings.HOME_DASHBOARD)
    notifications = None
    if request.user.is_authenticated:
        notifications = import_string(settings.HOME_NOTIFICATIONS)(request.user)
    return render(
        request,
        "core/home.html",
        {"todos": todos_for(request.user), "dashboard": dashboard_for(request.user), "notifications": notifications},
    )
