"""The funding pages: streams, helped bids, the small grants rounds and their applications, and the
grants made as 360Giving open data.

Every page finds its records through the scoping functions of ``funding/access.py``; a record the
person may not see (or change) is a 404. Writes go through ``funding/services.py``.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from stepchange.core.money import pounds
from stepchange.core.pages import form_page
from stepchange.funding import access, services, threesixty
from stepchange.funding.forms import (
    ApplicationForm,
    AssessmentForm,
    DecisionForm,
    HelpedBidForm,
    RoundForm,
    StreamForm,
)
from stepchange.funding.models import GrantApplication
from stepchange.funding.selectors import bid_summary, grants_made


def index(request: HttpRequest) -> HttpResponse:
    """Funding streams and small grants rounds, for everyone."""
    return render(
        request,
        "funding/index.html",
        {
            "streams": access.streams_visible_to(request.user).select_related("region").prefetch_related("pathways"),
            "rounds": access.rounds_visible_to(request.user).select_related("region"),
            "may_keep": access.may_keep_funding(request.user),
            "may_record_bids": access.may_record_bids(request.user),
        },
    )


def _fields(data: dict[str, Any], names: tuple[str, ...] | list[str]) -> dict[str, Any]:
    return {name: data.get(name) for name in names}


# Streams


def stream_detail(request: HttpRequest, pk: int) -> HttpResponse:
    stream = get_object_or_404(access.streams_visible_to(request.user).select_related("region"), pk=pk)
    return render(
        request,
        "funding/stream.html",
        {
            "stream": stream,
            "may_edit": access.streams_editable_by(request.user).filter(pk=stream.pk).exists(),
            "may_record_bids": access.may_record_bids(request.user),
        },
    )


@login_required
def stream_add(request: HttpRequest) -> HttpResponse:
    regions = access.regions_kept_by(request.user)
    if not regions.exists():
        raise Http404
    form = StreamForm(request.POST or None, regions=regions)
    saved: dict[str, Any] = {}

    def save(data: dict[str, Any]) -> None:
        saved["stream"] = services.stream_save(actor=request.user, data=data)

    response = form_page(
        request,
        form,
        title="Add a funding stream",
        caption="Funding",
        back=reverse("funding:index"),
        save=save,
        saved="Funding stream added",
    )
    if "stream" in saved:
        return redirect(saved["stream"])
    return response


@login_required
def stream_edit(request: HttpRequest, pk: int) -> HttpResponse:
    stream = get_object_or_404(access.streams_editable_by(request.user), pk=pk)
    form = StreamForm(request.POST or None, regions=access.regions_kept_by(request.user), instance=stream)
    return form_page(
        request,
        form,
        title="Change a funding stream",
        caption=str(stream),
        back=stream.get_absolute_url(),
        save=lambda data: services.stream_save(
            actor=request.user, stream=stream, data=data, expected_version=data["version"]
        ),
        saved="Funding stream changed",
    )


# Helped bids


@login_required
def bid_list(request: HttpRequest) -> HttpResponse:
    if not access.may_record_bids(request.user):
        raise Http404
    bids = access.helped_bids_visible_to(request.user).select_related("organisation", "stream")
    return render(request, "funding/bids.html", {"bids": bids, "summary": bid_summary(bids)})


@login_required
def bid_add(request: HttpRequest) -> HttpResponse:
    organisations = access.organisations_helped_by(request.user)
    if not organisations.exists():
        raise Http404
    initial = {}
    if (stream_pk := request.GET.get("stream", "")).isdigit():
        initial["stream"] = int(stream_pk)
    form = HelpedBidForm(
        request.POST or None,
        organisations=organisations,
        streams=access.streams_visible_to(request.user),
        initial=initial,
    )
    return form_page(
        request,
        form,
        title="Record a bid",
        caption="Bids helped",
        back=reverse("funding:bids"),
        save=lambda data: services.helped_bid_save(actor=request.user, data=data),
        saved="Bid recorded",
    )


@login_required
def bid_detail(request: HttpRequest, pk: int) -> HttpResponse:
    bid = get_object_or_404(
        access.helped_bids_visible_to(request.user).select_related("organisation", "stream", "recorded_by"), pk=pk
    )
    return render(
        request,
        "funding/bid.html",
        {"bid": bid, "may_edit": access.helped_bids_editable_by(request.user).filter(pk=bid.pk).exists()},
    )


@login_required
def bid_edit(request: HttpRequest, pk: int) -> HttpResponse:
    bid = get_object_or_404(
        access.helped_bids_editable_by(request.user).select_related("organisation", "stream"), pk=pk
    )
    form = HelpedBidForm(request.POST or None, instance=bid)
    return form_page(
        request,
        form,
        title="Change a bid",
        caption=str(bid),
        back=bid.get_absolute_url(),
        save=lambda data: services.helped_bid_save(
            actor=request.user, bid=bid, data=data, expected_version=data["version"]
        ),
        saved="Bid changed",
    )


# Rounds


def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    grants_round = get_object_or_404(access.rounds_visible_to(request.user).select_related("region"), pk=pk)
    managed = access.rounds_managed_by(request.user).filter(pk=grants_round.pk).exists()
    own = access.applications_editable_by(request.user).filter(round=grants_round).first()
    awarded = grants_round.awarded_total()
    return render(
        request,
        "funding/round.html",
        {
            "round": grants_round,
            "may_edit": managed,
            "applications": (
                access.applications_visible_to(request.user).filter(round=grants_round).select_related("organisation")
                if managed
                else None
            ),
            "grants": grants_made().filter(round=grants_round),
            "awarded": awarded,
            "left": grants_round.budget - awarded,
            "own": own,
            "may_apply": own is None
            and access.may_apply(request.user, grants_round)
            and grants_round.takes_applications_on(timezone.localdate()),
        },
    )


@login_required
def round_add(request: HttpRequest) -> HttpResponse:
    regions = access.regions_kept_by(request.user)
    if not regions.exists():
        raise Http404
    form = RoundForm(request.POST or None, regions=regions)
    return form_page(
        request,
        form,
        title="Open a small grants round",
        caption="Small grants",
        back=reverse("funding:index"),
        save=lambda data: services.round_save(actor=request.user, data=data),
        saved="Round opened",
    )


@login_required
def round_edit(request: HttpRequest, pk: int) -> HttpResponse:
    grants_round = get_object_or_404(access.rounds_managed_by(request.user), pk=pk)
    form = RoundForm(request.POST or None, instance=grants_round)
    return form_page(
        request,
        form,
        title="Change a small grants round",
        caption=grants_round.name,
        back=grants_round.get_absolute_url(),
        save=lambda data: services.round_save(
            actor=request.user, grants_round=grants_round, data=data, expected_version=data["version"]
        ),
        saved="Round changed",
    )


# Applications


@login_required
def apply(request: HttpRequest, pk: int) -> HttpResponse:
    grants_round = get_object_or_404(access.rounds_open_to(request.user), pk=pk)
    own = access.applications_editable_by(request.user).filter(round=grants_round).first()
    if own is not None:
        return redirect(own)
    form = ApplicationForm(request.POST or None)
    saved: dict[str, GrantApplication] = {}

    def save(data: dict[str, Any]) -> None:
        saved["application"] = services.application_save(actor=request.user, grants_round=grants_round, data=data)

    response = form_page(
        request,
        form,
        title=f"Apply to {grants_round.name}",
        caption="Small grants",
        back=grants_round.get_absolute_url(),
        save=save,
        saved="Application saved as a draft: check it, then submit it",
        details=[
            ("Largest grant", pounds(grants_round.max_award, 2)),
            ("Closes", f"{grants_round.closes_on:%-d %B %Y}"),
        ],
    )
    if "application" in saved:
        return redirect(saved["application"])
    return response


@login_required
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_object_or_404(
        access.applications_visible_to(request.user).select_related("round", "organisation", "submitted_by"), pk=pk
    )
    editable = access.applications_editable_by(request.user).filter(pk=application.pk).exists()
    return render(
        request,
        "funding/application.html",
        {
            "application": application,
            "may_change": editable and application.is_draft,
            "assessments": application.assessments.select_related("assessor")
            if access.may_see_assessments(request.user, application)
            else None,
            "may_assess": access.may_assess(request.user, application),
            "may_decide": access.may_decide(request.user, application),
            "decided": application.is_decided,
            "awarded": application.is_awarded,
        },
    )


@login_required
def application_edit(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_object_or_404(access.applications_editable_by(request.user).select_related("round"), pk=pk)
    if not application.is_draft:
        messages.info(request, "This application has been submitted and can no longer be changed.")
        return redirect(application)
    form = ApplicationForm(request.POST or None, instance=application)
    return form_page(
        request,
        form,
        title="Change your application",
        caption=application.round.name,
        back=application.get_absolute_url(),
        save=lambda data: services.application_save(
            actor=request.user, application=application, data=data, expected_version=data["version"]
        ),
        saved="Application saved",
    )


@login_required
@require_POST
def application_submit(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_object_or_404(access.applications_editable_by(request.user), pk=pk)
    try:
        services.application_submit(actor=request.user, application=application)
    except ValidationError as refused:
        for message in refused.messages:
            messages.error(request, message)
    else:
        messages.success(request, "Application submitted. You will be told the decision and its reasons.")
    return redirect(application)


@login_required
def assess(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_object_or_404(
        access.applications_assessable_by(request.user).select_related("round", "organisation"), pk=pk
    )
    if not access.may_assess(request.user, application):
        messages.info(request, "You have already assessed this application, or it has been decided.")
        return redirect(application)
    form = AssessmentForm(request.POST or None)
    return form_page(
        request,
        form,
        title="Assess this application",
        caption=str(application),
        back=application.get_absolute_url(),
        save=lambda data: services.assess(actor=request.user, application=application, data=data),
        saved="Assessment saved",
        details=[
            ("Amount asked for", pounds(application.amount_requested, 2)),
            ("Criteria", application.round.criteria),
        ],
    )


@login_required
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_object_or_404(
        access.applications_assessable_by(request.user).select_related("round", "organisation"), pk=pk
    )
    if not access.may_decide(request.user, application):
        messages.info(
            request,
            "Only a member of the team who has assessed this application without a conflict of interest "
            "decides it, while it waits for a decision.",
        )
        return redirect(application)
    form = DecisionForm(request.POST or None)
    grants_round = application.round
    left = grants_round.budget - grants_round.awarded_total()
    return form_page(
        request,
        form,
        title="Award or decline this application",
        caption=str(application),
        back=application.get_absolute_url(),
        save=lambda data: services.decide(
            actor=request.user,
            application=application,
            award=data["decision"],
            reasons=data["reasons"],
            amount=data.get("amount"),
        ),
        saved="Decision made; the applicant has been told",
        details=[
            ("Amount asked for", pounds(application.amount_requested, 2)),
            ("Budget left in this round", pounds(left, 2)),
        ],
    )


# Open data


def grants_json(request: HttpRequest) -> HttpResponse:
    body = threesixty.package_json(
        grants_made(), base_url=request.build_absolute_uri("/").rstrip("/"), now=timezone.now()
    )
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="360giving.json"'
    return response


def grants_csv(request: HttpRequest) -> HttpResponse:
    body = threesixty.package_csv(
        grants_made(), base_url=request.build_absolute_uri("/").rstrip("/"), now=timezone.now()
    )
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="360giving.csv"'
    return response
