"""Pages of contracts: the list and its CSV, the detail with history, and the forms that change them.

Every page finds its contracts through ``contracts_visible_to`` or ``contracts_editable_by``; a
contract the user may not see or change is a 404, so a page never confirms that it exists.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import uuid
from decimal import Decimal
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import EmptyResultSet, ValidationError
from django.core.paginator import Page, Paginator
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_http_methods

from stepchange.contracts import exports, services
from stepchange.contracts.access import (
    commissioners_managed_by,
    contracts_editable_by,
    contracts_visible_to,
    may_see_contract_history,
    may_see_contract_notes,
)
from stepchange.contracts.forms import ContractFilterForm, ContractForm, SubContractForm
from stepchange.contracts.listing import SORTABLE, SortOrder, visible_contracts
from stepchange.contracts.models import Contract, SubContract
from stepchange.core.audit import changed_fields, history_of
from stepchange.core.concurrency import StaleEdit
from stepchange.core.dataversion import caching_allowed, data_version
from stepchange.core.money import pounds
from stepchange.core.streamed_workbook import CONTENT_TYPE

PAGE_SIZE = 25
# How long the list's content is kept; a change of data makes it unreachable sooner.
CONTENT_SECONDS = 3600


def _filtered(request: HttpRequest) -> tuple[ContractFilterForm, SortOrder, Any]:
    """The filter form (bound to the query string) and the contracts it selects.

    A filter the user got wrong is explained on the page and left out; the others still apply.
    """
    form = ContractFilterForm(request.GET or None)
    filters: dict[str, Any] = {}
    if form.is_bound:
        form.is_valid()
        data = form.cleaned_data
        filters = {
            "commissioner": data.get("commissioner"),
            "pathway": data.get("pathway"),
            "sector": data.get("sector") or "",
            "funding": data.get("funding") or "",
            "live_on_date": data.get("live_on"),
            "region": data.get("region"),
            "commissioner_kind": data.get("commissioner_kind") or "",
            "counts": data.get("counts") or "",
            "funder": data.get("funder") or "",
            "year": data.get("year"),
        }
    sort = SortOrder.parse(request.GET.get("sort"))
    return form, sort, visible_contracts(request.user, sort=sort, **filters)


def _query(request: HttpRequest, **changes: Any) -> str:
    params = request.GET.copy()
    for key, value in changes.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = value
    return "?" + params.urlencode() if params else "?"


def _sort_headers(request: HttpRequest, sort: SortOrder) -> list[dict[str, Any]]:
    headers = []
    for column, (label, _field) in SORTABLE.items():
        current = sort.column == column
        next_param = f"-{column}" if current and not sort.descending else column
        headers.append(
            {
                "label": label,
                "url": _query(request, sort=next_param, page=None),
                "aria_sort": ("descending" if sort.descending else "ascending") if current else "none",
                "numeric": column == "value",
            }
        )
    return headers


def _pagination(request: HttpRequest, page: Page) -> dict[str, Any] | None:
    """The GOV.UK pagination component: previous, next, the first, last and nearby pages."""
    paginator = page.paginator
    if paginator.num_pages <= 1:
        return None
    items: list[dict[str, Any]] = []
    last_shown = 0
    for number in paginator.page_range:
        near = abs(number - page.number) <= 1
        if number in (1, paginator.num_pages) or near:
            if number - last_shown > 1:
                items.append({"ellipsis": True})
            items.append({"number": number, "url": _query(request, page=number), "current": number == page.number})
            last_shown = number
    return {
        "previous": _query(request, page=page.previous_page_number()) if page.has_previous() else None,
        "next": _query(request, page=page.next_page_number()) if page.has_next() else None,
        "items": items,
    }


def contract_list(request: HttpRequest) -> HttpResponse:
    """The list's content is cached while nothing it shows can have changed (``content_key``); the
    page, its count and the filter form's options are read only when it is rendered afresh.

    That cache is what meets the HTTP benchmark's goal for the list (the figures are in the
    template's comment); the page and its count come from Django's own Paginator."""
    form, sort, contracts = _filtered(request)
    # The page shows no pathways: only the downloads read them.
    contracts = contracts.prefetch_related(None)
    paginator = Paginator(contracts, PAGE_SIZE)
    page = SimpleLazyObject(lambda: paginator.get_page(request.GET.get("page")))
    csv_query = _query(request, page=None)
    may_add = commissioners_managed_by(request.user).exists()
    return render(
        request,
        "contracts/list.html",
        {
            "form": form,
            "page": page,
            # Lazy: read only where the content is rendered afresh, not when it comes from the cache.
            "count": lambda: paginator.count,
            "headers": SimpleLazyObject(lambda: _sort_headers(request, sort)),
            "pagination": functools.cache(lambda: _pagination(request, cast("Page[Any]", page))),
            "csv_url": reverse("contracts:list-csv") + (csv_query if csv_query != "?" else ""),
            "xlsx_url": reverse("contracts:list-xlsx") + (csv_query if csv_query != "?" else ""),
            "may_add": may_add,
            "content_key": content_key(request, contracts, may_add),
            # Inside a transaction nothing is kept (core.dataversion.caching_allowed).
            "content_seconds": CONTENT_SECONDS if caching_allowed() else 0,
        },
    )


def content_key(request: HttpRequest, contracts: Any, may_add: bool) -> str:
    """Everything the list's content depends on: the data's version (read first), the query of the
    contracts this user may see with these filters in this order (their scope is in it), the query
    string (filters, sort, page; every link is made from it) and whether they may add a contract."""
    if not caching_allowed():
        return uuid.uuid4().hex  # a key no other request will ask for
    version = data_version()
    try:
        # Which contracts, in which order: the columns shown are the template's.
        sql, params = contracts.values_list("pk").query.sql_with_params()
        query: tuple[Any, ...] | None = (sql, tuple(params))
    except EmptyResultSet:
        query = None  # no contract can match, whoever asks
    parts = (version, query, list(request.GET.lists()), may_add)
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def _refused(form: ContractFilterForm) -> HttpResponse | None:
    """A download has no page to explain a wrong filter on, and leaving it out would give more rows
    than were asked for: it is refused, with what was wrong."""
    if not form.is_bound or not form.errors:
        return None
    problems = [str(message) for messages_ in form.errors.values() for message in messages_]
    return HttpResponse("\n".join(problems) + "\n", status=400, content_type="text/plain; charset=utf-8")


def contract_list_csv(request: HttpRequest) -> HttpResponseBase:
    """Exactly the rows the list shows, with the same filters and order, on one sheet; streamed."""
    form, _sort, contracts = _filtered(request)
    if (refused := _refused(form)) is not None:
        return refused
    response = StreamingHttpResponse(exports.csv_chunks(contracts), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="contracts.csv"'
    return response


def contract_list_xlsx(request: HttpRequest) -> HttpResponseBase:
    """The CSV's rows as a workbook, streamed."""
    form, _sort, contracts = _filtered(request)
    if (refused := _refused(form)) is not None:
        return refused
    response = StreamingHttpResponse(exports.xlsx_chunks(contracts), content_type=CONTENT_TYPE)
    response["Content-Disposition"] = 'attachment; filename="contracts.xlsx"'
    return response


FIELD_LABELS = {
    "reference": "Reference",
    "title": "Title",
    "commissioner": "Commissioner",
    "prime": "Prime provider",
    "pathways": "Pathways",
    "annual_value": "Annual value",
    "start": "Start date",
    "end": "End date",
    "funding_source": "Funding source",
    "funder": "Funder",
    "kind": "Kind",
    "published": "Published",
    "notes": "Notes",
    "sub_contracts": "Sub-contracts",
}
ACTION_LABELS = {
    "contract_create": "Added",
    "contract_update": "Changed",
    "sub_contract_add": "Sub-contract added",
    "sub_contract_remove": "Sub-contract removed",
}


def _shown(field: str, value: Any) -> str:
    """An audit value as a person reads it."""
    if value is None or value == "" or value == []:
        return "none"
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if field == "annual_value":
        return pounds(value, 2)
    if field in {"start", "end"}:
        try:
            return f"{datetime.date.fromisoformat(value):%-d %B %Y}"
        except (TypeError, ValueError):
            return str(value)
    if field == "funding_source":
        return dict(Contract._meta.get_field("funding_source").choices or []).get(value, value)
    if field == "kind":
        return dict(Contract._meta.get_field("kind").choices or []).get(value, value)
    return str(value)


def _history(contract: Contract, *, show_notes: bool) -> list[dict[str, Any]]:
    """Who changed what on the contract; a change of its notes only for those who may read them
    (``may_see_contract_notes``): the history must not tell what the page keeps back."""
    hidden = {"id"} if show_notes else {"id", "notes"}
    entries = []
    for event in history_of(contract):
        changes = [
            {"field": FIELD_LABELS.get(name, name), "before": _shown(name, before), "after": _shown(name, after)}
            for name, before, after in changed_fields(event)
            if name not in hidden
        ]
        if event.action == "contract_create":
            changes = []
        entries.append(
            {
                "at": event.at,
                "actor": event.actor or "Someone no longer registered",
                "action": ACTION_LABELS.get(event.action, event.action),
                "changes": changes,
            }
        )
    return entries


def contract_detail(request: HttpRequest, pk: int) -> HttpResponse:
    contract = get_object_or_404(
        contracts_visible_to(request.user).select_related("commissioner__organisation", "prime"), pk=pk
    )
    sub_contracts = list(contract.sub_contracts.select_related("partner").order_by("partner__name"))
    sub_contracted = sum((sub.value for sub in sub_contracts), Decimal(0))
    show_notes = may_see_contract_notes(request.user, contract)
    return render(
        request,
        "contracts/detail.html",
        {
            "contract": contract,
            "sub_contracts": sub_contracts,
            "sub_contracted": sub_contracted,
            "kept_by_prime": contract.annual_value - sub_contracted,
            "may_edit": contracts_editable_by(request.user).filter(pk=contract.pk).exists(),
            "history": _history(contract, show_notes=show_notes) if may_see_contract_history(request.user) else None,
            "show_notes": show_notes,
        },
    )


def _save_contract(request: HttpRequest, form: ContractForm, contract: Contract | None) -> Contract | None:
    """Call the service; put what it refuses back on the form. None when refused."""
    try:
        if contract is None:
            return services.contract_create(actor=request.user, **form.service_arguments())
        return services.contract_update(
            actor=request.user,
            contract=contract,
            expected_version=form.cleaned_data.get("version") or 0,
            **form.service_arguments(),
        )
    except StaleEdit as stale:
        form.add_error(None, stale.message)
    except ValidationError as refused:
        form.add_error(None, refused)
    return None


@login_required
@require_http_methods(["GET", "POST"])
def contract_create(request: HttpRequest) -> HttpResponse:
    if not commissioners_managed_by(request.user).exists():
        raise Http404("You do not manage any commissioner's contracts.")
    form = ContractForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        contract = _save_contract(request, form, None)
        if contract is not None:
            messages.success(request, f"Contract {contract.reference} added")
            return redirect("contracts:detail", pk=contract.pk)
    return render(request, "contracts/form.html", {"form": form, "contract": None})


def _initial(contract: Contract) -> dict[str, Any]:
    return {
        "reference": contract.reference,
        "title": contract.title,
        "commissioner": contract.commissioner_id,
        "prime": contract.prime_id,
        "pathways": [p.code for p in contract.pathways.all()],
        "annual_value": contract.annual_value,
        "start": contract.start.strftime("%d/%m/%Y"),
        "end": contract.end.strftime("%d/%m/%Y") if contract.end else "",
        "funding_source": contract.funding_source,
        "funder": contract.funder,
        "kind": contract.kind,
        "published": contract.published,
        "notes": contract.notes,
        "version": contract.version,
    }


@login_required
@require_http_methods(["GET", "POST"])
def contract_edit(request: HttpRequest, pk: int) -> HttpResponse:
    contract = get_object_or_404(contracts_editable_by(request.user), pk=pk)
    form = ContractForm(request.POST or None, user=request.user, initial=_initial(contract))
    if request.method == "POST" and form.is_valid():
        saved = _save_contract(request, form, contract)
        if saved is not None:
            messages.success(request, f"Contract {saved.reference} saved")
            return redirect("contracts:detail", pk=saved.pk)
    return render(request, "contracts/form.html", {"form": form, "contract": contract})


@login_required
@require_http_methods(["GET", "POST"])
def sub_contract_add(request: HttpRequest, pk: int) -> HttpResponse:
    contract = get_object_or_404(contracts_editable_by(request.user).select_related("prime"), pk=pk)
    form = SubContractForm(request.POST or None, contract=contract, initial={"version": contract.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.sub_contract_add(
                actor=request.user,
                contract=contract,
                partner=form.cleaned_data["partner"],
                value=form.cleaned_data["value"],
                expected_version=form.cleaned_data.get("version"),
            )
        except StaleEdit as stale:
            form.add_error(None, stale.message)
        except ValidationError as refused:
            form.add_error(None, refused)
        else:
            messages.success(request, f"Sub-contract with {form.cleaned_data['partner'].name} added")
            return redirect("contracts:detail", pk=contract.pk)
    return render(request, "contracts/sub_contract_form.html", {"form": form, "contract": contract})


@login_required
@require_http_methods(["GET", "POST"])
def sub_contract_remove(request: HttpRequest, pk: int, sub_pk: int) -> HttpResponse:
    contract = get_object_or_404(contracts_editable_by(request.user), pk=pk)
    sub_contract = get_object_or_404(SubContract.objects.select_related("partner"), pk=sub_pk, contract=contract)
    if request.method == "POST":
        services.sub_contract_remove(actor=request.user, sub_contract=sub_contract)
        messages.success(request, f"Sub-contract with {sub_contract.partner.name} removed")
        return redirect("contracts:detail", pk=contract.pk)
    return render(request, "contracts/sub_contract_remove.html", {"contract": contract, "sub_contract": sub_contract})
