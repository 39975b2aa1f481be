"""The packs' pages: the list with the form that asks for a pack, a pack's own page (its progress
while the worker builds it, then the pack itself), and its PDF. A page never waits on the building:
it enqueues it, and the pack's page shows how far it has got. While the pack is built, the page's
script (static/js/pack-progress.mjs) reads the page again every 5 seconds and puts the progress in a
polite live region, never reloading the page or moving focus (no meta refresh: a time limit WCAG
2.2.1 forbids); a link turns the checking off (``?refresh=off``), leaving a link to refresh by hand."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from stepchange.pack import selectors, services
from stepchange.pack.access import may_download_pack, may_use_packs, regions_buildable_by
from stepchange.pack.forms import BuildPackForm
from stepchange.pack.models import Pack


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The packs the person may read; a POST (from a regional commissioner) asks for one."""
    if not may_use_packs(request.user):
        raise Http404
    region = regions_buildable_by(request.user).first()
    form = BuildPackForm(request.POST or None, today=timezone.localdate()) if region else None
    error = ""
    if request.method == "POST":
        if region is None or form is None:
            raise Http404
        if form.is_valid():
            try:
                pack = services.pack_request(actor=request.user, region=region, quarter=form.chosen())
            except services.PackNotAllowed as refused:
                error = str(refused)
            else:
                messages.success(request, f"The pack for {pack.period.label} is being built.")
                return redirect("pack:detail", pk=pack.pk)
    return render(
        request,
        "pack/index.html",
        {"form": form, "region": region, "error": error, "packs": selectors.packs_for(request.user)[:100]},
    )


def _visible(request: HttpRequest, pk: int) -> Pack:
    return get_object_or_404(selectors.packs_for(request.user), pk=pk)


@login_required
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    pack = _visible(request, pk)
    refresh_off = request.GET.get("refresh") == "off"
    return render(
        request,
        "pack/detail.html",
        {
            "pack": pack,
            "refresh": pack.is_running and not refresh_off,
            "refresh_off": refresh_off,
            "body": mark_safe(pack.html) if pack.is_finished else "",  # noqa: S308 -- rendered by the worker with autoescape
            "may_download": may_download_pack(request.user, pack),
        },
    )


@login_required
@require_GET
def pdf(request: HttpRequest, pk: int) -> HttpResponse:
    pack = _visible(request, pk)
    if not may_download_pack(request.user, pack):
        raise Http404
    response = HttpResponse(bytes(pack.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{pack.pdf_filename}"'
    return response
