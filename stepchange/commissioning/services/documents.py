"""Documents of opportunities, partnerships and bids: adding, replacing, removing and opening them.

Every file passes ``core.uploads.check_document`` here, whatever the page did, so nothing is stored
that was not checked; a refusal is a ``ValidationError`` on ``file`` with the check's message. A
document added to or replaced in a published opportunity is a change to it like any other
(``opportunities._after_change``): every partnership is told, submitted bids of open stages must be
re-confirmed, and a deadline less than seven days away moves out to seven days. A bid's documents
are sealed and frozen with the bid, their bytes stored only encrypted (``sealing``); each opening
of one by someone outside the partnership is logged as a ``BidOpening`` naming the document.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from stepchange.commissioning import access, sealing
from stepchange.commissioning.awards import has_current_award
from stepchange.commissioning.models import (
    Bid,
    BiddingPartnership,
    BidDocument,
    BidDocumentKind,
    BidOpening,
    Opportunity,
    OpportunityDocument,
    OpportunityDocumentKind,
    PartnershipDocument,
    PartnershipDocumentKind,
    StoredDocument,
)
from stepchange.commissioning.services._common import PERSONS_OUTSIDE, _managed, _now
from stepchange.commissioning.services.opportunities import _after_change
from stepchange.core.audit import audit_record
from stepchange.core.uploads import CheckedDocument, UploadRefused, check_document

PARTNERSHIP_DOCUMENTS_FROZEN = (
    "The deadline of a stage this partnership bid at has passed: its constitution and bidding protocol "
    "are frozen, as the bid is."
)
PARTNERSHIP_OUTSIDE = "You cannot do that: it is not a partnership you are a confirmed member of."


def document_snapshot(document: StoredDocument) -> dict[str, Any]:
    """What the audit trail keeps of a document: never its bytes, always their SHA-256."""
    return {
        "id": document.pk,
        "title": document.title,
        "kind": getattr(document, "kind", ""),
        "file": document.display_name,
        "format": document.file_format,
        "size": document.size,
        "sha256": document.sha256,
    }


def _checked(upload: Any) -> CheckedDocument:
    if upload is None:
        raise ValidationError({"file": "Choose a file to upload."})
    try:
        return check_document(upload)
    except UploadRefused as refused:
        raise ValidationError({"file": str(refused)}) from None


def _title(title: str, *, default: str = "") -> str:
    title = (title or "").strip() or default
    if not title:
        raise ValidationError({"title": "Enter the document's title."})
    if len(title) > 200:
        raise ValidationError({"title": "The title must be 200 characters or fewer."})
    return title


def _kind(kind: str, choices: Any) -> str:
    if kind not in choices.values:
        raise ValidationError({"kind": "Choose what kind of document this is."})
    return kind


def _stored(checked: CheckedDocument, *, actor: Any, now: datetime.datetime) -> dict[str, Any]:
    return {
        "display_name": checked.display_name,
        "file_format": checked.kind,
        "content_type": checked.content_type,
        "content": checked.content,
        "size": checked.size,
        "sha256": checked.sha256,
        "uploaded_by": actor if getattr(actor, "pk", None) else None,
        "uploaded_at": now,
    }


# --- Opportunities -------------------------------------------------------------------------------


def _changeable(actor: Any, opportunity: Opportunity) -> Opportunity:
    _managed(actor, opportunity)
    current = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
    if current.is_ended or has_current_award(current):
        raise ValidationError({"file": "This opportunity has ended or been awarded; its documents cannot change."})
    return current


@transaction.atomic
def opportunity_document_add(
    *,
    actor: Any,
    opportunity: Opportunity,
    kind: str,
    title: str,
    upload: Any,
    replaces: OpportunityDocument | None = None,
    now: datetime.datetime | None = None,
) -> OpportunityDocument:
    """Add a document to an opportunity, or replace one of its documents with a new file.

    Before publication a replaced document is deleted; after, it is kept, marked replaced, and the
    change is a change to the opportunity (see the module docstring)."""
    now = _now(now)
    current = _changeable(actor, opportunity)
    kind = _kind(kind, OpportunityDocumentKind)
    title = _title(title)
    if replaces is not None:
        replaces = (
            OpportunityDocument.objects.select_for_update()
            .filter(pk=replaces.pk, opportunity=current, replaced_at__isnull=True)
            .first()
        )
        if replaces is None:
            raise ValidationError({"file": "That document has been replaced or removed already."})
    checked = _checked(upload)
    document = OpportunityDocument.objects.create(
        opportunity=current, kind=kind, title=title, **_stored(checked, actor=actor, now=now)
    )
    before = document_snapshot(replaces) if replaces is not None else None
    published = current.published_at is not None
    if replaces is not None:
        if published:
            replaces.replaced_at, replaces.replaced_by = now, document
            replaces.save(update_fields=["replaced_at", "replaced_by"])
        else:
            replaces.delete()
    if published:
        _after_change(current, now=now)
    audit_record(
        actor=actor,
        action="opportunity_document_replace" if replaces is not None else "opportunity_document_add",
        obj=current,
        before=before,
        after=document_snapshot(document),
    )
    return document


@transaction.atomic
def opportunity_document_remove(*, actor: Any, document: OpportunityDocument) -> None:
    """Remove a document from a draft; a published opportunity's documents are only replaced."""
    current = _changeable(actor, document.opportunity)
    if current.published_at is not None:
        raise ValidationError({"file": "The opportunity is published: its documents cannot be removed, only replaced."})
    before = document_snapshot(document)
    OpportunityDocument.objects.filter(pk=document.pk, opportunity=current).delete()
    audit_record(actor=actor, action="opportunity_document_remove", obj=current, before=before)


# --- Partnerships --------------------------------------------------------------------------------


def _confirmed_member(actor: Any, partnership: BiddingPartnership) -> BiddingPartnership:
    if not access.memberships_of(actor).filter(partnership=partnership, confirmed_at__isnull=False).exists():
        raise PermissionDenied(PARTNERSHIP_OUTSIDE)
    return BiddingPartnership.objects.select_for_update().get(pk=partnership.pk)


def _not_frozen(partnership: BiddingPartnership, now: datetime.datetime) -> None:
    if partnership.documents_frozen(now):
        raise ValidationError({"file": PARTNERSHIP_DOCUMENTS_FROZEN})


@transaction.atomic
def partnership_document_add(
    *,
    actor: Any,
    partnership: BiddingPartnership,
    kind: str,
    title: str,
    upload: Any,
    now: datetime.datetime | None = None,
) -> PartnershipDocument:
    """Attach the partnership's constitution or joint bidding protocol. A new one replaces the
    current one, which is kept, marked replaced; refused once the documents are frozen."""
    now = _now(now)
    current = _confirmed_member(actor, partnership)
    _not_frozen(current, now)
    kind = _kind(kind, PartnershipDocumentKind)
    title = _title(title, default=PartnershipDocumentKind(kind).label)
    checked = _checked(upload)
    old = (
        PartnershipDocument.objects.select_for_update()
        .filter(partnership=current, kind=kind, replaced_at__isnull=True)
        .first()
    )
    before = document_snapshot(old) if old is not None else None
    if old is not None:
        old.replaced_at = now
        old.save(update_fields=["replaced_at"])
    document = PartnershipDocument.objects.create(
        partnership=current, kind=kind, title=title, **_stored(checked, actor=actor, now=now)
    )
    if old is not None:
        old.replaced_by = document
        old.save(update_fields=["replaced_by"])
    audit_record(
        actor=actor,
        action="partnership_document_replace" if old is not None else "partnership_document_add",
        obj=current,
        before=before,
        after=document_snapshot(document),
    )
    return document


@transaction.atomic
def partnership_document_remove(
    *, actor: Any, document: PartnershipDocument, now: datetime.datetime | None = None
) -> None:
    """Remove the current constitution or protocol before the freeze; a replaced one stays on record."""
    current = _confirmed_member(actor, document.partnership)
    _not_frozen(current, _now(now))
    if document.replaced_at is not None:
        raise ValidationError({"file": "An earlier version stays on record: it cannot be removed."})
    before = document_snapshot(document)
    PartnershipDocument.objects.filter(pk=document.pk, partnership=current).delete()
    audit_record(actor=actor, action="partnership_document_remove", obj=current, before=before)


# --- Bids ----------------------------------------------------------------------------------------


def _own_open_bid(actor: Any, bid: Bid, now: datetime.datetime) -> Bid:
    if not access.bids_of_own_partnerships(actor).filter(pk=bid.pk).exists():
        raise PermissionDenied(PERSONS_OUTSIDE)
    current = Bid.objects.select_for_update().select_related("stage").get(pk=bid.pk)
    if not current.stage.is_sealed(now):
        raise ValidationError({"file": f"The deadline for stage {current.stage.number} has passed; the bid is frozen."})
    if current.withdrawn_at:
        raise ValidationError({"file": "This bid was withdrawn."})
    return current


@transaction.atomic
def bid_document_add(
    *, actor: Any, bid: Bid, kind: str, title: str, upload: Any, now: datetime.datetime | None = None
) -> BidDocument:
    """Add a document to the partnership's own bid, until the stage's deadline."""
    now = _now(now)
    current = _own_open_bid(actor, bid, now)
    kind = _kind(kind, BidDocumentKind)
    title = _title(title)
    checked = _checked(upload)
    stored = _stored(checked, actor=actor, now=now)
    content = stored.pop("content")
    document = BidDocument.objects.create(bid=current, kind=kind, title=title, **stored)
    sealing.seal_bid_document(document, content)
    audit_record(actor=actor, action="bid_document_add", obj=current, after=document_snapshot(document))
    return document


@transaction.atomic
def bid_document_remove(*, actor: Any, document: BidDocument, now: datetime.datetime | None = None) -> None:
    now = _now(now)
    current = _own_open_bid(actor, document.bid, now)
    before = document_snapshot(document)
    BidDocument.objects.filter(pk=document.pk, bid=current).delete()
    audit_record(actor=actor, action="bid_document_remove", obj=current, before=before)


@transaction.atomic
def bid_document_open(*, actor: Any, document: BidDocument, now: datetime.datetime | None = None) -> BidOpening | None:
    """Log that someone outside the partnership opened one of a bid's documents, as ``bid_open``
    logs the bid; members reading their own are not logged."""
    now = _now(now)
    if not access.bid_documents_visible_to(actor, now=now).filter(pk=document.pk).exists():
        raise PermissionDenied(PERSONS_OUTSIDE)
    bid = document.bid
    if access.bids_of_own_partnerships(actor).filter(pk=bid.pk).exists():
        return None
    opening = BidOpening.objects.create(bid=bid, opened_by=actor, opened_at=now, document=document)
    audit_record(
        actor=actor,
        action="bid_document_open",
        obj=bid,
        after={"opened_by": str(actor), "opened_at": now.isoformat(), "document": document_snapshot(document)},
    )
    return opening
