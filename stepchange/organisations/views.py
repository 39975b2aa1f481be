"""Pages of the directory of organisations."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from stepchange.organisations.access import organisations_visible_to


def organisation_list(request: HttpRequest) -> HttpResponse:
    organisations = organisations_visible_to(request.user).select_related("region")
    return render(request, "organisations/list.html", {"organisations": organisations})
