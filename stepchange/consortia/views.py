"""Consortia pages, under /consortia/. Thin: each asks ``access``, reads through ``selectors`` and
writes through ``services``. A consortium a person may not see is a 404, as is a page they may not
use."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from stepchange.consortia import access, selectors, services
from stepchange.consortia.forms import ConsortiumForm, LeaveForm, LinkForm, MemberForm
from stepchange.consortia.models import Consortium
from stepchange.core.models import Region
from stepchange.core.pages import form_page

NOT_FOUND = "Page not found"


def _visible(request: HttpRequest, pk: int) -> Consortium:
    return get_object_or_404(access.consortia_visible_to(request.user).select_related("region"), pk=pk)


def _managed(request: HttpRequest, pk: int) -> Consortium:
    consortium = _visible(request, pk)
    if not access.may_manage_consortium(request.user, consortium):
        raise Http404(NOT_FOUND)
    return consortium


@login_required
def index(request: HttpRequest) -> HttpResponse:
    consortia = access.consortia_visible_to(request.user).select_related("region").order_by("name")
    rows = [(c, list(access.current_members(c).select_related("organisation"))) for c in consortia]
    return render(
        request,
        "consortia/index.html",
        {"rows": rows, "may_create": access.may_create_consortium(request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def create(request: HttpRequest) -> HttpResponse:
    if not access.may_create_consortium(request.user):
        raise Http404(NOT_FOUND)
    region = get_object_or_404(Region, pk=access.region_of(request.user))
    form = ConsortiumForm(request.POST or None, initial={"version": 0})

    def save(data: dict[str, Any]) -> Any:
        return services.consortium_create(actor=request.user, region=region, texts=form.texts())

    return form_page(
        request,
        form,
        title="Set up a consortium",
        caption=region.name,
        back=reverse("consortia:index"),
        save=save,
        saved="The consortium is set up. Add its members from its page.",
    )


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    consortium = _visible(request, pk)
    members = list(consortium.members.select_related("organisation"))
    shown = access.partnerships_shown(request.user, consortium)
    openable = access.partnerships_open_among(request.user, shown)
    partnerships = [(p, p.pk in openable) for p in shown.order_by("opportunity__title", "name")]
    bids = list(access.bids_shown(request.user, consortium).order_by("stage__opportunity__title", "stage"))
    may_manage = access.may_manage_consortium(request.user, consortium)
    return render(
        request,
        "consortia/detail.html",
        {
            "consortium": consortium,
            "current": [m for m in members if m.left_on is None],
            "former": [m for m in members if m.left_on is not None],
            "reach": selectors.reach(consortium),
            "partnerships": partnerships,
            "bids": bids,
            "may_manage": may_manage,
            "may_link": access.partnerships_linkable_by(request.user, consortium).exists(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    consortium = _managed(request, pk)
    initial = {k: getattr(consortium, k) for k in services.TEXTS} | {"version": consortium.version}
    form = ConsortiumForm(request.POST or None, initial=initial)

    def save(data: dict[str, Any]) -> Any:
        return services.consortium_update(
            actor=request.user, consortium=consortium, texts=form.texts(), version=data["version"]
        )

    return form_page(
        request,
        form,
        title=f"Change {consortium.name}",
        caption="Consortium",
        back=reverse("consortia:detail", args=[consortium.pk]),
        save=save,
        saved="The consortium's details are saved.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def member_add(request: HttpRequest, pk: int) -> HttpResponse:
    consortium = _managed(request, pk)
    form = MemberForm(request.POST or None, initial={"joined_on": timezone.localdate()})

    def save(data: dict[str, Any]) -> Any:
        return services.member_add(
            actor=request.user,
            consortium=consortium,
            organisation=data["organisation"],
            role=data["role"],
            is_lead=data["is_lead"],
            joined_on=data["joined_on"],
        )

    return form_page(
        request,
        form,
        title="Add a member",
        caption=consortium.name,
        back=reverse("consortia:detail", args=[consortium.pk]),
        save=save,
        saved="The member is added.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def member_remove(request: HttpRequest, pk: int, member: int) -> HttpResponse:
    consortium = _managed(request, pk)
    membership = get_object_or_404(access.current_members(consortium).select_related("organisation"), pk=member)
    form = LeaveForm(request.POST or None, initial={"left_on": timezone.localdate()})

    def save(data: dict[str, Any]) -> Any:
        return services.member_remove(actor=request.user, member=membership, left_on=data["left_on"])

    return form_page(
        request,
        form,
        title=f"Record that {membership.organisation.name} left",
        caption=consortium.name,
        back=reverse("consortia:detail", args=[consortium.pk]),
        save=save,
        saved=f"{membership.organisation.name} is recorded as having left.",
        details=[("Role", membership.role), ("Joined on", membership.joined_on)],
    )


@login_required
@require_http_methods(["GET", "POST"])
def link(request: HttpRequest, pk: int) -> HttpResponse:
    consortium = _visible(request, pk)
    partnerships = access.partnerships_linkable_by(request.user, consortium).select_related("opportunity")
    if not partnerships.exists():
        raise Http404(NOT_FOUND)
    form = LinkForm(request.POST or None, partnerships=partnerships)

    def save(data: dict[str, Any]) -> Any:
        return services.partnership_link(actor=request.user, consortium=consortium, partnership=data["partnership"])

    return form_page(
        request,
        form,
        title="Link a bidding partnership",
        caption=consortium.name,
        back=reverse("consortia:detail", args=[consortium.pk]),
        save=save,
        saved="The partnership is linked to the consortium.",
    )
