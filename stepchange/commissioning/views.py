"""Pages for everyone and for bidders: the list and page of each opportunity, clarification
questions, partnerships, bids and the feedback survey.

Everything is found through ``access``; what a user may not see is a 404 with the same words
whether or not it exists, so a page never confirms that a sealed bid is there.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.feedgenerator import Atom1Feed
from django.views.decorators.http import require_http_methods, require_POST

from stepchange.accounts.models import User
from stepchange.commissioning import access, ocds, sealed, sealing, selectors, services
from stepchange.commissioning.awards import current_award, current_awards
from stepchange.commissioning.forms import (
    BidForm,
    ChallengeForm,
    ClarificationForm,
    InviteForm,
    OpportunityFilterForm,
    PartnershipForm,
    SurveyForm,
)
from stepchange.commissioning.models import Bid, Opportunity, PartnershipMember, Stage, SurveyInvitation
from stepchange.contracts.access import contracts_visible_to
from stepchange.core.concurrency import StaleEdit

NOT_FOUND = "Page not found"


def refused_on(form: Any, refused: ValidationError | StaleEdit | PermissionDenied) -> None:
    """Put what a service refused on the form, beside its field where the form has one."""
    if isinstance(refused, ValidationError) and hasattr(refused, "error_dict"):
        for field, errors in refused.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, getattr(refused, "message", None) or str(refused))


def form_page(
    request: HttpRequest,
    form: Any,
    *,
    title: str,
    caption: str,
    back: str,
    button: str,
    intro: str = "",
    details: str = "",
    context: dict[str, Any] | None = None,
) -> HttpResponse:
    """A page of one form. ``details`` names a template shown above it (what the form is about,
    with ``context``); with ``form`` None the page shows only that: a thing already done."""
    return render(
        request,
        "commissioning/form.html",
        {
            "form": form,
            "title": title,
            "caption": caption,
            "back": back,
            "button": button,
            "intro": intro,
            "details": details,
            **(context or {}),
        },
    )


def _visible_opportunity(request: HttpRequest, reference: str) -> Opportunity:
    return get_object_or_404(access.opportunities_visible_to(request.user), reference=reference)


def opportunity_list(request: HttpRequest) -> HttpResponse:
    form = OpportunityFilterForm(request.GET or None)
    filters: dict[str, Any] = {}
    if form.is_bound and form.is_valid():
        filters = {
            "pathway": form.cleaned_data.get("pathway") or "",
            "area": form.cleaned_data.get("area") or "",
            "closing_soon": bool(form.cleaned_data.get("closing_soon")),
        }
    opportunities = list(selectors.published_opportunities(request.user, **filters))
    managed = list(access.opportunities_managed_by(request.user).filter(published_at__isnull=True))
    return render(
        request,
        "commissioning/list.html",
        {
            "form": form,
            "opportunities": opportunities,
            "drafts": managed,
            "may_create": access.may_create_opportunities(request.user),
        },
    )


def opportunity_detail(request: HttpRequest, reference: str) -> HttpResponse:
    opportunity = _visible_opportunity(request, reference)
    now = timezone.now()
    managed = access.opportunities_managed_by(request.user).filter(pk=opportunity.pk).exists()
    own = list(
        access.partnerships_visible_to(request.user).filter(
            opportunity=opportunity, pk__in=access.memberships_of(request.user).values("partnership_id")
        )
    )
    award = current_awards(opportunity.awards.all()).select_related("bid__partnership__lead", "contract").first()
    return render(
        request,
        "commissioning/detail.html",
        {
            "opportunity": opportunity,
            "status": opportunity.status(now),
            "stages": opportunity.stages.prefetch_related("criteria", "questions", "evaluators"),
            "rules": opportunity.rules.order_by("id"),
            "clarifications": selectors.answered_clarifications(opportunity),
            "unanswered": opportunity.clarifications.filter(answered_at__isnull=True) if managed else None,
            "managed": managed,
            "own_partnerships": own,
            "may_form_partnership": not own and access.may_form_partnership(request.user, opportunity, now=now),
            "may_ask": access.may_ask_clarification(request.user, opportunity, now=now),
            "award": award,
            "award_contract": award.contract
            if award is not None
            and award.contract_id is not None
            and contracts_visible_to(request.user).filter(pk=award.contract_id).exists()
            else None,
            "feedback": selectors.published_feedback(opportunity),
            # While a stage is sealed, even that bidders answered the survey is not told.
            "feedback_publishable": managed
            and opportunity.feedback_published_at is None
            and access.survey_counts_told(opportunity, now=now)
            and opportunity.survey_responses.exists(),
            "problems": services.publication_problems(opportunity, now=now)
            if managed and opportunity.published_at is None
            else [],
            "evaluating": opportunity.stages.filter(sealed.unsealed_q(now)).exists() and managed,
            "flagged": selectors.lost_bidders_in_winning_partnership(opportunity) if managed else [],
            "challenges": selectors.challenges_of_standing_award(opportunity, now=now) if managed else [],
            "documents": access.opportunity_documents_visible_to(request.user, now=now)
            .filter(opportunity=opportunity, replaced_at__isnull=True)
            .defer("content"),
            "documents_changeable": managed and not opportunity.is_ended and award is None,
        },
    )


FEED_NAMESPACE = "urn:stepchange:commissioning"


class OpportunityFeed(Atom1Feed):
    """Atom 1.0, with each entry's closing date as a ``closes`` element of the service's namespace."""

    def root_attributes(self) -> dict[str, str]:
        return {**super().root_attributes(), "xmlns:sc": FEED_NAMESPACE}

    def add_item_elements(self, handler: Any, item: dict[str, Any]) -> None:
        super().add_item_elements(handler, item)
        if item.get("closes") is not None:
            handler.addQuickElement("sc:closes", item["closes"].isoformat())


@require_http_methods(["GET", "HEAD"])
def opportunity_feed(request: HttpRequest) -> HttpResponse:
    """The published opportunities as an Atom feed, for the bulletin: the same for everyone (no
    drafts, even to their managers), never a cancelled one, narrowed by ?pathway= and ?area=."""
    now = timezone.now()
    form = OpportunityFilterForm(request.GET or None)
    pathway = area = ""
    if form.is_bound and form.is_valid():
        pathway, area = form.cleaned_data.get("pathway") or "", form.cleaned_data.get("area") or ""
    opportunities = list(
        selectors.published_opportunities(None, pathway=pathway, area=area, now=now).filter(cancelled_at__isnull=True)
    )
    feed = OpportunityFeed(
        title="Opportunities: tenders and grant rounds",
        link=request.build_absolute_uri(reverse("commissioning:list")),
        description="Tenders and grant rounds published by the region's commissioners.",
        feed_url=request.build_absolute_uri(),
        language="en-GB",
    )
    for opportunity in opportunities:
        closes = opportunity.closes_at()
        deadline = (
            f"Closes {dateformat.format(timezone.localtime(closes), 'j F Y H:i')}." if closes else "No open stage."
        )
        feed.add_item(
            title=opportunity.title,
            link=request.build_absolute_uri(reverse("commissioning:detail", args=[opportunity.reference])),
            unique_id=request.build_absolute_uri(reverse("commissioning:detail", args=[opportunity.reference])),
            description=f"{opportunity.commissioner.name}: {opportunity.description} {deadline}",
            pubdate=opportunity.published_at,
            updateddate=opportunity.published_at,
            categories=[p.name for p in opportunity.pathways.all()] + [a.name for a in opportunity.areas.all()],
            closes=closes,
        )
    response = HttpResponse(content_type="application/atom+xml; charset=utf-8")
    feed.write(response, "utf-8")
    return response


@require_http_methods(["GET", "HEAD"])
def opportunity_ocds(request: HttpRequest, reference: str) -> HttpResponse:
    """The opportunity's OCDS release package: public, and only once it is published."""
    opportunity = get_object_or_404(ocds.published_opportunities(), reference=reference)
    package = ocds.release_package(
        [opportunity],
        uri=request.build_absolute_uri(),
        base_url=request.build_absolute_uri("/").rstrip("/"),
    )
    response = JsonResponse(package, json_dumps_params={"indent": 2, "ensure_ascii": False})
    response["Content-Disposition"] = f'inline; filename="{ocds.ocid(opportunity)}.json"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def clarification_ask(request: HttpRequest, reference: str) -> HttpResponse:
    opportunity = _visible_opportunity(request, reference)
    if access.provider_organisation_id(request.user) is None:
        raise Http404(NOT_FOUND)
    form = ClarificationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.clarification_ask(
                actor=request.user, opportunity=opportunity, question=form.cleaned_data["question"]
            )
        except PermissionDenied:
            raise Http404(NOT_FOUND) from None
        except ValidationError as refused:
            refused_on(form, refused)
        else:
            messages.success(request, "Question sent. The answer will be published on this page.")
            return redirect("commissioning:detail", reference=opportunity.reference)
    back = reverse("commissioning:detail", args=[opportunity.reference])
    return form_page(
        request,
        form,
        title="Ask a clarification question",
        caption=opportunity.title,
        back=back,
        button="Send question",
    )


@login_required
@require_http_methods(["GET", "POST"])
def partnership_create(request: HttpRequest, reference: str) -> HttpResponse:
    opportunity = _visible_opportunity(request, reference)
    if access.provider_organisation_id(request.user) is None:
        raise Http404(NOT_FOUND)
    form = PartnershipForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            partnership = services.partnership_create(actor=request.user, opportunity=opportunity, **form.cleaned_data)
        except ValidationError as refused:
            refused_on(form, refused)
        else:
            messages.success(request, f"{partnership.name} formed. Invite its members next.")
            return redirect("commissioning:partnership", pk=partnership.pk)
    back = reverse("commissioning:detail", args=[opportunity.reference])
    return form_page(
        request,
        form,
        title="Form a bidding partnership",
        caption=opportunity.title,
        back=back,
        button="Form partnership",
        intro="Your organisation leads it. Members you invite confirm their own membership.",
    )


@login_required
def partnership_detail(request: HttpRequest, pk: int) -> HttpResponse:
    now = timezone.now()
    partnership = get_object_or_404(access.partnerships_open_to(request.user, now=now), pk=pk)
    is_member = access.memberships_of(request.user).filter(partnership=partnership).exists()
    bids = list(access.bids_openable_by(request.user, now=now).filter(partnership=partnership).select_related("stage"))
    opened = sealing.open_bids(bids, reader=request.user, now=now)
    on_team = access.bid_team_memberships_of(request.user).filter(partnership=partnership).exists()
    return render(
        request,
        "commissioning/partnership.html",
        {
            "partnership": partnership,
            "members": partnership.members.select_related("organisation").order_by("invited_at", "id"),
            "is_member": is_member,
            "is_lead": access.partnerships_led_by(request.user).filter(pk=partnership.pk).exists(),
            "my_membership": access.memberships_of(request.user).filter(partnership=partnership).first(),
            "bids": [(bid, opened.get(bid.pk)) for bid in bids],
            "on_team": on_team,
            "may_name_team": access.may_name_bid_team(request.user, partnership),
            # A partnership rejected at a stage is not offered the next (``access.may_bid_at_stage``).
            "open_stages": access.stages_open_to_bid(partnership, now=now) if on_team else [],
            "notices": partnership.notices.all() if is_member else [],
            "survey": SurveyInvitation.objects.filter(partnership=partnership, answered=False).first()
            if is_member
            else None,
            "challengeable": current_award(partnership.opportunity) if is_member else None,
            "documents": access.partnership_documents_visible_to(request.user, now=now)
            .filter(partnership=partnership, replaced_at__isnull=True)
            .defer("content"),
            "earlier_documents": access.partnership_documents_visible_to(request.user, now=now)
            .filter(partnership=partnership, replaced_at__isnull=False)
            .order_by("kind", "-replaced_at")
            .defer("content"),
            "documents_frozen": partnership.documents_frozen(now),
            "is_confirmed": access.confirmed_memberships_of(request.user).filter(partnership=partnership).exists(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def member_invite(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = get_object_or_404(access.partnerships_led_by(request.user), pk=pk)
    form = InviteForm(request.POST or None, initial={"version": partnership.version})
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        expected_version = fields.pop("version")  # the page carries it; a post without one is not checked
        try:
            member = services.member_invite(
                actor=request.user, partnership=partnership, expected_version=expected_version, **fields
            )
        except (ValidationError, StaleEdit) as refused:
            refused_on(form, refused)
        else:
            messages.success(request, f"{member.organisation.name} invited; it must confirm its membership.")
            return redirect("commissioning:partnership", pk=partnership.pk)
    back = reverse("commissioning:partnership", args=[partnership.pk])
    return form_page(request, form, title="Invite a member", caption=partnership.name, back=back, button="Invite")


def _posted_id(request: HttpRequest, name: str) -> int:
    value = request.POST.get(name, "")
    return int(value) if value.isdigit() and len(value) < 12 else 0


@login_required
@require_http_methods(["GET", "POST"])
def bid_team(request: HttpRequest, pk: int) -> HttpResponse:
    """Who of each member organisation is on the bid. Everyone on the bid team sees the list; the
    lead's team names and removes people. Anyone else: a 404."""
    membership = access.bid_team_memberships_of(request.user).filter(partnership_id=pk).first()
    if membership is None:
        raise Http404(NOT_FOUND)
    partnership = membership.partnership
    may_change = access.may_name_bid_team(request.user, partnership)
    if request.method == "POST":
        if not may_change:
            raise Http404(NOT_FOUND)
        member = partnership.confirmed_members().filter(pk=_posted_id(request, "member")).first()
        person = None
        if member is not None:
            person = User.objects.filter(
                pk=_posted_id(request, "person"), organisation_id=member.organisation_id
            ).first()
        change = {"add": services.bid_team_add, "remove": services.bid_team_remove}.get(request.POST.get("action", ""))
        try:
            if member is None or person is None or change is None:
                raise ValidationError("Choose a person of a member organisation.")
            change(actor=request.user, member=member, person=person)
        except ValidationError as refused:
            messages.error(request, "; ".join(refused.messages))
        else:
            name = person.get_full_name() or person.username
            done = "is now on the bid" if change is services.bid_team_add else "is no longer on the bid"
            messages.success(request, f"{name} of {member.organisation.name} {done}")
        return redirect("commissioning:bid-team", pk=partnership.pk)
    return render(
        request,
        "commissioning/bid_team.html",
        {"partnership": partnership, "teams": selectors.bid_team_of(partnership), "may_change": may_change},
    )


def _own_membership(request: HttpRequest, pk: int) -> PartnershipMember:
    mine = access.memberships_of(request.user)
    led = PartnershipMember.objects.filter(
        partnership__in=access.partnerships_led_by(request.user), left_at__isnull=True
    )
    return get_object_or_404(mine | led, pk=pk)


@login_required
@require_POST
def member_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    member = _own_membership(request, pk)
    try:
        services.member_confirm(actor=request.user, member=member)
    except PermissionDenied:
        raise Http404(NOT_FOUND) from None
    except services.AlreadyConfirmed as already:
        messages.info(request, already.message)
    else:
        messages.success(request, f"You have confirmed your membership of {member.partnership.name}")
    return redirect("commissioning:partnership", pk=member.partnership_id)


@login_required
@require_POST
def member_leave(request: HttpRequest, pk: int) -> HttpResponse:
    member = _own_membership(request, pk)
    try:
        services.member_leave(actor=request.user, member=member)
    except (PermissionDenied, ValidationError) as refused:
        messages.error(request, "; ".join(getattr(refused, "messages", [str(refused)])))
    else:
        messages.success(request, f"{member.organisation.name} has left {member.partnership.name}")
    return redirect("commissioning:partnership", pk=member.partnership_id)


@login_required
@require_http_methods(["GET", "POST"])
def bid_edit(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    """The partnership's bid at one stage: answers and price, saved until the deadline, by its bid team."""
    membership = access.bid_team_memberships_of(request.user).filter(partnership_id=pk).first()
    if membership is None:
        raise Http404(NOT_FOUND)
    partnership = membership.partnership
    stage = get_object_or_404(Stage, opportunity=partnership.opportunity, number=number)
    bid = Bid.objects.filter(partnership=partnership, stage=stage).first()
    if bid is None and not access.may_bid_at_stage(partnership, stage):
        raise Http404(NOT_FOUND)
    questions = list(stage.questions.all())
    initial: dict[str, Any] = {}
    if bid is not None:
        content = sealing.open_bid(bid, reader=request.user)
        initial = {f"q{k}": v for k, v in content.answers.items()} | {"price": content.price, "version": bid.version}
    form = BidForm(request.POST or None, questions=questions, initial=initial)
    if request.method == "POST" and form.is_valid():
        submitting = "submit" in request.POST
        try:
            bid = (services.bid_save_and_submit if submitting else services.bid_save)(
                actor=request.user,
                partnership=partnership,
                stage=stage,
                answers=form.answers(),
                price=form.cleaned_data.get("price"),
                expected_version=form.cleaned_data.get("version") or 0,  # a page opened before any bid: none expected
            )
        except (ValidationError, StaleEdit) as refused:
            refused_on(form, refused)
            if submitting and isinstance(refused, ValidationError):
                form.add_error(None, "Nothing was saved. Put right what is listed, then submit again.")
        else:
            messages.success(
                request, "Bid submitted" if "submit" in request.POST else "Bid saved; it is not submitted yet"
            )
            return redirect("commissioning:partnership", pk=partnership.pk)
    return render(
        request,
        "commissioning/bid_form.html",
        {"form": form, "partnership": partnership, "stage": stage, "bid": bid, "frozen": not stage.is_sealed()},
    )


@login_required
@require_POST
def bid_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    bid = get_object_or_404(access.bids_of_own_partnerships(request.user), pk=pk)
    try:
        services.bid_withdraw(actor=request.user, bid=bid)
    except ValidationError as refused:
        messages.error(request, "; ".join(refused.messages))
    else:
        messages.success(request, "Bid withdrawn")
    return redirect("commissioning:partnership", pk=bid.partnership_id)


@login_required
@require_http_methods(["GET", "POST"])
def survey(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = get_object_or_404(
        SurveyInvitation.objects.filter(
            partnership__in=access.confirmed_memberships_of(request.user).values("partnership_id")
        ),
        pk=pk,
    )
    form = SurveyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.survey_answer(actor=request.user, invitation=invitation, **form.cleaned_data)
        except ValidationError as refused:
            refused_on(form, refused)
        else:
            messages.success(request, "Thank you. Your answers are kept without your name.")
            return redirect("commissioning:partnership", pk=invitation.partnership_id)
    back = reverse("commissioning:partnership", args=[invitation.partnership_id])
    return form_page(
        request,
        form,
        title="How did the process go?",
        caption=invitation.opportunity.title,
        back=back,
        button="Send answers",
        intro="Your answers are anonymous: the summary never says who gave them.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def challenge_raise(request: HttpRequest, pk: int) -> HttpResponse:
    """A bidder challenges the standing award of an opportunity it bid for, during the standstill."""
    membership = access.confirmed_memberships_of(request.user).filter(partnership_id=pk).first()
    if membership is None:
        raise Http404(NOT_FOUND)
    award = current_award(membership.partnership.opportunity)
    if award is None:
        raise Http404(NOT_FOUND)
    form = ChallengeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.challenge_raise(actor=request.user, award=award, grounds=form.cleaned_data["grounds"])
        except PermissionDenied:
            raise Http404(NOT_FOUND) from None
        except ValidationError as refused:
            refused_on(form, refused)
        else:
            messages.success(request, "Challenge raised; the commissioner must answer it before the contract starts")
            return redirect("commissioning:partnership", pk=pk)
    back = reverse("commissioning:partnership", args=[pk])
    return form_page(
        request, form, title="Challenge the award", caption=award.opportunity.title, back=back, button="Raise challenge"
    )
