"""A prison return's pathway page and its area-wide contracts page, at any size.

The page has one form for the pathway's figures, and lists for the organisations delivering on
it: the directory organisations named, and those proposed for the directory. A national line can
name tens of thousands, and a form with a field per organisation cannot be sent (Django refuses a
request of more than ``DATA_UPLOAD_MAX_NUMBER_FIELDS`` fields), so no form here has a field per
row: each list is paginated and searchable, and each row has its own small form, a button that
sends the one id and the return's version. The area-wide contracts page is built the same way
(a region at national scale has thousands). Everything works without JavaScript.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from stepchange.contracts.models import Contract
from stepchange.core.concurrency import StaleEdit
from stepchange.core.forms import VersionedForm
from stepchange.core.models import Pathway
from stepchange.organisations.models import Organisation
from stepchange.returns import services
from stepchange.returns.checks import line_reconciliation
from stepchange.returns.forms import (
    AreaContractButtonForm,
    LineOrganisationForm,
    PrisonLineForm,
    ProposedAddForm,
    ProposedRemoveForm,
)
from stepchange.returns.models import PrisonReturn, PrisonReturnLine, ProposedOrganisation
from stepchange.returns.selectors import area_wide_contracts, may_deliver_on_line, prison_pathways, running_last_quarter
from stepchange.returns.views import CAPTION, return_url
from stepchange.returns.views_filling import _closed, _editable_prison_return, _saving

PAGE_SIZE = 20
# The page's own query parameters: each list's search and page number. Nothing else is carried
# from one request to the next, so a link or a redirect is always built from these alone.
LIST_PARAMS = ("q", "page", "find", "fpage", "pq", "ppage")
SEARCH_MAX = 200


def _params(query: QueryDict) -> dict[str, str]:
    """The page's own parameters that ``query`` sets (searches trimmed, at most 200 characters)."""
    found = {}
    for key in LIST_PARAMS:
        value = query.get(key, "").strip()[:SEARCH_MAX]
        if value:
            found[key] = value
    return found


def _query(params: dict[str, str], **changes: Any) -> str:
    merged = {**params, **{k: str(v) for k, v in changes.items() if v is not None}}
    for key, value in changes.items():
        if value is None:
            merged.pop(key, None)
    return urlencode(merged)


def _pager(page: Page[Any], params: dict[str, str], key: str, fragment: str) -> dict[str, Any] | None:
    """The GOV.UK pagination component's links for ``page`` (numbers elided around the current one)."""
    if not page.has_other_pages():
        return None

    def href(number: int) -> str:
        return f"?{_query(params, **{key: number})}#{fragment}"

    items: list[dict[str, Any]] = []
    for number in page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1):
        if number == Paginator.ELLIPSIS:
            items.append({"ellipsis": True})
        else:
            items.append({"number": number, "href": href(int(number)), "current": number == page.number})
    return {
        "previous": href(page.previous_page_number()) if page.has_previous() else None,
        "next": href(page.next_page_number()) if page.has_next() else None,
        "items": items,
    }


def _page_of(rows: QuerySet[Any], params: dict[str, str], key: str) -> Page[Any]:
    return Paginator(rows, PAGE_SIZE).get_page(params.get(key))


def _pathway_of(the_return: PrisonReturn, code: str) -> Pathway:
    return get_object_or_404(prison_pathways(the_return), code=code)


def _line_of(the_return: PrisonReturn, pathway: Pathway) -> PrisonReturnLine | None:
    return PrisonReturnLine.objects.filter(prison_return=the_return, pathway=pathway).first()


def _render_page(
    request: HttpRequest,
    the_return: PrisonReturn,
    pathway: Pathway,
    line: PrisonReturnLine | None,
    *,
    form: PrisonLineForm | None = None,
    proposed_form: ProposedAddForm | None = None,
    problems: list[str] | None = None,
) -> HttpResponse:
    """The pathway page; ``form``, ``proposed_form`` or ``problems`` carry what a POST got wrong."""
    params = _params(request.GET)
    if form is None:
        initial: dict[str, Any] = {"version": the_return.version}
        if line is not None:
            initial.update(
                services_running=line.services_running,
                services_started=line.services_started,
                services_ended=line.services_ended,
                spend=line.spend,
            )
        form = PrisonLineForm(initial=initial)
    context: dict[str, Any] = {
        "form": form,
        "proposed_form": proposed_form or ProposedAddForm(initial={"version": the_return.version}),
        "problems": problems or [],
        "the_return": the_return,
        "pathway": pathway,
        "line": line,
        "carried_over": bool(line and line.carried_over),
        "back": return_url(the_return),
        "caption": CAPTION,
        "params": params,
        "query": _query(params),
        # Each search's "Clear the search" link: the page without that search and its page number.
        "clear": {
            "q": _query(params, q=None, page=None),
            "find": _query(params, find=None, fpage=None),
            "pq": _query(params, pq=None, ppage=None),
        },
        "page_url": reverse("returns:prison-pathway", args=[the_return.pk, pathway.code]),
    }
    if line is not None:
        named = line.organisations.order_by("name", "pk")
        delivering = _page_of(named.filter(name__icontains=params["q"]) if "q" in params else named, params, "page")
        proposed_rows = line.proposed.select_related("organisation").order_by("name", "pk")
        if "pq" in params:
            proposed_rows = proposed_rows.filter(name__icontains=params["pq"])
        proposed = _page_of(proposed_rows, params, "ppage")
        context.update(
            delivering=delivering,
            delivering_total=named.count(),
            delivering_pager=_pager(delivering, params, "page", "organisations"),
            proposed=proposed,
            proposed_total=line.proposed.count(),
            proposed_pager=_pager(proposed, params, "ppage", "proposed"),
        )
        if "find" in params:
            addable = (
                may_deliver_on_line(the_return)
                .filter(name__icontains=params["find"])
                .exclude(pk__in=line.organisations.values("pk"))
                .order_by("name", "pk")
            )
            found = _page_of(addable, params, "fpage")
            context.update(found=found, found_pager=_pager(found, params, "fpage", "add-organisation"))
    return render(request, "returns/pathway.html", context)


def _back_to_page(the_return: PrisonReturn, pathway: Pathway, request: HttpRequest, fragment: str) -> HttpResponse:
    query = _query(_params(request.GET))
    url = reverse("returns:prison-pathway", args=[the_return.pk, pathway.code])
    return redirect(f"{url}{'?' + query if query else ''}#{fragment}")


@login_required
def prison_pathway(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    the_return = _editable_prison_return(request, pk)
    if closed := _closed(request, the_return):
        return closed
    pathway = _pathway_of(the_return, code)
    line = _line_of(the_return, pathway)
    if request.method != "POST":
        return _render_page(request, the_return, pathway, line)
    last = running_last_quarter(the_return)
    form = PrisonLineForm(request.POST, last_running=None if last is None else last.get(pathway.pk, 0))
    saved: list[PrisonReturnLine] = []

    def save(data: dict[str, Any]) -> None:
        saved.append(
            services.prison_line_save(
                actor=request.user,
                prison_return=the_return,
                expected_version=data["version"],
                pathway=pathway,
                services_running=data["services_running"],
                services_started=data["services_started"],
                services_ended=data["services_ended"],
                spend=data["spend"],
            )
        )

    if not _saving(request, form, save):
        return _render_page(request, the_return, pathway, line, form=form)
    messages.success(request, f"{pathway.name} is saved as part of your draft.")
    unreconciled = line_reconciliation(the_return, saved[0])
    if unreconciled is not None:
        messages.warning(request, f"Check this before you submit: {unreconciled.message}")
    if request.POST.get("then") == "organisations":
        return _back_to_page(the_return, pathway, request, "organisations")
    later = prison_pathways(the_return).filter(order__gt=pathway.order).first()
    if later is not None:
        return redirect("returns:prison-pathway", pk=the_return.pk, code=later.code)
    return redirect("returns:prison", pk=the_return.pk)


def _refusal_text(refused: ValidationError | StaleEdit) -> list[str]:
    if isinstance(refused, StaleEdit):
        return [refused.message]
    return list(refused.messages)


def _button(
    request: HttpRequest,
    pk: int,
    code: str,
    form_class: type[Any],
    act: Callable[[PrisonReturn, Pathway, dict[str, Any]], str],
    fragment: str,
) -> HttpResponse:
    """A row's button: validate its one id and the version, act, and go back to where the user was."""
    the_return = _editable_prison_return(request, pk)
    pathway = _pathway_of(the_return, code)
    form = form_class(request.POST)
    if not form.is_valid():
        return _render_page(
            request,
            the_return,
            pathway,
            _line_of(the_return, pathway),
            problems=["That button's form was not complete. Open the page again and try once more."],
        )
    try:
        done = act(the_return, pathway, form.cleaned_data)
    except (ValidationError, StaleEdit) as refused:
        the_return.refresh_from_db()
        return _render_page(
            request, the_return, pathway, _line_of(the_return, pathway), problems=_refusal_text(refused)
        )
    messages.success(request, done)
    return _back_to_page(the_return, pathway, request, fragment)


@login_required
@require_POST
def organisation_add(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    def act(the_return: PrisonReturn, pathway: Pathway, data: dict[str, Any]) -> str:
        organisation = may_deliver_on_line(the_return).filter(pk=data["organisation"]).first()
        if organisation is None:
            raise ValidationError("That organisation is not one of the region's voluntary and community organisations.")
        services.prison_line_organisation_add(
            actor=request.user,
            prison_return=the_return,
            expected_version=data["version"],
            pathway=pathway,
            organisation=organisation,
        )
        return f"{organisation.name} is added to {pathway.name}."

    return _button(request, pk, code, LineOrganisationForm, act, "add-organisation")


@login_required
@require_POST
def organisation_remove(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    def act(the_return: PrisonReturn, pathway: Pathway, data: dict[str, Any]) -> str:
        organisation = Organisation.objects.filter(pk=data["organisation"]).first()
        if organisation is None:
            raise ValidationError(f"That organisation is not named on {pathway.name}.")
        services.prison_line_organisation_remove(
            actor=request.user,
            prison_return=the_return,
            expected_version=data["version"],
            pathway=pathway,
            organisation=organisation,
        )
        return f"{organisation.name} is removed from {pathway.name}."

    return _button(request, pk, code, LineOrganisationForm, act, "organisations")


@login_required
@require_POST
def proposed_remove(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    def act(the_return: PrisonReturn, pathway: Pathway, data: dict[str, Any]) -> str:
        name = ProposedOrganisation.objects.filter(pk=data["proposed"]).values_list("name", flat=True).first()
        services.prison_line_proposed_remove(
            actor=request.user,
            prison_return=the_return,
            expected_version=data["version"],
            pathway=pathway,
            proposed_id=data["proposed"],
        )
        return f"{name} is removed from {pathway.name}."

    return _button(request, pk, code, ProposedRemoveForm, act, "proposed")


@login_required
@require_POST
def proposed_add(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    the_return = _editable_prison_return(request, pk)
    pathway = _pathway_of(the_return, code)
    form = ProposedAddForm(request.POST)
    saved = _saving(
        request,
        form,
        lambda data: services.prison_line_proposed_add(
            actor=request.user,
            prison_return=the_return,
            expected_version=data["version"],
            pathway=pathway,
            name=data["proposed_name"],
            sector=data["proposed_sector"],
        ),
    )
    if not saved:
        the_return.refresh_from_db()
        return _render_page(request, the_return, pathway, _line_of(the_return, pathway), proposed_form=form)
    messages.success(request, f"{form.cleaned_data['proposed_name'].strip()} is proposed on {pathway.name}.")
    return _back_to_page(the_return, pathway, request, "proposed")


REMOVE_ALL = {
    "organisations": ("organisation", services.prison_line_organisations_clear, "organisations"),
    "proposed": ("proposed organisation", services.prison_line_proposed_clear, "proposed"),
}


@login_required
def remove_all(request: HttpRequest, pk: int, code: str, which: str) -> HttpResponse:
    """Confirm, then take every organisation of one list off the pathway."""
    the_return = _editable_prison_return(request, pk)
    if closed := _closed(request, the_return):
        return closed
    pathway = _pathway_of(the_return, code)
    line = _line_of(the_return, pathway)
    noun, clear, fragment = REMOVE_ALL[which]
    rows = (line.organisations if which == "organisations" else line.proposed) if line is not None else None
    count = rows.count() if rows is not None else 0
    # Removing every organisation of a list: the version is all the form carries.
    form = VersionedForm(request.POST or None, initial={"version": the_return.version})
    if request.method == "POST" and form.is_valid():
        try:
            removed = clear(
                actor=request.user,
                prison_return=the_return,
                expected_version=form.cleaned_data["version"],
                pathway=pathway,
            )
        except StaleEdit as stale:
            form.add_error(None, stale.message)
        except ValidationError as refused:
            form.add_error(None, refused)
        else:
            messages.success(request, f"{removed} {noun}{'' if removed == 1 else 's'} removed from {pathway.name}.")
            return _back_to_page(the_return, pathway, request, fragment)
    return render(
        request,
        "returns/pathway_remove_all.html",
        {
            "form": form,
            "the_return": the_return,
            "pathway": pathway,
            "count": count,
            "noun": noun,
            "caption": CAPTION,
            "back": f"{reverse('returns:prison-pathway', args=[the_return.pk, pathway.code])}#{fragment}",
        },
    )


# The area-wide contracts ---------------------------------------------------------------------------

CONTRACT_PARAMS = ("q", "page", "find", "fpage")


def _contract_search(rows: QuerySet[Contract], text: str | None) -> QuerySet[Contract]:
    if not text:
        return rows
    return rows.filter(Q(reference__icontains=text) | Q(title__icontains=text))


@login_required
def prison_contracts(request: HttpRequest, pk: int) -> HttpResponse:
    """The contracts on the return (paginated, searchable, a Remove button each), a search of the
    region's area-wide contracts with an Add button each, and a button saying the list is complete."""
    the_return = _editable_prison_return(request, pk)
    if closed := _closed(request, the_return):
        return closed
    form = VersionedForm(request.POST or None, initial={"version": the_return.version})
    if _saving(
        request,
        form,
        lambda data: services.area_contracts_confirm(
            actor=request.user, prison_return=the_return, expected_version=data["version"]
        ),
    ):
        messages.success(request, "The area-wide contracts are saved as part of your draft.")
        return redirect("returns:prison", pk=the_return.pk)
    return _contracts_page(request, the_return, form=form)


def _contracts_page(
    request: HttpRequest, the_return: PrisonReturn, *, form: Any = None, problems: list[str] | None = None
) -> HttpResponse:
    params = {k: v for k, v in _params(request.GET).items() if k in CONTRACT_PARAMS}
    chosen_all = the_return.area_contracts.select_related("commissioner").order_by("reference", "pk")
    chosen = _page_of(_contract_search(chosen_all, params.get("q")), params, "page")
    context: dict[str, Any] = {
        "form": form or VersionedForm(initial={"version": the_return.version}),
        "problems": problems or [],
        "the_return": the_return,
        "back": return_url(the_return),
        "caption": CAPTION,
        "params": params,
        "query": _query(params),
        "clear": {"q": _query(params, q=None, page=None), "find": _query(params, find=None, fpage=None)},
        "page_url": reverse("returns:prison-contracts", args=[the_return.pk]),
        "chosen": chosen,
        "chosen_total": chosen_all.count(),
        "chosen_pager": _pager(chosen, params, "page", "chosen"),
    }
    if "find" in params:
        addable = _contract_search(
            area_wide_contracts(the_return).exclude(pk__in=the_return.area_contracts.values("pk")),
            params["find"],
        ).select_related("commissioner")
        found = _page_of(addable.order_by("reference", "pk"), params, "fpage")
        context.update(found=found, found_pager=_pager(found, params, "fpage", "add-contract"))
    return render(request, "returns/area_contracts.html", context)


def _contract_button(request: HttpRequest, pk: int, act: Callable[[PrisonReturn, Contract, int], str]) -> HttpResponse:
    the_return = _editable_prison_return(request, pk)
    form = AreaContractButtonForm(request.POST)
    if not form.is_valid():
        return _contracts_page(
            request,
            the_return,
            problems=["That button's form was not complete. Open the page again and try once more."],
        )
    contract = area_wide_contracts(the_return).filter(pk=form.cleaned_data["contract"]).first()
    try:
        if contract is None:
            raise ValidationError("That contract is not an area-wide contract of the region.")
        done = act(the_return, contract, form.cleaned_data["version"])
    except (ValidationError, StaleEdit) as refused:
        the_return.refresh_from_db()
        return _contracts_page(request, the_return, problems=_refusal_text(refused))
    messages.success(request, done)
    query = _query({k: v for k, v in _params(request.GET).items() if k in CONTRACT_PARAMS})
    fragment = "add-contract" if "find" in request.GET else "chosen"
    url = reverse("returns:prison-contracts", args=[the_return.pk])
    return redirect(f"{url}{'?' + query if query else ''}#{fragment}")


@login_required
@require_POST
def contract_add(request: HttpRequest, pk: int) -> HttpResponse:
    def act(the_return: PrisonReturn, contract: Contract, version: int) -> str:
        services.area_contract_add(
            actor=request.user, prison_return=the_return, expected_version=version, contract=contract
        )
        return f"{contract.reference} {contract.title} is added to the return."

    return _contract_button(request, pk, act)


@login_required
@require_POST
def contract_remove(request: HttpRequest, pk: int) -> HttpResponse:
    def act(the_return: PrisonReturn, contract: Contract, version: int) -> str:
        services.area_contract_remove(
            actor=request.user, prison_return=the_return, expected_version=version, contract=contract
        )
        return f"{contract.reference} {contract.title} is removed from the return."

    return _contract_button(request, pk, act)
