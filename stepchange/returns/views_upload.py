"""The spreadsheet route into a prison return: download its template (XLSX or CSV), upload it
back, and look at a stored upload checked again against today's rules.

The template is a view of the return's figures, so whoever may see the return may download it;
only whoever may fill the return in may upload. The checking is in ``returns.upload``, the saving
in ``upload_services.prison_return_upload``; this module only parses the request and shows the result.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.base import ContentFile
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from stepchange.core.concurrency import StaleEdit
from stepchange.returns import probation_sheet, spreadsheet, upload_services
from stepchange.returns.access import returns_editable_by, returns_visible_to, upload_establishment_of
from stepchange.returns.forms import UploadForm
from stepchange.returns.models import RULES_VERSION, PrisonReturn, ProbationReturn, ReturnKind
from stepchange.returns.upload import ContentProblems, UploadRefused, check_file, upload_reconciliation
from stepchange.returns.views import CAPTION, return_url

# A file with thousands of problems is listed only so far: the counts by kind give the rest.
PROBLEMS_SHOWN = 500
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"


def _visible(request: HttpRequest, pk: int) -> PrisonReturn:
    return get_object_or_404(
        returns_visible_to(request.user, ReturnKind.PRISON).select_related("round__year", "commissioner__organisation"),
        pk=pk,
    )


def _file_name(the_return: PrisonReturn | ProbationReturn, extension: str) -> str:
    label = the_return.round.label if the_return.round else "no-round"
    revision = f"-revision-{the_return.revision}" if the_return.revision > 1 else ""
    stem = f"{the_return.kind}-return-{the_return.commissioner.code}-{label}{revision}"
    return re.sub(r"[^A-Za-z0-9.-]+", "-", stem) + f".{extension}"


def _download(
    the_return: PrisonReturn | ProbationReturn, content: Any, *, extension: str, content_type: str
) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{_file_name(the_return, extension)}"'
    return response


@login_required
@require_GET
def prison_template(request: HttpRequest, pk: int) -> HttpResponse:
    the_return = _visible(request, pk)
    return _download(the_return, spreadsheet.build_workbook(the_return), extension="xlsx", content_type=XLSX_TYPE)


@login_required
@require_GET
def prison_csv(request: HttpRequest, pk: int) -> HttpResponse:
    the_return = _visible(request, pk)
    return _download(the_return, spreadsheet.build_csv(the_return), extension="csv", content_type=CSV_TYPE)


@dataclass(frozen=True)
class _Saved:
    """What an upload saved: the file's name, whether the return changed, and what to check."""

    name: str
    changed: bool
    warnings: list[str]


def _upload_page(
    request: HttpRequest,
    pk: int,
    *,
    kind: ReturnKind,
    save: Callable[[HttpRequest, Any, Any], _Saved],
    what: str,
) -> HttpResponse:
    """The upload page of a return of ``kind``: a file checked whole and saved whole by ``save``, or
    its problems listed and nothing saved."""
    the_return = get_object_or_404(
        returns_editable_by(request.user, kind).select_related("round__year", "commissioner__organisation"),
        pk=pk,
    )
    if not the_return.is_open:
        messages.info(request, f"This return is {the_return.status.label.lower()}: it cannot be changed.")
        return redirect(return_url(the_return))
    form = UploadForm(request.POST or None, request.FILES or None)
    problems: ContentProblems | None = None
    if request.method == "POST" and form.is_valid():
        uploaded = form.cleaned_data["file"]
        try:
            saved = save(request, the_return, uploaded)
        except UploadRefused as refused:
            form.add_error("file", str(refused))
        except ContentProblems as found:
            problems = found
            count = len(found.problems)
            form.add_error(
                "file",
                f"The file {_display(uploaded)} has {count} problem{'s' if count != 1 else ''}, so nothing from it "
                "was saved. Correct the file and upload it again.",
            )
        except StaleEdit as stale:
            form.add_error("file", stale.message)
        else:
            if not saved.changed:
                messages.info(request, f"{saved.name} holds the figures your return already has: nothing has changed.")
            else:
                messages.success(request, f"The {what} in {saved.name} are saved in your draft. Check them and submit.")
            for warning in saved.warnings:
                messages.warning(request, f"Check this before you submit: {warning}")
            return redirect("returns:check", kind=kind, pk=the_return.pk)
    return render(
        request,
        "returns/upload.html",
        {
            "form": form,
            "the_return": the_return,
            "problems": problems.problems[:PROBLEMS_SHOWN] if problems else [],
            "problems_total": len(problems.problems) if problems else 0,
            "counts": problems.counts() if problems else [],
            "back": return_url(the_return),
            "caption": CAPTION,
            "template_url": reverse(f"returns:{kind}-template", args=[the_return.pk]),
            "csv_url": reverse(f"returns:{kind}-csv", args=[the_return.pk]),
        },
    )


def _save_prison(request: HttpRequest, the_return: PrisonReturn, uploaded: Any) -> _Saved:
    checked = check_file(
        uploaded, prison_return=the_return, uploader_establishment=upload_establishment_of(request.user)
    )
    stored = upload_services.prison_return_upload(
        actor=request.user, prison_return=the_return, expected_version=the_return.version, checked=checked
    )
    warnings = [unreconciled.message for unreconciled in upload_reconciliation(the_return, checked)]
    return _Saved(checked.upload.display_name, stored is not None, warnings)


@login_required
def prison_upload(request: HttpRequest, pk: int) -> HttpResponse:
    return _upload_page(request, pk, kind=ReturnKind.PRISON, save=_save_prison, what="figures")


def _display(uploaded: Any) -> str:
    from stepchange.core.uploads import display_name

    return display_name(getattr(uploaded, "name", ""))


@login_required
@require_GET
def prison_upload_detail(request: HttpRequest, pk: int, upload_pk: int) -> HttpResponse:
    """A stored upload, checked again against the rules as they are today."""
    the_return = _visible(request, pk)
    stored = get_object_or_404(the_return.uploads.select_related("uploaded_by"), pk=upload_pk)
    refusal = ""
    problems: list[Any] = []
    try:
        check_file(
            ContentFile(bytes(stored.content), name=stored.display_name),
            prison_return=the_return,
            uploader_establishment=None,
            check_staleness=False,
        )
    except UploadRefused as refused:
        refusal = str(refused)
    except ContentProblems as found:
        problems = found.problems
    return render(
        request,
        "returns/upload_detail.html",
        {
            "the_return": the_return,
            "stored": stored,
            "refusal": refusal,
            "problems": problems[:PROBLEMS_SHOWN],
            "problems_total": len(problems),
            "rules_version": RULES_VERSION,
            "back": return_url(the_return),
            "caption": CAPTION,
        },
    )


# Probation returns ---------------------------------------------------------------------------------


def _visible_probation(request: HttpRequest, pk: int) -> ProbationReturn:
    return get_object_or_404(
        returns_visible_to(request.user, ReturnKind.PROBATION).select_related("round__year"), pk=pk
    )


@login_required
@require_GET
def probation_template(request: HttpRequest, pk: int) -> HttpResponse:
    the_return = _visible_probation(request, pk)
    return _download(the_return, probation_sheet.build_workbook(the_return), extension="xlsx", content_type=XLSX_TYPE)


@login_required
@require_GET
def probation_csv(request: HttpRequest, pk: int) -> HttpResponse:
    the_return = _visible_probation(request, pk)
    return _download(the_return, probation_sheet.build_csv(the_return), extension="csv", content_type=CSV_TYPE)


def _save_probation(request: HttpRequest, the_return: ProbationReturn, uploaded: Any) -> _Saved:
    checked = probation_sheet.check_file(
        uploaded, probation_return=the_return, uploader_area=upload_establishment_of(request.user)
    )
    changed = upload_services.probation_return_upload(
        actor=request.user, probation_return=the_return, expected_version=the_return.version, checked=checked
    )
    return _Saved(checked.upload.display_name, changed is not None, [])


@login_required
def probation_upload(request: HttpRequest, pk: int) -> HttpResponse:
    return _upload_page(request, pk, kind=ReturnKind.PROBATION, save=_save_probation, what="contracts")
