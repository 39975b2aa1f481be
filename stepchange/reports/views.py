"""Report pages and their downloads: every report from the registry, in every format.

Reports are published figures (aggregates only), open to everyone, signed out included, except
those ``reports.access`` keeps for people signed in. The views only parse, call ``run_report`` and
render; no figure is computed here. They only read: any method but GET and HEAD (a POST among
them) is answered 405 before anything is looked up, so no report is ever run for one.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from stepchange.core.models import FinancialYear, Region
from stepchange.organisations.models import EstablishmentType
from stepchange.reports import access, exports, formatting
from stepchange.reports.charts import render_svg
from stepchange.reports.definitions import definition_of
from stepchange.reports.registry import REPORTS, ParamError, Report, run_report

PARAM_NAMES = ("region", "at", "year", "quarter", "establishment_type")


# The longest address kept as where to come back to after signing in: a longer query (a hostile
# one) would make the sign-in address longer than a redirect may be, so it comes back to the
# report's own page without it.
LONGEST_NEXT = 2000


def _sign_in_first(request: HttpRequest) -> HttpResponse:
    """Send someone signed out to sign in, and back here afterwards."""
    back = request.get_full_path()
    return redirect_to_login(back if len(back) <= LONGEST_NEXT else request.path)


@require_safe
def report_index(request: HttpRequest) -> HttpResponse:
    return render(request, "reports/index.html", {"reports": access.reports_readable_by(request.user)})


class SignInFirst(Exception):
    """The report is for people signed in; the view sends the visitor to sign in."""


def _report_or_404(request: HttpRequest, name: str) -> Report:
    report = REPORTS.get(name)
    if report is None:
        raise Http404(f"There is no report called {name!r}.")
    if not access.may_read_report(request.user, report):
        raise SignInFirst
    return report


def _raw_params(request: HttpRequest) -> dict[str, str]:
    """The query string as the registry takes it; empty fields (a form sent blank) are left out,
    and any other key is passed on so the registry can say it is unknown."""
    return {key: str(value) for key, value in request.GET.items() if str(value).strip()}


@require_safe
def report_page(request: HttpRequest, name: str) -> HttpResponse:
    try:
        report = _report_or_404(request, name)
    except SignInFirst:
        return _sign_in_first(request)
    raw = _raw_params(request)
    context = {
        "report": report,
        "regions": Region.objects.order_by("name"),
        "years": FinancialYear.objects.order_by("start"),
        "takes_year": "year" in report.takes,
        "takes_quarter": "quarter" in report.takes,
        "takes_establishment_type": "establishment_type" in report.takes,
        "establishment_types": EstablishmentType.choices,
        "quarters": [
            ("Q1", "Q1 (April to June)"),
            ("Q2", "Q2 (July to September)"),
            ("Q3", "Q3 (October to December)"),
            ("Q4", "Q4 (January to March)"),
        ],
        "form_values": {key: request.GET.get(key, "") for key in PARAM_NAMES},
    }
    try:
        result = run_report(name, raw)
    except ParamError as error:
        context["error"] = {"message": str(error), "field": error.field or "at"}
        return render(request, "reports/report.html", context, status=400)
    chosen = result.params.as_dict()
    query = urlencode(chosen)
    context.update(
        {
            "result": result,
            "table": formatting.table(result),
            "chart": render_svg(result.chart, id_prefix=f"chart-{name}") if result.chart else None,
            "downloads": [
                {"label": label, "url": f"{request.path.rstrip('/')}.{ext}?{query}", "ext": ext}
                for ext, label in (("csv", "CSV"), ("json", "JSON"), ("xlsx", "Excel (XLSX)"))
            ],
            # The form shows what the report was run for, so a default date is visible and editable.
            "form_values": {
                "region": chosen["region"],
                "at": request.GET.get("at", "") or ("" if "year" in chosen else chosen.get("at", "")),
                "year": chosen.get("year", ""),
                "quarter": chosen.get("quarter", ""),
                "establishment_type": chosen.get("establishment_type", ""),
            },
        }
    )
    return render(request, "reports/report.html", context)


@require_safe
def report_definition(request: HttpRequest, name: str) -> HttpResponse:
    """The report's definition, as docs/figures.md writes it; readable by whoever may read the report."""
    try:
        report = _report_or_404(request, name)
    except SignInFirst:
        return _sign_in_first(request)
    found = definition_of(name, frozenset(REPORTS))
    if found is None:
        raise Http404(f"The report {name!r} has no written definition.")
    return render(request, "reports/definition.html", {"report": report, "definition": found})


@require_safe
def report_download(request: HttpRequest, name: str, extension: str) -> HttpResponse:
    try:
        _report_or_404(request, name)
    except SignInFirst:
        return _sign_in_first(request)
    output = exports.FORMATS.get(extension)
    if output is None:
        raise Http404(f"Reports download as {', '.join(exports.FORMATS)}.")
    try:
        result = run_report(name, _raw_params(request))
    except ParamError as error:
        return HttpResponse(str(error) + "\n", status=400, content_type="text/plain; charset=utf-8")
    response = HttpResponse(output.render(result), content_type=output.content_type)
    response["Content-Disposition"] = f'attachment; filename="{exports.filename(result, extension)}"'
    return response
