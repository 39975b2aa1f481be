"""Monitoring requests and the provider burden by organisation, under /burden/. Thin: each asks
``access``, reads through ``selectors`` and ``figures`` and writes through ``services``. A page or a
request a person may not use is a 404."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from stepchange.burden import access, figures, selectors, services
from stepchange.burden.forms import AnswerForm, AskForm
from stepchange.burden.models import MonitoringRequest
from stepchange.burden.reports import TIME_COLUMNS
from stepchange.core.concurrency import already_done
from stepchange.core.pages import form_page
from stepchange.reports.columns import page_text

NOT_FOUND = "Page not found"


@login_required
def requests(request: HttpRequest) -> HttpResponse:
    if not access.may_use_monitoring(request.user):
        raise Http404(NOT_FOUND)
    rows = access.monitoring_requests_visible_to(request.user).order_by("answered_at", "due_on", "-pk")
    return render(
        request,
        "burden/requests.html",
        {
            "rows": rows,
            "may_ask": access.may_ask_monitoring(request.user),
            "may_see_burden": access.may_see_burden(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def ask(request: HttpRequest) -> HttpResponse:
    if not access.may_ask_monitoring(request.user):
        raise Http404(NOT_FOUND)
    form = AskForm(request.POST or None, contracts=access.contracts_askable_by(request.user).order_by("reference"))

    def save(data: dict[str, Any]) -> Any:
        return services.monitoring_ask(
            actor=request.user,
            contract=data["contract"],
            period_start=data["period_start"],
            period_end=data["period_end"],
            due_on=data["due_on"],
            topics=list(data["topics"]),
            own_question=data["own_question"],
        )

    return form_page(
        request,
        form,
        title="Ask for monitoring information",
        caption="Monitoring",
        back=reverse("burden:requests"),
        save=save,
        saved="Monitoring request sent: the contract's prime provider is asked to answer it",
    )


def _visible(request: HttpRequest, pk: int) -> MonitoringRequest:
    return get_object_or_404(access.monitoring_requests_visible_to(request.user), pk=pk)


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    monitoring = _visible(request, pk)
    answers = [(question, monitoring.answers.get(key, "")) for key, question in monitoring.questions()]
    return render(
        request,
        "burden/request.html",
        {"monitoring": monitoring, "answers": answers, "may_answer": access.may_answer(request.user, monitoring)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def answer(request: HttpRequest, pk: int) -> HttpResponse:
    monitoring = _visible(request, pk)
    if not access.may_answer(request.user, monitoring):
        if monitoring.is_answered:
            # Someone answered it meanwhile (or before): say who and when, on the request's page.
            raise already_done(
                monitoring, did="answered this request", by=monitoring.answered_by, at=monitoring.answered_at
            )
        raise Http404(NOT_FOUND)
    form = AnswerForm(request.POST or None, request=monitoring, initial={"version": monitoring.version})
    return form_page(
        request,
        form,
        title="Answer the monitoring request",
        caption=str(monitoring),
        back=monitoring.get_absolute_url(),
        save=lambda data: services.monitoring_answer(
            actor=request.user,
            request=monitoring,
            expected_version=data["version"],
            answers=form.answers(),
            hours_taken=form.hours(),
        ),
        saved="Your answer is sent",
        details=[
            ("Contract", f"{monitoring.contract.reference}: {monitoring.contract.title}"),
            ("Due by", f"{monitoring.due_on:%-d %B %Y}"),
        ],
    )


@login_required
def index(request: HttpRequest) -> HttpResponse:
    if not access.may_see_burden(request.user):
        raise Http404(NOT_FOUND)
    chosen = selectors.burden_period(request.GET)
    rows = [
        {
            **row,
            "counts": [row[key] for key, _ in figures.PROCESSES],
            "hours": [page_text(row[column.key], column) for column in TIME_COLUMNS[1:]],
        }
        for row in selectors.burden_by_organisation(request.user, chosen)
    ]
    return render(request, "burden/index.html", {"chosen": chosen, "rows": rows, "processes": figures.PROCESSES})
