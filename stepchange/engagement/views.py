"""Community-engagement pages, under /engagement/. Thin: each asks ``access``, reads through
``selectors`` and writes through ``services``. An establishment, link, requirement or action a
person may not see is a 404, as is a page they may not use."""

from __future__ import annotations

import io
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from stepchange.core.exports import SafeCsvWriter
from stepchange.core.pages import form_page
from stepchange.engagement import access, selectors, services
from stepchange.engagement.forms import ActionForm, ApproveForm, EndForm, LinkForm, RequirementForm, ReviewForm
from stepchange.engagement.models import LINK_FIELDS, Action, Link, Requirement
from stepchange.organisations.matching import similar_organisations
from stepchange.organisations.models import Commissioner, Listing, Organisation

NOT_FOUND = "Page not found"


def _establishment(request: HttpRequest, pk: int, *, keep: bool = False) -> Commissioner:
    found = get_object_or_404(access.establishments_visible_to(request.user), pk=pk)
    if keep and not access.may_keep_records(request.user, found):
        raise Http404(NOT_FOUND)
    return found


def _link(request: HttpRequest, pk: int, *, keep: bool = False) -> Link:
    found = get_object_or_404(access.links_visible_to(request.user), pk=pk)
    if keep and not access.may_keep_records(request.user, found.establishment):
        raise Http404(NOT_FOUND)
    return found


def _suggestions(name: str) -> list[str]:
    candidates = Organisation.objects.filter(listing=Listing.LISTED)
    return [f"{s.organisation.name} ({s.why})" for s in similar_organisations(name, candidates)]


@login_required
def index(request: HttpRequest) -> HttpResponse:
    establishments = access.establishments_visible_to(request.user)
    rows = selectors.summaries(establishments, timezone.localdate())
    return render(
        request,
        "engagement/index.html",
        {
            "rows": [r for r in rows if r.recorded],
            "unrecorded": [r for r in rows if not r.recorded],
            "may_see_gaps": access.may_see_regional_gaps(request.user),
        },
    )


@login_required
def gaps(request: HttpRequest) -> HttpResponse:
    if not access.may_see_regional_gaps(request.user):
        raise Http404(NOT_FOUND)
    establishments = access.establishments_visible_to(request.user)
    return render(
        request, "engagement/gaps.html", {"rollup": selectors.regional_gaps(establishments, timezone.localdate())}
    )


@login_required
def establishment(request: HttpRequest, pk: int) -> HttpResponse:
    prison = _establishment(request, pk)
    today = timezone.localdate()
    rows = selectors.link_rows(access.links_visible_to(request.user).filter(establishment=prison), today)
    return render(
        request,
        "engagement/establishment.html",
        {
            "establishment": prison,
            "current": [r for r in rows if r.current],
            "others": [r for r in rows if not r.current],
            "requirements": selectors.requirement_rows(prison, today),
            "may_keep": access.may_keep_records(request.user, prison),
        },
    )


@login_required
def download(request: HttpRequest, pk: int) -> HttpResponse:
    prison = _establishment(request, pk)
    out = io.StringIO()
    writer = SafeCsvWriter(out, lineterminator="\r\n")
    writer.writerow(selectors.CSV_HEADINGS)
    writer.writerows(selectors.csv_rows(prison, timezone.localdate()))
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="community-engagement-{prison.code}.csv"'
    return response


@login_required
def link(request: HttpRequest, pk: int) -> HttpResponse:
    found = _link(request, pk)
    today = timezone.localdate()
    row = selectors.link_row(selectors.with_reviews(Link.objects.filter(pk=found.pk)).get(), today)
    return render(
        request,
        "engagement/link.html",
        {
            "row": row,
            "link": row.link,
            "fields": [(label, getattr(row.link, name)) for name, label in LINK_FIELDS[1:]],
            "history": selectors.review_history(row.link),
            "approvable": set(
                access.reviews_approvable_by(request.user).filter(link=row.link).values_list("pk", flat=True)
            ),
            "since_last": selectors.since_last_review(row.link),
            "suggestions": [] if row.link.organisation_id else _suggestions(row.link.partner_name),
            "may_keep": access.may_keep_records(request.user, row.link.establishment),
        },
    )


def _link_page(request: HttpRequest, form: LinkForm, *, title: str, caption: str, back: str, save: Any) -> HttpResponse:
    return form_page(request, form, title=title, caption=caption, back=back, save=save, saved="The link is saved.")


@login_required
@require_http_methods(["GET", "POST"])
def link_add(request: HttpRequest, pk: int) -> HttpResponse:
    prison = _establishment(request, pk, keep=True)
    name = request.POST.get("partner_name", "") if request.method == "POST" else ""
    form = LinkForm(
        request.POST or None,
        initial={"version": 0, "started_on": timezone.localdate()},
        suggestions=_suggestions(name) if name else None,
    )

    def save(data: dict[str, Any]) -> Any:
        return services.link_create(actor=request.user, establishment=prison, data=data)

    return _link_page(
        request,
        form,
        title="Add a community link",
        caption=prison.name,
        back=reverse("engagement:establishment", args=[prison.pk]),
        save=save,
    )


@login_required
@require_http_methods(["GET", "POST"])
def link_edit(request: HttpRequest, pk: int) -> HttpResponse:
    found = _link(request, pk, keep=True)
    initial = {name: getattr(found, name) for name, _label in LINK_FIELDS} | {
        "organisation": found.organisation_id,
        "groups": list(found.groups.all()),
        "pathways": list(found.pathways.all()),
        "started_on": found.started_on,
        "version": found.version,
    }
    form = LinkForm(
        request.POST or None,
        initial=initial,
        suggestions=None if found.organisation_id else _suggestions(found.partner_name),
    )

    def save(data: dict[str, Any]) -> Any:
        return services.link_update(actor=request.user, link=found, data=data, version=data["version"])

    return _link_page(
        request,
        form,
        title=f"Change the link with {found.partner_name}",
        caption=found.establishment.name,
        back=reverse("engagement:link", args=[found.pk]),
        save=save,
    )


@login_required
@require_http_methods(["GET", "POST"])
def link_review(request: HttpRequest, pk: int) -> HttpResponse:
    found = _link(request, pk, keep=True)
    form = ReviewForm(request.POST or None, initial={"version": found.version, "reviewed_on": timezone.localdate()})
    changed = selectors.since_last_review(found)

    def save(data: dict[str, Any]) -> Any:
        return services.link_review(
            actor=request.user,
            link=found,
            reviewed_on=data["reviewed_on"],
            notes=data["notes"],
            version=data["version"],
        )

    if changed is None:
        since = "Never reviewed: this is its first review"
    elif changed:
        since = "; ".join(f"{c.label}: now {c.after or 'blank'}" for c in changed)
    else:
        since = "Nothing"
    return form_page(
        request,
        form,
        title=f"Review the link with {found.partner_name}",
        caption=found.establishment.name,
        back=reverse("engagement:link", args=[found.pk]),
        save=save,
        saved="The review is recorded. The link's details as they stand today are kept with it.",
        details=[("Changed since the last review", since)],
    )


@login_required
@require_http_methods(["GET", "POST"])
def link_end(request: HttpRequest, pk: int) -> HttpResponse:
    found = _link(request, pk, keep=True)
    if found.ended_on is not None:
        raise Http404(NOT_FOUND)
    form = EndForm(request.POST or None, initial={"version": found.version, "ended_on": timezone.localdate()})

    def save(data: dict[str, Any]) -> Any:
        return services.link_end(
            actor=request.user, link=found, ended_on=data["ended_on"], reason=data["reason"], version=data["version"]
        )

    return form_page(
        request,
        form,
        title=f"End the link with {found.partner_name}",
        caption=found.establishment.name,
        back=reverse("engagement:link", args=[found.pk]),
        save=save,
        saved="The link is recorded as ended.",
        details=[("Started on", found.started_on.strftime("%-d %B %Y"))],
    )


@login_required
@require_http_methods(["GET", "POST"])
def requirement_add(request: HttpRequest, pk: int) -> HttpResponse:
    prison = _establishment(request, pk, keep=True)
    form = RequirementForm(request.POST or None)

    def save(data: dict[str, Any]) -> Any:
        return services.requirement_create(actor=request.user, establishment=prison, data=data)

    return form_page(
        request,
        form,
        title="Add a business requirement",
        caption=prison.name,
        back=reverse("engagement:establishment", args=[prison.pk]),
        save=save,
        saved="The requirement is added.",
    )


def _requirement(request: HttpRequest, pk: int) -> Requirement:
    found = get_object_or_404(access.requirements_visible_to(request.user), pk=pk)
    if not access.may_keep_records(request.user, found.establishment):
        raise Http404(NOT_FOUND)
    return found


@login_required
@require_http_methods(["GET", "POST"])
def action_add(request: HttpRequest, pk: int) -> HttpResponse:
    requirement = _requirement(request, pk)
    form = ActionForm(request.POST or None, initial={"version": 0, "status": "not_started"})

    def save(data: dict[str, Any]) -> Any:
        return services.action_create(actor=request.user, requirement=requirement, data=data)

    return form_page(
        request,
        form,
        title="Add an action",
        caption=f"Action plan: {requirement.subject}",
        back=reverse("engagement:establishment", args=[requirement.establishment_id]),
        save=save,
        saved="The action is added to the plan.",
        details=[("Requirement", requirement.description)],
    )


@login_required
@require_http_methods(["GET", "POST"])
def action_edit(request: HttpRequest, pk: int) -> HttpResponse:
    action: Action = get_object_or_404(access.actions_visible_to(request.user), pk=pk)
    requirement = _requirement(request, action.requirement_id)
    initial = {k: getattr(action, k) for k in ("description", "owner", "due_on", "status", "version")}
    form = ActionForm(request.POST or None, initial=initial)

    def save(data: dict[str, Any]) -> Any:
        return services.action_update(actor=request.user, action=action, data=data, version=data["version"])

    return form_page(
        request,
        form,
        title="Change an action",
        caption=f"Action plan: {requirement.subject}",
        back=reverse("engagement:establishment", args=[requirement.establishment_id]),
        save=save,
        saved="The action is saved.",
        details=[("Requirement", requirement.description)],
    )


@login_required
@require_http_methods(["GET", "POST"])
def review_approve(request: HttpRequest, pk: int) -> HttpResponse:
    review = get_object_or_404(access.reviews_visible_to(request.user).select_related("link__establishment"), pk=pk)
    if not access.may_approve_review(request.user, review):
        raise Http404(NOT_FOUND)
    form = ApproveForm(request.POST or None)

    def save(data: dict[str, Any]) -> Any:
        return services.review_approve(actor=request.user, review=review, comment=data["comment"])

    return form_page(
        request,
        form,
        title=f"Approve the review of the link with {review.link.partner_name}",
        caption=review.link.establishment.name,
        back=reverse("engagement:link", args=[review.link_id]),
        save=save,
        saved="The review is approved.",
        details=[
            ("Reviewed on", review.reviewed_on.strftime("%-d %B %Y")),
            ("What the review found", review.notes or "Nothing recorded"),
        ],
    )
