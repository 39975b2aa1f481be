"""The home page and the regional commissioner's management index."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from stepchange.core import access


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html")


def manage(request: HttpRequest) -> HttpResponse:
    if not (access.is_regional_commissioner(request.user) or access.is_superuser(request.user)):
        raise Http404
    return render(request, "core/manage.html")
