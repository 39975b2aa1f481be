"""Report pages and their downloads: every report from the registry, in every format."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from stepchange.reports.registry import REPORTS


def report_index(request: HttpRequest) -> HttpResponse:
    return render(request, "reports/index.html", {"reports": sorted(REPORTS.values(), key=lambda r: r.name)})
