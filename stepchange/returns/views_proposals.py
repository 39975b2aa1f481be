"""The regional commissioner's review of organisations proposed in prison returns: the queue of
names awaiting a decision, and the page that decides one (accept it as a directory organisation,
add it as a new one, or reject it). Who may is ``returns.access``'s: anyone else gets a 404.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Min
from django.db.models.functions import Lower
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from stepchange.core.audit import history_of
from stepchange.organisations.matching import same_numbers, similar_organisations
from stepchange.returns import services_proposals
from stepchange.returns.access import may_review_proposals, proposals_reviewable_by
from stepchange.returns.forms import ProposalDecisionForm
from stepchange.returns.models import ProposedOrganisation
from stepchange.returns.selectors import proposals_awaiting, same_name_awaiting, where_proposed

CAPTION = "Quarterly returns"
PER_PAGE = 50


@login_required
def proposal_list(request: HttpRequest) -> HttpResponse:
    if not may_review_proposals(request.user):
        raise Http404
    reviewable = proposals_reviewable_by(request.user)
    waiting = Paginator(proposals_awaiting(reviewable), PER_PAGE).get_page(request.GET.get("page"))
    decided = reviewable.filter(decided_at__isnull=False)
    # One row a decision: a name decided once for several prisons and quarters shows once.
    one_each = decided.order_by().values("decided_at", key=Lower("name")).annotate(first=Min("pk")).values("first")
    decided = decided.filter(pk__in=one_each).select_related("organisation", "decided_by")
    rows = [{"proposal": p, "where": where_proposed(same_name_awaiting(p))} for p in waiting]
    return render(
        request,
        "returns/proposals.html",
        {
            "rows": rows,
            "page": waiting,
            "decided": decided.order_by("-decided_at", "name")[:20],
            "caption": CAPTION,
        },
    )


def _suggestions(proposal: ProposedOrganisation, data: Any) -> list[Any]:
    """The directory organisations offered: those with the same or a similar name, and, once the
    reviewer gives a number for a new one, those with that number."""
    candidates = services_proposals.directory_candidates()
    found = similar_organisations(proposal.name, candidates)
    if data is not None:
        numbers = same_numbers(
            candidates,
            charity_number=data.get("charity_number", ""),
            company_number=data.get("company_number", ""),
        )
        known = {s.organisation.pk for s in found}
        found = [s for s in numbers if s.organisation.pk not in known] + found
    return found


@login_required
def proposal_decide(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = get_object_or_404(
        proposals_reviewable_by(request.user).select_related("organisation", "decided_by"), pk=pk
    )
    data = request.POST if request.method == "POST" and proposal.awaits_review else None
    suggestions = _suggestions(proposal, data) if proposal.awaits_review else []
    form = ProposalDecisionForm(
        data, suggestions=suggestions, initial={"name": proposal.name, "sector": proposal.sector}
    )
    if data is not None and form.is_valid():
        try:
            done = _decide(request, proposal, form)
        except ValidationError as refused:
            form.add_error(None, refused)
        else:
            messages.success(request, done)
            return redirect("returns:proposals")
    # Awaiting review: every proposal the decision takes; decided: this one (its name's others were
    # decided with it, and later ones of the name await a decision of their own).
    places = same_name_awaiting(proposal) if proposal.awaits_review else _one(proposal)
    return render(
        request,
        "returns/proposal.html",
        {
            "proposal": proposal,
            "form": form,
            "suggestions": suggestions,
            "where": where_proposed(places),
            "history": [
                {"at": event.at, "actor": event.actor or "The service", "after": event.after or {}}
                for event in history_of(proposal).order_by("-at", "-id")
            ],
            "back": reverse("returns:proposals"),
            "caption": CAPTION,
        },
    )


def _one(proposal: ProposedOrganisation) -> Any:
    return ProposedOrganisation.objects.filter(pk=proposal.pk)


def _decide(request: HttpRequest, proposal: ProposedOrganisation, form: ProposalDecisionForm) -> str:
    data = form.cleaned_data
    if data["decision"] == form.REJECT:
        services_proposals.proposal_reject(actor=request.user, proposal=proposal, reason=data["reason"])
        return f"{proposal.name} is rejected; the prison sees your reason on its return."
    chosen = form.chosen()
    if chosen is not None:
        services_proposals.proposal_accept_as(actor=request.user, proposal=proposal, organisation=chosen)
        return f"{proposal.name} is accepted as {chosen.name}, in the directory."
    organisation = services_proposals.proposal_accept_new(
        actor=request.user,
        proposal=proposal,
        name=data["name"],
        sector=data["sector"],
        charity_number=data["charity_number"],
        company_number=data["company_number"],
    )
    return f"{organisation.name} is added to the directory."
