"""Pages for filling a return in: the prison return's task list (each pathway's page is in
views_pathway.py, with the area-wide contracts'), the co-ordinator post, the probation return's contracts, and the
check-your-answers page that submits. Every save is kept as a draft at once.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from stepchange.core.concurrency import StaleEdit
from stepchange.returns import services
from stepchange.returns.access import returns_editable_by, returns_visible_to
from stepchange.returns.checks import check_return
from stepchange.returns.forms import (
    CoordinatorPostForm,
    ProbationAddForm,
    ProbationLineForm,
    SubmitForm,
)
from stepchange.returns.models import PrisonReturn, ProbationReturn, ProposedOrganisation, ReturnKind, Status
from stepchange.returns.selectors import prison_pathways
from stepchange.returns.spreadsheet import part_time_fte
from stepchange.returns.views import CAPTION, kind_of, return_url, sign_off_context


def _editable_prison_return(request: HttpRequest, pk: int) -> PrisonReturn:
    return get_object_or_404(
        returns_editable_by(request.user, ReturnKind.PRISON).select_related(
            "round__year", "commissioner__organisation"
        ),
        pk=pk,
    )


def _closed(request: HttpRequest, the_return: Any) -> HttpResponse | None:
    """A submitted or approved return's pages offer no form to fill in (the service would refuse
    it): they go back to the return, saying why, as its upload pages do."""
    if the_return.is_open:
        return None
    messages.info(request, f"This return is {the_return.status.label.lower()}: it cannot be changed.")
    return redirect(return_url(the_return))


def _saving(request: HttpRequest, form: Any, save: Any) -> bool:
    """Run ``save`` for a valid POST; put a refusal on the form. True when saved."""
    if request.method != "POST" or not form.is_valid():
        return False
    try:
        save(form.cleaned_data)
    except StaleEdit as stale:
        form.add_error(None, stale.message)
        return False
    except ValidationError as refused:
        form.add_error(None, refused)
        return False
    return True


def _tasks(prison_return: PrisonReturn) -> list[dict[str, Any]]:
    lines = {line.pathway_id: line for line in prison_return.lines.all()}
    tasks = []
    for pathway in prison_pathways(prison_return):
        line = lines.get(pathway.pk)
        if line is None:
            status = ("Not started", "govuk-tag--grey")
        elif line.carried_over:
            status = ("Carried over", "govuk-tag--yellow")
        else:
            status = ("Completed", "")
        tasks.append(
            {
                "label": pathway.name,
                "url": reverse("returns:prison-pathway", args=[prison_return.pk, pathway.code]),
                "status": status,
                "line": line,
            }
        )
    return tasks


@login_required
def prison_return(request: HttpRequest, pk: int) -> HttpResponse:
    the_return = get_object_or_404(
        returns_visible_to(request.user, ReturnKind.PRISON).prefetch_related("lines__pathway"),
        pk=pk,
    )
    context = sign_off_context(request, the_return)
    tasks = _tasks(the_return)
    context.update(
        {
            "tasks": tasks,
            "done": sum(1 for t in tasks if t["status"][0] == "Completed"),
            "post_done": bool(the_return.coordinator_post),
            "contracts_done": the_return.area_contracts_answered,
            "uploads": the_return.uploads.select_related("uploaded_by").defer("content"),
            "proposals": _proposals(the_return),
        }
    )
    return render(request, "returns/prison.html", context)


PROPOSALS_SHOWN = 20


def _proposals(prison_return: PrisonReturn) -> dict[str, Any]:
    """The organisations the return proposes for the directory and what the region's review made
    of each: the first ``PROPOSALS_SHOWN`` by name (a national return proposes thousands; each
    pathway's page lists all of its own), and how many there are in all."""
    rows = ProposedOrganisation.objects.filter(line__prison_return=prison_return)
    return {
        "shown": rows.select_related("organisation", "line__pathway").order_by("name", "line__pathway__order")[
            :PROPOSALS_SHOWN
        ],
        "total": rows.count(),
    }


@login_required
def prison_post(request: HttpRequest, pk: int) -> HttpResponse:
    the_return = _editable_prison_return(request, pk)
    if closed := _closed(request, the_return):
        return closed
    form = CoordinatorPostForm(
        request.POST or None,
        initial={"version": the_return.version, "post": the_return.coordinator_post, "fte": part_time_fte(the_return)},
    )
    if _saving(
        request,
        form,
        lambda data: services.coordinator_post_save(
            actor=request.user,
            prison_return=the_return,
            expected_version=data["version"],
            post=data["post"],
            fte=data["fte"],
        ),
    ):
        messages.success(request, "The co-ordinator post is saved as part of your draft.")
        return redirect("returns:prison", pk=the_return.pk)
    return _simple_form(request, the_return, form, "The VCS co-ordinator post")


def _simple_form(request: HttpRequest, the_return: Any, form: Any, title: str) -> HttpResponse:
    return render(
        request,
        "returns/simple_form.html",
        {"form": form, "title": title, "the_return": the_return, "back": return_url(the_return), "caption": CAPTION},
    )


@login_required
def check_and_submit(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    k = kind_of(kind)
    the_return = get_object_or_404(returns_editable_by(request.user, k), pk=pk)
    if not the_return.is_open:
        if request.method == "POST":  # someone else submitted it while this page was open: say who
            services.done_already(the_return, wanted={Status.SUBMITTED, Status.NIL})
        return redirect(return_url(the_return))
    nil = request.method == "POST" and request.POST.get("nil") == "yes"
    result = check_return(the_return, nil=nil)
    form = SubmitForm(
        request.POST if request.method == "POST" and not nil else None,
        initial={"version": the_return.version},
        warnings=result.warnings,
    )
    errors: list[Any] = []
    if request.method == "POST":
        try:
            version = int(request.POST.get("version", ""))
        except ValueError:
            version = -1
        valid = nil or form.is_valid()
        if valid:
            try:
                services.return_submit(
                    actor=request.user,
                    the_return=the_return,
                    expected_version=version,
                    nil=nil,
                    reasons={} if nil else form.reasons(),
                    hours_taken=None if nil else form.hours(),
                )
            except services.SubmissionRefused as refused:
                errors = refused.errors
            except StaleEdit as stale:
                form.add_error(None, stale.message)
            except ValidationError as refused_:
                form.add_error(None, refused_)
            else:
                messages.success(
                    request, "Your nil return is submitted." if nil else "Your return is submitted for approval."
                )
                return redirect(return_url(the_return))
        else:
            errors = result.errors
    else:
        errors = result.errors
    context = sign_off_context(request, the_return)
    context.update({"form": form, "errors": errors, "nil_tried": nil, "back": return_url(the_return)})
    if isinstance(the_return, PrisonReturn):
        context["tasks"] = _tasks(the_return)
        context["area_contracts"] = the_return.area_contracts.order_by("reference")
    else:
        context["lines"] = the_return.lines.prefetch_related("pathways").order_by("title", "id")
    return render(request, "returns/check.html", context)


# Probation returns --------------------------------------------------------------------------------


@login_required
def probation_return(request: HttpRequest, pk: int) -> HttpResponse:
    the_return = get_object_or_404(returns_visible_to(request.user, ReturnKind.PROBATION), pk=pk)
    context = sign_off_context(request, the_return)
    context["lines"] = the_return.lines.select_related("contract")
    return render(request, "returns/probation.html", context)


def _editable_probation_return(request: HttpRequest, pk: int) -> ProbationReturn:
    return get_object_or_404(returns_editable_by(request.user, ReturnKind.PROBATION), pk=pk)


@login_required
def probation_line(request: HttpRequest, pk: int, line_pk: int) -> HttpResponse:
    the_return = _editable_probation_return(request, pk)
    if closed := _closed(request, the_return):
        return closed
    line = get_object_or_404(the_return.lines, pk=line_pk)
    form = ProbationLineForm(
        request.POST or None,
        initial={"version": the_return.version, "annual_value": line.annual_value, "ended": line.change == "ended"},
    )
    if _saving(
        request,
        form,
        lambda data: services.probation_line_save(
            actor=request.user,
            probation_return=the_return,
            expected_version=data["version"],
            line=line,
            annual_value=data["annual_value"],
            ended=data["ended"],
        ),
    ):
        messages.success(request, f"{line.title} is saved as part of your draft.")
        return redirect("returns:probation", pk=the_return.pk)
    return _simple_form(request, the_return, form, line.title)


@login_required
def probation_add(request: HttpRequest, pk: int) -> HttpResponse:
    the_return = _editable_probation_return(request, pk)
    if closed := _closed(request, the_return):
        return closed
    form = ProbationAddForm(request.POST or None, initial={"version": the_return.version})
    if _saving(
        request,
        form,
        lambda data: services.probation_line_add(
            actor=request.user,
            probation_return=the_return,
            expected_version=data["version"],
            title=data["title"],
            annual_value=data["annual_value"],
            sector=data["sector"],
            pathways=data["pathways"],
        ),
    ):
        messages.success(request, "The contract is added to your draft.")
        return redirect("returns:probation", pk=the_return.pk)
    return _simple_form(request, the_return, form, "Add a contract the service does not hold")
