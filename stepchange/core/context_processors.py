"""What every page's layout needs: the navigation for the signed-in user's role."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from stepchange.core.navigation import navigation_for


def service(request: HttpRequest) -> dict[str, Any]:
    return {"service_name": "stepchange", "navigation": navigation_for(request)}
