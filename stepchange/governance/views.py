"""Governance pages, under /governance/. Thin: each asks ``access``, reads through ``selectors``
and writes through ``services``. A plan, group, meeting or paper a person may not see is a 404, as
is a page they may not use."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_http_methods

from stepchange.core import periods
from stepchange.core.models import Region
from stepchange.core.pages import form_page
from stepchange.core.uploads import download_name
from stepchange.governance import access, selectors, services
from stepchange.governance.forms import (
    ActionFieldsForm,
    ActionUpdateForm,
    DecisionForm,
    GroupForm,
    MeetingForm,
    MemberForm,
    NoteForm,
    ObjectiveForm,
    PaperForm,
    PlanForm,
)
from stepchange.governance.models import Action, ActionPlan, Group, Meeting, Objective

NOT_FOUND = "Page not found"
ACTION_FIELDS = ("title", "owner_user", "owner_name", "due_on", "status", "rag", "figure", "figure_area", "target")


def _plan(request: HttpRequest, pk: int, *, manage: bool = False) -> ActionPlan:
    plan = get_object_or_404(access.plans_visible_to(request.user).select_related("region", "owner"), pk=pk)
    if manage and not access.may_manage_plan(request.user, plan):
        raise Http404(NOT_FOUND)
    return plan


def _action(request: HttpRequest, pk: int, *, update: bool = False) -> Action:
    action = get_object_or_404(
        access.actions_visible_to(request.user).select_related(
            "objective__plan__region", "owner_user", "figure_area__organisation"
        ),
        pk=pk,
    )
    if update and not access.may_update_action(request.user, action):
        raise Http404(NOT_FOUND)
    return action


def _group(request: HttpRequest, pk: int) -> Group:
    return get_object_or_404(access.groups_visible_to(request.user).select_related("region"), pk=pk)


def _meeting(request: HttpRequest, pk: int, *, run: bool = False) -> Meeting:
    meeting = get_object_or_404(access.meetings_visible_to(request.user).select_related("group__region"), pk=pk)
    if run and not access.may_run_meetings(request.user, meeting.group):
        raise Http404(NOT_FOUND)
    return meeting


def _own_region(request: HttpRequest) -> Region:
    return get_object_or_404(Region, pk=access.region_of(request.user))


@login_required
def index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "governance/index.html",
        {
            "plans": access.plans_visible_to(request.user).select_related("region", "owner"),
            "groups": access.groups_visible_to(request.user).select_related("region"),
            "may_create_plan": access.may_create_plan(request.user),
            "may_create_group": access.may_create_group(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_create(request: HttpRequest) -> HttpResponse:
    if not access.may_create_plan(request.user):
        raise Http404(NOT_FOUND)
    region = _own_region(request)
    form = PlanForm(request.POST or None)
    return form_page(
        request,
        form,
        title="Set up an action plan",
        caption=region.name,
        back=reverse("governance:index"),
        save=lambda data: services.plan_create(actor=request.user, region=region, title=data["title"]),
        saved="The action plan is set up. Add its objectives from its page.",
    )


@login_required
def plan(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    today = timezone.localdate()
    cache: dict[Any, Any] = {}
    actions = list(selectors.plan_actions(plan))
    rows = selectors.action_rows(actions, region=plan.region, today=today, cache=cache)
    objectives = [(o, [r for r in rows if r.action.objective_id == o.pk]) for o in plan.objectives.all()]
    return render(
        request,
        "governance/plan.html",
        {
            "plan": plan,
            "objectives": objectives,
            "rag_counts": selectors.rag_counts([a.rag for a in actions]),
            "overdue": sum(1 for r in rows if r.overdue),
            "may_manage": access.may_manage_plan(request.user, plan),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def objective_add(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk, manage=True)
    following = (plan.objectives.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    form = ObjectiveForm(request.POST or None, initial={"number": following})
    return form_page(
        request,
        form,
        title="Add an objective",
        caption=plan.title,
        back=reverse("governance:plan", args=[plan.pk]),
        save=lambda data: services.objective_add(
            actor=request.user, plan=plan, number=data["number"], title=data["title"]
        ),
        saved="The objective is added.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def action_add(request: HttpRequest, pk: int, objective: int) -> HttpResponse:
    plan = _plan(request, pk, manage=True)
    chosen = get_object_or_404(Objective.objects.filter(plan=plan), pk=objective)
    form = ActionFieldsForm(request.POST or None, region_id=plan.region_id)
    return form_page(
        request,
        form,
        title="Add an action",
        caption=f"Objective {chosen.number}",
        back=reverse("governance:plan", args=[plan.pk]),
        save=lambda data: services.action_add(
            actor=request.user, objective=chosen, data={k: data.get(k) for k in ACTION_FIELDS}
        ),
        saved="The action is added.",
        details=[("Objective", chosen.title)],
    )


@login_required
def action(request: HttpRequest, pk: int) -> HttpResponse:
    action = _action(request, pk)
    plan = action.objective.plan
    (row,) = selectors.action_rows([action], region=plan.region, today=timezone.localdate(), cache={})
    return render(
        request,
        "governance/action.html",
        {
            "action": action,
            "plan": plan,
            "row": row,
            "notes": list(action.notes.select_related("written_by")),
            "meeting": access.meeting_shown(request.user, action),
            "may_update": access.may_update_action(request.user, action),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def action_update(request: HttpRequest, pk: int) -> HttpResponse:
    action = _action(request, pk, update=True)
    initial = {"status": action.status, "rag": action.rag, "due_on": action.due_on, "version": action.version}
    form = ActionUpdateForm(request.POST or None, initial=initial)
    return form_page(
        request,
        form,
        title="Update the action",
        caption=f"Objective {action.objective.number}",
        back=reverse("governance:action", args=[action.pk]),
        save=lambda data: services.action_update(
            actor=request.user,
            action=action,
            status=data["status"],
            rag=data["rag"],
            due_on=data["due_on"],
            version=data["version"],
        ),
        saved="The action is updated.",
        details=[("Action", action.title)],
    )


@login_required
@require_http_methods(["GET", "POST"])
def note_add(request: HttpRequest, pk: int) -> HttpResponse:
    action = _action(request, pk, update=True)
    quarter = periods.quarter_containing(timezone.localdate())
    initial = {"year": quarter.year, "quarter": quarter.number, "rag": action.rag, "version": action.version}
    form = NoteForm(request.POST or None, initial=initial)
    return form_page(
        request,
        form,
        title="Note progress",
        caption=f"Objective {action.objective.number}",
        back=reverse("governance:action", args=[action.pk]),
        save=lambda data: services.note_add(
            actor=request.user,
            action=action,
            year=data["year"],
            quarter=data["quarter"],
            text=data["text"],
            rag=data["rag"],
            version=data["version"],
        ),
        saved="The progress note is saved.",
        details=[("Action", action.title)],
    )


@login_required
@require_http_methods(["GET", "POST"])
def group_create(request: HttpRequest) -> HttpResponse:
    if not access.may_create_group(request.user):
        raise Http404(NOT_FOUND)
    region = _own_region(request)
    form = GroupForm(request.POST or None)
    return form_page(
        request,
        form,
        title="Set up a group",
        caption=region.name,
        back=reverse("governance:index"),
        save=lambda data: services.group_create(
            actor=request.user, region=region, name=data["name"], kind=data["kind"], purpose=data["purpose"]
        ),
        saved="The group is set up. Add its members from its page.",
    )


@login_required
def group(request: HttpRequest, pk: int) -> HttpResponse:
    group = _group(request, pk)
    return render(
        request,
        "governance/group.html",
        {
            "group": group,
            "members": list(group.members.select_related("user__organisation")),
            "meetings": list(group.meetings.all()),
            "may_manage": access.may_manage_group(request.user, group),
            "may_run": access.may_run_meetings(request.user, group),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def member_add(request: HttpRequest, pk: int) -> HttpResponse:
    group = _group(request, pk)
    if not access.may_manage_group(request.user, group):
        raise Http404(NOT_FOUND)
    form = MemberForm(request.POST or None, region_id=group.region_id, initial={"joined_on": timezone.localdate()})
    return form_page(
        request,
        form,
        title="Add a member",
        caption=group.name,
        back=reverse("governance:group", args=[group.pk]),
        save=lambda data: services.member_add(
            actor=request.user,
            group=group,
            user=data["user"],
            name=data["name"],
            organisation_name=data["organisation_name"],
            sector=data["sector"],
            role=data["role"],
            joined_on=data["joined_on"],
        ),
        saved="The member is added.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_add(request: HttpRequest, pk: int) -> HttpResponse:
    group = _group(request, pk)
    if not access.may_run_meetings(request.user, group):
        raise Http404(NOT_FOUND)
    form = MeetingForm(request.POST or None)
    return form_page(
        request,
        form,
        title="Record a meeting",
        caption=group.name,
        back=reverse("governance:group", args=[group.pk]),
        save=lambda data: services.meeting_add(
            actor=request.user, group=group, held_on=data["held_on"], title=data["title"], minutes=data["minutes"]
        ),
        saved="The meeting is recorded. Add its papers and decisions from its page.",
    )


@login_required
def meeting(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    decisions = list(meeting.decisions.prefetch_related("actions"))
    visible = set(access.actions_visible_to(request.user).filter(meeting=meeting).values_list("pk", flat=True))
    return render(
        request,
        "governance/meeting.html",
        {
            "meeting": meeting,
            "papers": list(meeting.papers.defer("content")),
            "decisions": [(d, [a for a in d.actions.all() if a.pk in visible]) for d in decisions],
            "may_run": access.may_run_meetings(request.user, meeting.group),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def paper_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk, run=True)
    back = reverse("governance:meeting", args=[meeting.pk])
    form = PaperForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.paper_add(
                actor=request.user, meeting=meeting, title=form.cleaned_data["title"], upload=form.cleaned_data["file"]
            )
        except ValidationError as refused:
            form.add_error(None, refused)
        else:
            messages.success(request, "The paper is added.")
            return redirect(back)
    return render(
        request,
        "governance/paper_form.html",
        {"form": form, "title": "Add a paper", "caption": str(meeting), "back": back},
    )


@login_required
@require_http_methods(["GET", "POST"])
def decision_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk, run=True)
    plans = [p for p in access.plans_visible_to(request.user).filter(region_id=meeting.group.region_id)]
    managed = [p.pk for p in plans if access.may_manage_plan(request.user, p)]
    objectives = Objective.objects.filter(plan_id__in=managed).select_related("plan").order_by("plan__title", "number")
    form = DecisionForm(
        request.POST or None,
        region_id=meeting.group.region_id,
        objectives=objectives,
        initial={"due_on": None},
    )

    def save(data: dict[str, Any]) -> Any:
        objective = data.get("objective")
        return services.decision_add(
            actor=request.user,
            meeting=meeting,
            text=data["text"],
            objective=objective,
            action={k: data.get(k) for k in ACTION_FIELDS} if objective is not None else None,
        )

    return form_page(
        request,
        form,
        title="Record a decision",
        caption=str(meeting),
        back=reverse("governance:meeting", args=[meeting.pk]),
        save=save,
        saved="The decision is recorded.",
    )


@login_required
def paper(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_object_or_404(access.papers_visible_to(request.user), pk=pk)
    response = HttpResponse(bytes(document.content), content_type=document.content_type)
    name = download_name(document.display_name, document.file_format)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=name) or "attachment"
    response["Content-Length"] = str(document.size)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
