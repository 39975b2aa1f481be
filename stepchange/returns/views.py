"""Pages of rounds and of signing returns off: the round list and form, a round's progress, and
approving, returning and reopening a return. Filling a return in is in ``views_filling``.

Every object is fetched through ``returns.access``: what a person may not see is a 404.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from stepchange.core import access as core_access
from stepchange.core.concurrency import StaleEdit
from stepchange.core.models import Region
from stepchange.core.pages import form_page
from stepchange.organisations.models import Commissioner
from stepchange.returns import services
from stepchange.returns.access import (
    commissioner_filled_in_by,
    may_change_return,
    may_reopen_return,
    may_review_proposals,
    may_sign_off_return,
    may_use_returns,
    own_returns,
    returns_approvable_by,
    returns_editable_by,
    returns_visible_to,
    round_kinds_openable_by,
    rounds_visible_to,
)
from stepchange.returns.forms import ApproveForm, ReopenForm, RoundForm, SendBackForm
from stepchange.returns.history import history
from stepchange.returns.models import ReminderSent, ReturnKind
from stepchange.returns.selectors import proposals_awaiting_review

CAPTION = "Quarterly returns"
KINDS = {"prison": ReturnKind.PRISON, "probation": ReturnKind.PROBATION}


def today() -> Any:
    return timezone.localdate()


def kind_of(kind: str) -> str:
    if kind not in KINDS:
        raise Http404
    return KINDS[kind]


def return_url(the_return: Any) -> str:
    return reverse(f"returns:{the_return.kind}", args=[the_return.pk])


def sign_off_context(request: HttpRequest, the_return: Any) -> dict[str, Any]:
    """What the return's page offers the person looking at it, and its history."""
    user = request.user
    correction = (
        type(the_return)
        .objects.filter(round=the_return.round, commissioner=the_return.commissioner, approved_at__isnull=True)
        .exclude(pk=the_return.pk)
        .first()
        if the_return.round_id
        else None
    )
    return {
        "the_return": the_return,
        "tag": the_return.status_tag(today()),
        "can_edit": may_change_return(user, the_return),
        "can_sign_off": may_sign_off_return(user, the_return),
        "can_reopen": may_reopen_return(user, the_return, correction_open=correction is not None),
        "correction": correction,
        "history": history(the_return),
        "caption": CAPTION,
    }


# Rounds -------------------------------------------------------------------------------------------


def _own_returns(user: Any) -> list[Any]:
    mine: list[Any] = []
    for kind in (ReturnKind.PRISON, ReturnKind.PROBATION):
        mine += list(
            own_returns(user, kind)
            .filter(round__isnull=False, superseded_at__isnull=True)
            .select_related("round__year", "commissioner__organisation")
            .order_by("-round__year__start", "-round__quarter", "revision")
        )
    return mine


@login_required
def round_list(request: HttpRequest) -> HttpResponse:
    rounds = rounds_visible_to(request.user).prefetch_related("commissioners")
    kinds = round_kinds_openable_by(request.user)
    mine = _own_returns(request.user)
    if not rounds.exists() and not kinds and not mine and not may_use_returns(request.user):
        raise Http404
    day = today()
    commissioner = commissioner_filled_in_by(request.user)
    return render(
        request,
        "returns/rounds.html",
        {
            "rounds": [
                {"round": r, "covered": r.commissioners.count(), "open": r.opens_on <= day <= r.deadline}
                for r in rounds
            ],
            "can_open": bool(kinds),
            "fills_in": commissioner.name if commissioner is not None else "",
            "mine": [{"the_return": r, "tag": r.status_tag(day), "url": return_url(r)} for r in mine],
            "open_mine": any(r.is_open or r.round.opens_on <= day <= r.round.deadline for r in mine),
            "proposals": proposals_awaiting_review(request.user) if may_review_proposals(request.user) else None,
            "caption": CAPTION,
        },
    )


def _region_of(user: Any) -> Region:
    region_id = core_access.user_region_id(user)
    region = Region.objects.filter(pk=region_id).first() if region_id else None
    return region or get_object_or_404(Region, code=settings.DEFAULT_REGION)


@login_required
def round_create(request: HttpRequest) -> HttpResponse:
    kinds = round_kinds_openable_by(request.user)
    if not kinds:
        raise Http404
    region = _region_of(request.user)
    commissioners = Commissioner.objects.filter(region=region, kind__in=kinds).select_related("organisation")
    form = RoundForm(
        request.POST or None, kinds=kinds, commissioners=commissioners.order_by("kind", "organisation__name")
    )
    return form_page(
        request,
        form,
        title="Open a round of returns",
        back=reverse("returns:rounds"),
        save=lambda data: services.round_open(actor=request.user, region=region, **data),
        saved="The round is open: each commissioner it covers has a return to fill in.",
        caption=CAPTION,
    )


@login_required
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    the_round = get_object_or_404(rounds_visible_to(request.user), pk=pk)
    returns = list(
        returns_visible_to(request.user, the_round.kind)
        .filter(round=the_round, superseded_at__isnull=True)
        .order_by("commissioner__organisation__name", "revision")
    )
    day = today()
    rows = [{"the_return": r, "tag": r.status_tag(day), "url": return_url(r)} for r in returns]
    counts = Counter(row["tag"][0] for row in rows)
    key = "prison_return" if the_round.kind == ReturnKind.PRISON else "probation_return"
    reminders = (
        ReminderSent.objects.filter(**{f"{key}__in": [r.pk for r in returns]})
        .select_related(f"{key}__commissioner__organisation")
        .order_by("-sent_at")
    )
    order = [
        "Not started",
        "Draft",
        "Returned for correction",
        "Overdue",
        "Submitted",
        "Nil return submitted",
        "Approved",
    ]
    return render(
        request,
        "returns/round.html",
        {
            "round": the_round,
            "rows": rows,
            "counts": [(label, counts[label]) for label in order if counts[label]],
            "reminders": reminders,
            "caption": CAPTION,
        },
    )


# Sign-off -----------------------------------------------------------------------------------------


def _sign_off_page(
    request: HttpRequest, the_return: Any, form: Any, *, title: str, button: str, act: Any, done: str
) -> HttpResponse:
    if request.method == "POST" and form.is_valid():
        try:
            result = act(form.cleaned_data)
        except StaleEdit as stale:
            form.add_error(None, stale.message)
        except ValidationError as refused:
            form.add_error(None, refused)
        else:
            messages.success(request, done)
            return redirect(return_url(result))
    return render(
        request,
        "returns/sign_off.html",
        {
            "form": form,
            "title": title,
            "button": button,
            "the_return": the_return,
            "back": return_url(the_return),
            "caption": CAPTION,
        },
    )


@login_required
def approve(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    the_return = get_object_or_404(returns_approvable_by(request.user, kind_of(kind)), pk=pk)
    form = ApproveForm(request.POST or None, initial={"version": the_return.version})
    if not the_return.is_late:
        del form.fields["late_reason"]
    return _sign_off_page(
        request,
        the_return,
        form,
        title=f"Approve {the_return}",
        button="Approve the return",
        act=lambda data: services.return_approve(
            actor=request.user,
            the_return=the_return,
            expected_version=data["version"],
            late_reason=data.get("late_reason", ""),
        ),
        done="The return is approved: its figures now reach the regional reports.",
    )


@login_required
def send_back(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    the_return = get_object_or_404(returns_approvable_by(request.user, kind_of(kind)), pk=pk)
    form = SendBackForm(request.POST or None, initial={"version": the_return.version})
    return _sign_off_page(
        request,
        the_return,
        form,
        title=f"Return {the_return} for correction",
        button="Return for correction",
        act=lambda data: services.return_send_back(
            actor=request.user, the_return=the_return, expected_version=data["version"], reason=data["reason"]
        ),
        done="The return has been sent back with your reason.",
    )


@login_required
def reopen(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    k = kind_of(kind)
    allowed = Q(pk__in=returns_editable_by(request.user, k).values("pk")) | Q(
        pk__in=returns_approvable_by(request.user, k).values("pk")
    )
    the_return = get_object_or_404(returns_visible_to(request.user, k).filter(allowed), pk=pk)
    form = ReopenForm(request.POST or None)
    return _sign_off_page(
        request,
        the_return,
        form,
        title=f"Correct the approved return {the_return}",
        button="Reopen as a correction",
        act=lambda data: services.return_reopen(actor=request.user, the_return=the_return, reason=data["reason"]),
        done="A correction is open as a new revision; the approved return counts until the correction is approved.",
    )
