"""Pages to upload, replace, remove and download the documents of opportunities, partnerships and bids.

Every document is found through its scoping function in ``access`` (a document its reader may not
see is a 404 like one that does not exist) and every change goes through ``services``, which checks
the file. A download is always an attachment, under a cleaned name whose extension is the one the
file's bytes proved, with the content type stored and ``nosniff``, so a browser never runs it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_http_methods, require_POST

from stepchange.commissioning import access, sealing, services
from stepchange.commissioning.forms import DocumentForm
from stepchange.commissioning.models import (
    BidDocument,
    BidDocumentKind,
    Opportunity,
    OpportunityDocument,
    OpportunityDocumentKind,
    PartnershipDocument,
    PartnershipDocumentKind,
    StoredDocument,
)
from stepchange.commissioning.views import NOT_FOUND, refused_on
from stepchange.core.uploads import download_name

CHANGE_NOTICE = (
    "This opportunity is published: every partnership bidding for it will be told of the change and must "
    "re-confirm its bid, and a deadline less than 7 days from now moves to 7 days from now."
)


def _download(document: StoredDocument, *, public: bool, content: bytes | None = None) -> HttpResponse:
    """The document as an attachment; ``content`` for a bid document, whose bytes are sealed."""
    content = bytes(document.content) if content is None else content
    response = HttpResponse(content, content_type=document.content_type)
    name = download_name(document.display_name, document.file_format)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=name) or "attachment"
    response["Content-Length"] = str(document.size)
    response["X-Content-Type-Options"] = "nosniff"
    # A sealed bid's or a draft's document must not be kept by a shared cache or the browser.
    response["Cache-Control"] = "public, max-age=300" if public else "private, no-store"
    return response


def _upload_page(
    request: HttpRequest,
    form: DocumentForm,
    *,
    caption: str,
    title: str,
    back: str,
    intro: str = "",
    frozen: str = "",
) -> HttpResponse:
    return render(
        request,
        "commissioning/document_form.html",
        {"form": form, "caption": caption, "title": title, "back": back, "intro": intro, "frozen": frozen},
    )


def _posted(request: HttpRequest, form: DocumentForm, call: Any) -> bool:
    """Call the service with the form's values; put a refusal on the form. True when it saved."""
    if request.method != "POST" or not form.is_valid():
        return False
    try:
        call(form.cleaned_data)
    except (ValidationError, PermissionDenied) as refused:
        if isinstance(refused, PermissionDenied):
            raise Http404(NOT_FOUND) from None
        refused_on(form, refused)
        return False
    return True


def _removed(request: HttpRequest, remove: Callable[[], object], done: str, back: HttpResponse) -> HttpResponse:
    """A document's Remove button: ``remove`` it, say so (or why not), and go ``back``."""
    try:
        remove()
    except ValidationError as refused:
        messages.error(request, "; ".join(refused.messages))
    else:
        messages.success(request, done)
    return back


# --- Opportunities -------------------------------------------------------------------------------


def _managed(request: HttpRequest, reference: str) -> Opportunity:
    return get_object_or_404(access.opportunities_managed_by(request.user), reference=reference)


def _opportunity_form(request: HttpRequest, opportunity: Opportunity, replaces: OpportunityDocument | None) -> Any:
    initial = {"kind": replaces.kind, "title": replaces.title} if replaces else {}
    form = DocumentForm(
        request.POST or None, request.FILES or None, kinds=OpportunityDocumentKind.choices, initial=initial
    )

    def save(data: dict[str, Any]) -> None:
        services.opportunity_document_add(
            actor=request.user,
            opportunity=opportunity,
            kind=data["kind"],
            title=data["title"],
            upload=data["file"],
            replaces=replaces,
        )

    if _posted(request, form, save):
        done = f"{form.cleaned_data['title']} {'replaced' if replaces else 'added'}."
        if opportunity.published_at is not None:
            done += " Every partnership bidding has been told and must re-confirm its bid."
        messages.success(request, done)
        return redirect("commissioning:detail", reference=opportunity.reference)
    return _upload_page(
        request,
        form,
        caption=opportunity.title,
        title=f"Replace {replaces.title}" if replaces else "Add a document",
        back=reverse("commissioning:detail", args=[opportunity.reference]),
        intro=CHANGE_NOTICE if opportunity.published_at is not None else "",
    )


@login_required
@require_http_methods(["GET", "POST"])
def opportunity_document_add(request: HttpRequest, reference: str) -> HttpResponse:
    return _opportunity_form(request, _managed(request, reference), None)


@login_required
@require_http_methods(["GET", "POST"])
def opportunity_document_replace(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    opportunity = _managed(request, reference)
    document = get_object_or_404(opportunity.documents.filter(replaced_at__isnull=True).defer("content"), pk=pk)
    return _opportunity_form(request, opportunity, document)


@login_required
@require_POST
def opportunity_document_remove(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    opportunity = _managed(request, reference)
    document = get_object_or_404(opportunity.documents.defer("content"), pk=pk)
    return _removed(
        request,
        lambda: services.opportunity_document_remove(actor=request.user, document=document),
        f"{document.title} removed.",
        redirect("commissioning:detail", reference=opportunity.reference),
    )


@require_http_methods(["GET", "HEAD"])
def opportunity_document(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    """Everyone's once the opportunity is published (the open data links here); a draft's, its managers'."""
    document = get_object_or_404(
        access.opportunity_documents_visible_to(request.user).select_related("opportunity"),
        pk=pk,
        opportunity__reference=reference,
    )
    published = document.opportunity.published_at is not None and document.opportunity.published_at <= timezone.now()
    return _download(document, public=published)


# --- Partnerships --------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def partnership_document_add(request: HttpRequest, pk: int) -> HttpResponse:
    membership = access.confirmed_memberships_of(request.user).filter(partnership_id=pk).first()
    if membership is None:
        raise Http404(NOT_FOUND)
    partnership = membership.partnership
    form = DocumentForm(
        request.POST or None, request.FILES or None, kinds=PartnershipDocumentKind.choices, title_required=False
    )
    frozen = services.PARTNERSHIP_DOCUMENTS_FROZEN if partnership.documents_frozen() else ""

    def save(data: dict[str, Any]) -> None:
        services.partnership_document_add(
            actor=request.user, partnership=partnership, kind=data["kind"], title=data["title"], upload=data["file"]
        )

    if not frozen and _posted(request, form, save):
        messages.success(request, f"{PartnershipDocumentKind(form.cleaned_data['kind']).label} attached.")
        return redirect("commissioning:partnership", pk=partnership.pk)
    return _upload_page(
        request,
        form,
        caption=partnership.name,
        title="Attach the constitution or bidding protocol",
        back=reverse("commissioning:partnership", args=[partnership.pk]),
        intro="The partnership's members and, once you have bid and the deadline has passed, the commissioner "
        "can read it. A new one replaces the one attached before, which stays on record. Both are frozen once "
        "the deadline of a stage you bid at has passed.",
        frozen=frozen,
    )


@login_required
@require_POST
def partnership_document_remove(request: HttpRequest, pk: int, document: int) -> HttpResponse:
    confirmed = access.confirmed_memberships_of(request.user).values("partnership_id")
    item = get_object_or_404(
        PartnershipDocument.objects.filter(partnership_id__in=confirmed).defer("content"),
        pk=document,
        partnership_id=pk,
    )
    return _removed(
        request,
        lambda: services.partnership_document_remove(actor=request.user, document=item),
        f"{item.title} removed.",
        redirect("commissioning:partnership", pk=pk),
    )


@login_required
@require_http_methods(["GET", "HEAD"])
def partnership_document(request: HttpRequest, pk: int, document: int) -> HttpResponse:
    item = get_object_or_404(access.partnership_documents_visible_to(request.user), pk=document, partnership_id=pk)
    return _download(item, public=False)


# --- Bids ----------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def bid_document_add(request: HttpRequest, pk: int) -> HttpResponse:
    bid = get_object_or_404(access.bids_of_own_partnerships(request.user).select_related("stage"), pk=pk)
    form = DocumentForm(request.POST or None, request.FILES or None, kinds=BidDocumentKind.choices)
    back = reverse("commissioning:bid", args=[bid.pk])
    frozen = ""
    if not bid.stage.is_sealed():
        frozen = f"The deadline for stage {bid.stage.number} has passed: the bid and its documents are frozen."
    elif bid.withdrawn_at:
        frozen = "This bid was withdrawn."

    def save(data: dict[str, Any]) -> None:
        services.bid_document_add(
            actor=request.user, bid=bid, kind=data["kind"], title=data["title"], upload=data["file"]
        )

    if not frozen and _posted(request, form, save):
        messages.success(request, f"{form.cleaned_data['title']} added to the bid.")
        return redirect(back)
    return _upload_page(
        request,
        form,
        caption=f"{bid.partnership.name}, stage {bid.stage.number} bid",
        title="Add a document to the bid",
        back=back,
        intro=f"Sealed with the bid: until the deadline, {bid.stage.deadline:%-d %B %Y %H:%M}, only the "
        "people on your partnership's bid team can see it.",
        frozen=frozen,
    )


@login_required
@require_POST
def bid_document_remove(request: HttpRequest, pk: int, document: int) -> HttpResponse:
    item = get_object_or_404(
        BidDocument.objects.filter(bid__in=access.bids_of_own_partnerships(request.user)).defer("sealed_content"),
        pk=document,
        bid_id=pk,
    )
    return _removed(
        request,
        lambda: services.bid_document_remove(actor=request.user, document=item),
        f"{item.title} removed from the bid.",
        redirect("commissioning:bid", pk=pk),
    )


@login_required
@require_http_methods(["GET", "HEAD"])
def bid_document(request: HttpRequest, pk: int, document: int) -> HttpResponse:
    """Sealed like the bid; every opening by someone outside the partnership is logged."""
    now = timezone.now()
    item = get_object_or_404(access.bid_documents_visible_to(request.user, now=now), pk=document, bid_id=pk)
    try:
        content = sealing.open_bid_document(item, reader=request.user, now=now)
        services.bid_document_open(actor=request.user, document=item, now=now)
    except PermissionDenied:
        raise Http404(NOT_FOUND) from None
    return _download(item, public=False, content=content)
