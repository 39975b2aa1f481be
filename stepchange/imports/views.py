"""The import pages: the templates, the upload, the import's own page (its progress while the worker
checks or saves it, then its problems, or its preview with questions and the confirm button), and
undo. A page never waits on the work: it enqueues it and the import's page shows how far it is,
refreshing itself while the work runs (and saying so, with a link, where refreshing is off)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from stepchange.core.concurrency import StaleEdit
from stepchange.core.models import Region
from stepchange.core.uploads import UploadRefused
from stepchange.imports import services, spreadsheet, tasks
from stepchange.imports.access import (
    imports_visible_to,
    kinds_importable_by,
    may_answer_and_confirm,
    may_import,
    may_undo,
    regions_importable_by,
)
from stepchange.imports.columns import COLUMNS
from stepchange.imports.forms import ImportUploadForm, VersionForm
from stepchange.imports.models import Import, ImportKind

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PROBLEMS_SHOWN = 500
ROWS_SHOWN = 500
# The order a region's files go in: what a row names must be there first.
ORDER = (
    ImportKind.ESTABLISHMENTS,
    ImportKind.GRANTS,
    ImportKind.ORGANISATIONS,
    ImportKind.CONTRACTS,
    ImportKind.SUB_CONTRACTS,
)


def _region_and_kind(request: HttpRequest, region: str, kind: str) -> Region:
    found = get_object_or_404(regions_importable_by(request.user), code=region)
    if kind not in ImportKind.values or not may_import(request.user, found, kind):
        raise Http404
    return found


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    regions = list(regions_importable_by(request.user))
    if not regions:
        raise Http404
    kinds = [ImportKind(k) for k in ORDER if k in kinds_importable_by(request.user)]
    return render(
        request,
        "imports/index.html",
        {
            "regions": regions,
            "kinds": kinds,
            "imports": imports_visible_to(request.user)[:100],
        },
    )


@login_required
@require_GET
def template_xlsx(request: HttpRequest, region: str, kind: str) -> HttpResponse:
    found = _region_and_kind(request, region, kind)
    response = HttpResponse(spreadsheet.build_workbook(kind, found), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{found.code}-{kind}-template.xlsx"'
    return response


@login_required
@require_GET
def template_csv(request: HttpRequest, region: str, kind: str) -> HttpResponse:
    found = _region_and_kind(request, region, kind)
    response = HttpResponse(spreadsheet.build_csv(kind), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{found.code}-{kind}-template.csv"'
    return response


@login_required
def upload(request: HttpRequest, region: str, kind: str) -> HttpResponse:
    found = _region_and_kind(request, region, kind)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        uploaded = form.cleaned_data["file"]
        try:
            record = services.import_receive(actor=request.user, region=found, kind=kind, uploaded_file=uploaded)
        except UploadRefused as refused:
            form.add_error("file", str(refused))
        else:
            tasks.check_import.enqueue(record.pk)
            return redirect("imports:detail", pk=record.pk)
    return render(
        request,
        "imports/upload.html",
        {
            "form": form,
            "region": found,
            "kind": ImportKind(kind),
            "columns": COLUMNS[kind],
            "template_url": reverse("imports:template", args=[found.code, kind]),
            "csv_url": reverse("imports:template-csv", args=[found.code, kind]),
        },
    )


def _visible(request: HttpRequest, pk: int) -> Import:
    return get_object_or_404(imports_visible_to(request.user), pk=pk)


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The import's page; a POST is the answers to its questions."""
    record = _visible(request, pk)
    error = ""
    if request.method == "POST":
        form = VersionForm(request.POST)
        answers = {
            key.removeprefix("answer-"): str(value) for key, value in request.POST.items() if key.startswith("answer-")
        }
        if not form.is_valid():
            error = "The page was out of date. Look at the import again and answer its questions."
        else:
            try:
                services.import_answer(
                    actor=request.user, record=record, expected_version=form.cleaned_data["version"], answers=answers
                )
            except (services.ImportNotAllowed, StaleEdit) as refused:
                error = getattr(refused, "message", None) or str(refused)
            else:
                messages.success(request, "Your answers are kept. Confirm the import when every question is answered.")
                return redirect("imports:detail", pk=record.pk)
    rows = record.preview
    return render(
        request,
        "imports/detail.html",
        {
            "record": record,
            "refresh": record.is_running,
            "checking": record.checked_at is None,
            "undoing": record.undo_requested_at is not None,
            "refused": record.is_refused,
            "shows_plan": record.has_plan,
            "may_confirm": may_answer_and_confirm(request.user, record),
            "may_undo": may_undo(request.user, record),
            "percent": int(100 * record.rows_done / record.rows_total) if record.rows_total else 0,
            "problems": record.problems[:PROBLEMS_SHOWN],
            "problems_total": len(record.problems),
            "warnings": record.warnings,
            "counts": record.counts(),
            "rows": rows[:ROWS_SHOWN],
            "rows_total": len(rows),
            "questions": record.questions(),
            "unanswered": record.unanswered(),
            "error": error,
            "items": record.items.count() if record.saved_at else 0,
        },
    )


@login_required
@require_POST
def confirm(request: HttpRequest, pk: int) -> HttpResponse:
    record = _visible(request, pk)
    form = VersionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "The page was out of date: look at the import again before you confirm it.")
        return redirect("imports:detail", pk=record.pk)
    try:
        services.import_confirm(actor=request.user, record=record, expected_version=form.cleaned_data["version"])
    except services.ImportNotAllowed as refused:
        messages.error(request, str(refused))
    except StaleEdit:
        messages.error(request, "Someone changed this import while you were looking at it: look at it again.")
    else:
        tasks.save_import.enqueue(record.pk)
    return redirect("imports:detail", pk=record.pk)


@login_required
@require_POST
def undo(request: HttpRequest, pk: int) -> HttpResponse:
    record = _visible(request, pk)
    form = VersionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "The page was out of date: look at the import again before you undo it.")
        return redirect("imports:detail", pk=record.pk)
    try:
        services.import_undo_request(actor=request.user, record=record, expected_version=form.cleaned_data["version"])
    except services.ImportNotAllowed as refused:
        messages.error(request, str(refused))
    except StaleEdit:
        messages.error(request, "Someone changed this import while you were looking at it: look at it again.")
    else:
        tasks.undo_import.enqueue(record.pk)
    return redirect("imports:detail", pk=record.pk)
