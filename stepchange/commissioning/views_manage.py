"""Pages for the commissioner (create, publish, change, decide, award, end) and for evaluators
(declare, score). Every opportunity comes through ``opportunities_managed_by`` and every bid
through ``bids_visible_to``: a sealed bid is a 404 like one that does not exist."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from stepchange.commissioning import access, sealing, selectors, services, tender_period
from stepchange.commissioning.awards import current_award
from stepchange.commissioning.forms import (
    AnswerForm,
    CriterionForm,
    DeadlineForm,
    DeclarationForm,
    EvaluatorForm,
    ModerationForm,
    OpportunityForm,
    QuestionForm,
    ReasonForm,
    RuleForm,
    ScoreForm,
    StageForm,
)
from stepchange.commissioning.models import Challenge, ClarificationQuestion, Opportunity, Stage
from stepchange.commissioning.views import NOT_FOUND, form_page, refused_on
from stepchange.core.audit import history_of
from stepchange.core.concurrency import StaleEdit


def _managed(request: HttpRequest, reference: str) -> Opportunity:
    return get_object_or_404(access.opportunities_managed_by(request.user), reference=reference)


def _detail(opportunity: Opportunity) -> str:
    return reverse("commissioning:detail", args=[opportunity.reference])


@login_required
@require_http_methods(["GET", "POST"])
def opportunity_create(request: HttpRequest) -> HttpResponse:
    if not access.may_create_opportunities(request.user):
        raise Http404(NOT_FOUND)
    form = OpportunityForm(
        request.POST or None, user=request.user, initial={"kind": "tender", "funding_source": "main_grant"}
    )
    if request.method == "POST" and form.is_valid():
        try:
            opportunity = services.opportunity_create(
                actor=request.user,
                commissioner=form.cleaned_data["commissioner"],
                reference=form.cleaned_data["reference"],
                pathways=form.cleaned_data["pathways"],
                areas=form.cleaned_data["areas"],
                **form.service_fields(),
            )
        except ValidationError as refused:
            refused_on(form, refused)
        else:
            messages.success(
                request, "Opportunity saved as a draft. Add its stages, criteria, questions, evaluators and rules."
            )
            return redirect("commissioning:detail", reference=opportunity.reference)
    return form_page(
        request,
        form,
        title="Create an opportunity",
        caption="Commissioning",
        back=reverse("commissioning:list"),
        button="Save draft",
    )


@login_required
@require_http_methods(["GET", "POST"])
def opportunity_edit(request: HttpRequest, reference: str) -> HttpResponse:
    opportunity = _managed(request, reference)
    initial = {name: getattr(opportunity, name) for name in services.OPPORTUNITY_FIELDS}
    initial |= {
        "commissioner": opportunity.commissioner_id,
        "reference": opportunity.reference,
        "pathways": [p.code for p in opportunity.pathways.all()],
        "areas": [a.code for a in opportunity.areas.all()],
        "version": opportunity.version,
    }
    published = opportunity.published_at is not None
    form = OpportunityForm(request.POST or None, user=request.user, published=published, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.opportunity_update(
                actor=request.user,
                opportunity=opportunity,
                expected_version=form.cleaned_data.get("version") or 0,
                pathways=form.cleaned_data["pathways"],
                areas=form.cleaned_data["areas"],
                commissioner=form.cleaned_data.get("commissioner"),
                reference=form.cleaned_data.get("reference"),
                **form.service_fields(),
            )
        except (ValidationError, StaleEdit) as refused:
            refused_on(form, refused)
        else:
            done = "Opportunity changed."
            if published:
                done += " Any bidder has been told and must re-confirm its bid."
            messages.success(request, done)
            return redirect("commissioning:detail", reference=changed.reference)
    intro = (
        "Once bids exist, every bidder is told of a change and must re-confirm; a deadline less than 7 days away "
        "moves to 7 days from now."
        if published
        else "This is a draft: you may change anything, its commissioner and reference too, until it is published."
    )
    return form_page(
        request,
        form,
        title="Change this opportunity",
        caption=opportunity.title,
        back=_detail(opportunity),
        button="Save changes",
        intro=intro,
    )


def _simple(
    request: HttpRequest,
    opportunity: Opportunity,
    form: Any,
    call: Any,
    *,
    title: str,
    button: str,
    done: str,
    intro: str = "",
) -> HttpResponse:
    if request.method == "POST" and form.is_valid():
        try:
            call(form.cleaned_data)
        except (ValidationError, StaleEdit) as refused:
            refused_on(form, refused)
        else:
            messages.success(request, done)
            return redirect("commissioning:detail", reference=opportunity.reference)
    return form_page(
        request, form, title=title, caption=opportunity.title, back=_detail(opportunity), button=button, intro=intro
    )


@login_required
@require_http_methods(["GET", "POST"])
def stage_add(request: HttpRequest, reference: str) -> HttpResponse:
    opportunity = _managed(request, reference)
    form = StageForm(request.POST or None, initial={"number": opportunity.stages.count() + 1})
    return _simple(
        request,
        opportunity,
        form,
        lambda d: services.stage_add(actor=request.user, opportunity=opportunity, **d),
        title="Add a stage",
        button="Add stage",
        done="Stage added",
        intro=_minimum_period_note(opportunity),
    )


def _minimum_period_note(opportunity: Opportunity) -> str:
    days = tender_period.minimum_days_of(opportunity)
    return (
        f"The minimum tender period of {opportunity.commissioner.region.name} is {days} days: each stage must be "
        "open for bids at least that long, from publication (the first stage) or from when the stage before it "
        "closes, unless you give the reason it must be shorter."
    )


def _stage(request: HttpRequest, reference: str, number: int) -> tuple[Opportunity, Stage]:
    opportunity = _managed(request, reference)
    return opportunity, get_object_or_404(Stage, opportunity=opportunity, number=number)


@login_required
@require_http_methods(["GET", "POST"])
def stage_deadline(request: HttpRequest, reference: str, number: int) -> HttpResponse:
    """Change a stage's deadline. The page says what follows before the change is made, and after
    it says where the deadline is now, which the seven-day rule may have moved."""
    opportunity, stage = _stage(request, reference, number)
    now = timezone.now()
    if not stage.is_sealed(now) or opportunity.is_ended:
        raise Http404(NOT_FOUND)
    form = DeadlineForm(
        request.POST or None,
        initial={
            "deadline": f"{timezone.localtime(stage.deadline):%d/%m/%Y %H:%M}",
            "short_period_reason": stage.short_period_reason,
        },
    )
    if request.method == "POST" and form.is_valid():
        wanted = form.cleaned_data["deadline"]
        try:
            changed = services.stage_deadline_change(
                actor=request.user,
                stage=stage,
                deadline=wanted,
                # Left empty, the reason the stage has stays.
                short_period_reason=form.cleaned_data["short_period_reason"] or None,
            )
        except ValidationError as refused:
            refused_on(form, refused)
        else:
            closes = f"{timezone.localtime(changed.deadline):%-d %B %Y %H:%M}"
            if changed.deadline != wanted:
                done = (
                    f"Stage {number} now closes {closes}: a deadline less than 7 days after a change moves "
                    "to 7 days after it."
                )
            else:
                done = f"Stage {number} now closes {closes}."
            if opportunity.published_at is not None:
                done += " Every partnership bidding has been told and must re-confirm its bid."
            messages.success(request, done)
            return redirect("commissioning:detail", reference=opportunity.reference)
    intro = f"Stage {number} closes {timezone.localtime(stage.deadline):%-d %B %Y %H:%M}. " + _minimum_period_note(
        opportunity
    )
    if opportunity.published_at is not None:
        intro += (
            " This opportunity is published: every partnership bidding for it will be told of the change and must"
            " re-confirm its bid, and a deadline less than 7 days from now moves to 7 days from now."
        )
    return form_page(
        request,
        form,
        title=f"Change the deadline of stage {number}",
        caption=opportunity.title,
        back=_detail(opportunity),
        button="Change the deadline",
        intro=intro,
    )


def _add_to_stage(
    request: HttpRequest,
    reference: str,
    number: int,
    form_class: type[forms.Form],
    service: Callable[..., object],
    *,
    title: str,
    button: str,
    done: str,
) -> HttpResponse:
    """A form adding one thing to a managed opportunity's stage: ``service`` is called with the
    actor, the stage and the form's cleaned data."""
    opportunity, stage = _stage(request, reference, number)
    return _simple(
        request,
        opportunity,
        form_class(request.POST or None),
        lambda d: service(actor=request.user, stage=stage, **d),
        title=title,
        button=button,
        done=done,
    )


@login_required
@require_http_methods(["GET", "POST"])
def question_add(request: HttpRequest, reference: str, number: int) -> HttpResponse:
    return _add_to_stage(
        request,
        reference,
        number,
        QuestionForm,
        services.question_add,
        title=f"Add a question to stage {number}",
        button="Add question",
        done="Question added",
    )


@login_required
@require_http_methods(["GET", "POST"])
def criterion_add(request: HttpRequest, reference: str, number: int) -> HttpResponse:
    return _add_to_stage(
        request,
        reference,
        number,
        CriterionForm,
        services.criterion_add,
        title=f"Add a criterion to stage {number}",
        button="Add criterion",
        done="Criterion added",
    )


@login_required
@require_http_methods(["GET", "POST"])
def evaluator_assign(request: HttpRequest, reference: str, number: int) -> HttpResponse:
    return _add_to_stage(
        request,
        reference,
        number,
        EvaluatorForm,
        services.evaluator_assign,
        title=f"Name an evaluator for stage {number}",
        button="Add evaluator",
        done="Evaluator named",
    )


@login_required
@require_http_methods(["GET", "POST"])
def rule_add(request: HttpRequest, reference: str) -> HttpResponse:
    opportunity = _managed(request, reference)
    form = RuleForm(request.POST or None)

    def call(_data: dict[str, Any]) -> None:
        services.rule_add(actor=request.user, opportunity=opportunity, **form.service_arguments())

    return _simple(
        request, opportunity, form, call, title="Add an eligibility rule", button="Add rule", done="Rule added"
    )


@login_required
@require_POST
def opportunity_publish(request: HttpRequest, reference: str) -> HttpResponse:
    opportunity = _managed(request, reference)
    try:
        services.opportunity_publish(actor=request.user, opportunity=opportunity)
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
    else:
        messages.success(request, "Published: anyone can now read this opportunity")
    return redirect("commissioning:detail", reference=opportunity.reference)


@login_required
@require_http_methods(["GET", "POST"])
def opportunity_end(request: HttpRequest, reference: str, how: str) -> HttpResponse:
    opportunity = _managed(request, reference)
    form = ReasonForm(request.POST or None)
    service = {
        "cancel": services.opportunity_cancel,
        "close": services.opportunity_close_without_award,
        "withdraw-award": None,
    }[how]
    title = {
        "cancel": "Cancel this opportunity",
        "close": "Close without an award",
        "withdraw-award": "Withdraw the award",
    }[how]

    def call(data: dict[str, Any]) -> None:
        if service is None:
            # With none standing, the one last withdrawn: the service tells who withdrew it and when.
            award = current_award(opportunity) or opportunity.awards.order_by("-withdrawn_at", "-pk").first()
            if award is None:
                raise ValidationError({"reason": "There is no award to withdraw."})
            services.award_withdraw(actor=request.user, award=award, reason=data["reason"])
        else:
            service(actor=request.user, opportunity=opportunity, reason=data["reason"])

    return _simple(request, opportunity, form, call, title=title, button=title, done="Done: every bidder has been told")


@login_required
@require_http_methods(["GET", "POST"])
def clarification_answer(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(
        ClarificationQuestion.objects.filter(opportunity__in=access.opportunities_managed_by(request.user)), pk=pk
    )
    form = AnswerForm(request.POST or None)
    return _simple(
        request,
        item.opportunity,
        form,
        lambda d: services.clarification_answer(actor=request.user, clarification=item, **d),
        title=f"Answer: {item.question[:80]}",
        button="Publish answer",
        done="Answer published",
    )


@login_required
@require_http_methods(["GET", "POST"])
def challenge_answer(request: HttpRequest, pk: int) -> HttpResponse:
    """The commissioner reads a challenge's grounds and answers them; an answered challenge is
    closed: its page shows the grounds and the answer, and no form."""
    item = get_object_or_404(
        Challenge.objects.filter(award__opportunity__in=access.opportunities_managed_by(request.user)).select_related(
            "partnership", "award__opportunity", "raised_by"
        ),
        pk=pk,
    )
    opportunity = item.award.opportunity
    # A press on an answered challenge still goes to the service, which tells who answered it and when.
    form = AnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.challenge_answer(actor=request.user, challenge=item, **form.cleaned_data)
        except ValidationError as refused:
            refused_on(form, refused)
        else:
            messages.success(request, "Challenge answered")
            return redirect("commissioning:detail", reference=opportunity.reference)
    return form_page(
        request,
        None if item.answered_at else form,
        title=f"{item.partnership.name}'s challenge" if item.answered_at else "Answer the challenge",
        caption=opportunity.title,
        back=_detail(opportunity),
        button="Send answer",
        details="commissioning/_challenge.html",
        context={"challenge": item},
    )


@login_required
@require_POST
def feedback_publish(request: HttpRequest, reference: str) -> HttpResponse:
    opportunity = _managed(request, reference)
    try:
        services.feedback_publish(actor=request.user, opportunity=opportunity)
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
    else:
        messages.success(request, "The anonymous feedback summary is published on the opportunity's page")
    return redirect("commissioning:detail", reference=opportunity.reference)


@login_required
@require_http_methods(["GET", "POST"])
def evaluation(request: HttpRequest, reference: str, number: int) -> HttpResponse:
    """Managers: the ranked bids of a closed stage, the spread of each criterion, moderation,
    then shortlist or award. Nothing is shown while the stage is sealed."""
    opportunity, stage = _stage(request, reference, number)
    now = timezone.now()
    if stage.is_sealed(now):
        raise Http404(NOT_FOUND)
    bids = access.bids_visible_to(request.user, now=now).filter(stage=stage)
    results = selectors.stage_results(stage, bids)
    if request.method == "POST":
        chosen = [r.bid for r in results if str(r.bid.pk) in request.POST.getlist("bids")]
        feedback = {r.bid.pk: request.POST.get(f"feedback_{r.bid.pk}", "").strip() for r in results}
        try:
            if stage.is_last:
                if len(chosen) != 1:
                    raise ValidationError({"shortlist": "Choose the one bid to award."})
                services.bid_award(
                    actor=request.user,
                    bid=chosen[0],
                    feedback=feedback,
                    unscored_reason=request.POST.get("unscored_reason", ""),
                )
            else:
                services.stage_shortlist(actor=request.user, stage=stage, shortlisted=chosen, feedback=feedback)
        except ValidationError as refused:
            messages.error(request, " ".join(refused.messages))
        else:
            messages.success(request, "Outcomes decided; every bidder has been told, with its scores")
            return redirect("commissioning:detail", reference=opportunity.reference)
    return render(
        request,
        "commissioning/evaluation.html",
        {
            "opportunity": opportunity,
            "stage": stage,
            "results": results,
            "decided": any(r.bid.outcome for r in results),
            # An award waits for every named evaluator's scores, or a reason to go without them.
            "award_waits": stage.is_last and any(r.yet_to_score for r in results),
            "award": current_award(opportunity),
            "unscored_reason": request.POST.get("unscored_reason", ""),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def moderate(request: HttpRequest, pk: int, criterion: int) -> HttpResponse:
    """One criterion of one bid: every evaluator's submitted score and justification, then the
    moderated score and why. A moderated criterion is frozen: its page shows the result, no form."""
    now = timezone.now()
    bid = get_object_or_404(
        access.bids_openable_by(request.user, now=now).filter(
            stage__opportunity__in=access.opportunities_managed_by(request.user)
        ),
        pk=pk,
    )
    item = get_object_or_404(bid.stage.criteria, pk=criterion)
    moderated = selectors.moderation_of(bid, item)
    # A press on a moderated criterion still goes to the service, which tells who recorded it and when.
    form = ModerationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.moderation_record(actor=request.user, bid=bid, criterion=item, **form.cleaned_data)
        except ValidationError as refused:
            refused_on(form, refused)
        else:
            messages.success(request, "Moderated score recorded; it is now frozen")
            return redirect(
                "commissioning:evaluation", reference=bid.stage.opportunity.reference, number=bid.stage.number
            )
    back = reverse("commissioning:evaluation", args=[bid.stage.opportunity.reference, bid.stage.number])
    return form_page(
        request,
        None if moderated else form,
        title=f"{item.name}: moderated score" if moderated else f"Moderate {item.name}",
        caption=bid.partnership.name,
        back=back,
        button="Record moderated score",
        details="commissioning/_moderation.html",
        context={
            "criterion": item,
            "moderated": moderated,
            "scores": selectors.submitted_scores(bid, item),
            "spread_limit": bid.stage.opportunity.moderation_spread,
        },
    )


@login_required
def my_evaluations(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    stages = access.stages_evaluated_by(request.user).select_related("opportunity").order_by("deadline")
    bids = list(access.bids_visible_to(request.user, now=now).filter(stage__in=stages).select_related("partnership"))
    # Which bids a stage lists is the access rule's answer (``bids_visible_to``); the page only groups them.
    rows = [
        {"stage": stage, "sealed": stage.is_sealed(now), "bids": [bid for bid in bids if bid.stage_id == stage.pk]}
        for stage in stages
    ]
    return render(request, "commissioning/evaluations.html", {"rows": rows, "bids": bids})


@login_required
@require_http_methods(["GET", "POST"])
def bid_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A bid's content. An evaluator first declares on conflicts; every opening is logged."""
    now = timezone.now()
    bid = get_object_or_404(access.bids_visible_to(request.user, now=now), pk=pk)
    if not access.bids_openable_by(request.user, now=now).filter(pk=bid.pk).exists():
        declaration = DeclarationForm(request.POST or None)
        if request.method == "POST" and declaration.is_valid():
            try:
                services.conflict_declare(actor=request.user, bid=bid, **declaration.cleaned_data)
            except ValidationError as refused:
                refused_on(declaration, refused)
            else:
                if declaration.cleaned_data["has_conflict"]:
                    messages.success(request, "Conflict recorded: you are removed from this bid")
                    return redirect("commissioning:evaluations")
                return redirect("commissioning:bid", pk=bid.pk)
        return form_page(
            request,
            declaration,
            title="Declare any conflict of interest",
            caption=f"Bid from {bid.partnership.name}",
            back=reverse("commissioning:evaluations"),
            button="Continue",
            intro="You declare before you read the bid. A conflict removes you from it.",
        )
    try:
        services.bid_open(actor=request.user, bid=bid, now=now)
    except PermissionDenied:
        raise Http404(NOT_FOUND) from None
    criteria = list(bid.stage.criteria.all())
    scorable = access.may_score(request.user, bid, now=now)
    mine, others = selectors.own_scores_then_others(request.user, bid)
    form = None
    if scorable and not (mine and all(s.submitted_at for s in mine)):
        initial = {f"score_{s.criterion_id}": s.score for s in mine} | {
            f"why_{s.criterion_id}": s.justification for s in mine
        }
        form = ScoreForm(request.POST or None, criteria=criteria, initial=initial)
        if request.method == "POST" and form.is_valid():
            try:
                # One press saves every score and submits them together, or nothing: a press from
                # another window waits on the bid's row and cannot mix its scores into these.
                with transaction.atomic():
                    for criterion in criteria:
                        services.score_save(
                            actor=request.user,
                            bid=bid,
                            criterion=criterion,
                            score=form.cleaned_data[f"score_{criterion.pk}"],
                            justification=form.cleaned_data[f"why_{criterion.pk}"],
                            now=now,
                        )
                    if "submit" in request.POST:
                        services.scores_submit(actor=request.user, bid=bid, now=now)
            except (ValidationError, PermissionDenied) as refused:
                refused_on(form, refused)
            else:
                messages.success(
                    request, "Scores submitted" if "submit" in request.POST else "Scores saved, not yet submitted"
                )
                return redirect("commissioning:bid", pk=bid.pk)
    try:
        content = sealing.open_bid(bid, reader=request.user, now=now)
    except sealing.NotOpenable:
        raise Http404(NOT_FOUND) from None
    questions = [(q, content.answer(q.number)) for q in bid.stage.questions.all()]
    own = access.bids_of_own_partnerships(request.user).filter(pk=bid.pk).exists()
    partnership_open = access.may_see_partnership(request.user, bid.partnership, now=now)
    return render(
        request,
        "commissioning/bid.html",
        {
            "bid": bid,
            "price": content.price,
            "questions": questions,
            "form": form,
            "mine": mine,
            "others": others,
            "documents": access.bid_documents_visible_to(request.user, now=now).filter(bid=bid).defer("sealed_content"),
            "documents_changeable": own and bid.stage.is_sealed(now) and not bid.withdrawn_at,
            # Whoever scores the bid sees who is bidding: the members, their roles and shares.
            "members": selectors.members_of_bid(bid) if partnership_open else None,
        },
    )


@login_required
def audit(request: HttpRequest, reference: str) -> HttpResponse:
    """Who opened which bid when, and every change to the opportunity; for its managers."""
    opportunity = _managed(request, reference)
    now = timezone.now()
    bids = access.bids_visible_to(request.user, now=now).filter(stage__opportunity=opportunity)
    from stepchange.commissioning.models import BidOpening

    openings = (
        BidOpening.objects.filter(bid__in=bids)
        .select_related("bid__partnership", "bid__stage", "opened_by", "document")
        .defer("document__sealed_content")
    )
    return render(
        request,
        "commissioning/audit.html",
        {
            "opportunity": opportunity,
            "openings": openings,
            "history": history_of(opportunity),
            "flagged": selectors.lost_bidders_in_winning_partnership(opportunity),
            "challenges": selectors.challenges_of_standing_award(opportunity, now=now),
        },
    )
