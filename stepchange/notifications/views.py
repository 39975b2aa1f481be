"""A person's notifications and the kinds they choose to receive: their own, nobody else's."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from stepchange.notifications import access, selectors, services
from stepchange.notifications.kinds import KINDS

PER_PAGE = 25


@login_required
def listing(request: HttpRequest) -> HttpResponse:
    mine = selectors.listing_for(request.user)
    page = Paginator(mine, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/list.html",
        {"page": page, "unread": mine.filter(read_at__isnull=True).count()},
    )


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Opening a notification marks it read."""
    notification = get_object_or_404(access.notifications_of(request.user), pk=pk)
    services.mark_read(actor=request.user, notification=notification)
    return render(
        request,
        "notifications/detail.html",
        {"notification": notification, "kind": KINDS.get(notification.kind)},
    )


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    """Tick the kinds to receive. The form names the kinds it shows (``shown``); a POST without
    them (not from this page) changes nothing and says so."""
    error = ""
    if request.method == "POST":
        shown = request.POST.getlist("shown")
        if not shown:
            error = "Choose which messages you get, then save"
        else:
            services.preferences_save(actor=request.user, shown=shown, wanted=request.POST.getlist("wanted"))
            messages.success(request, "Your choices are saved.")
            return redirect("notifications:preferences")
    context: dict[str, Any] = {"choices": selectors.preferences_of(request.user), "error": error}
    return render(request, "notifications/preferences.html", context)
