"""Sealed bids at rest: the only module that encrypts or decrypts anything of a bid.

A bid's answers and price, and the bytes of each of its documents, are stored only as AES-GCM
ciphertext: a 12-byte random nonce, then the ciphertext and its 16-byte tag. The key is the bid's
opportunity's own (32 random bytes, made when its first bid is sealed), stored only wrapped by a
master key from the environment (``settings.BID_SEALING_KEYS``) that the database never holds, with
the master key's id (``OpportunityKey``). So a database dump, or a superuser at a SQL prompt, reads
nothing of a bid. Each ciphertext binds its row's id as associated data, so one copied onto another
bid or document does not open; a wrong or missing master key fails with ``SealBroken``, naming it.

Opening is gated here and nowhere else: ``open_bid``, ``open_bids`` and ``open_bid_document`` ask
``access.bids_openable_by`` (the one rule of who may read a bid now) and raise ``NotOpenable`` for
anyone else. Sealing needs no such check: whoever writes a bid already holds what they write.

``rewrap_all`` (the ``rotate_bid_keys`` command) wraps every opportunity key again under the current
master key, all or nothing, after which an old master key can leave the environment.
"""

from __future__ import annotations

import datetime
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from stepchange.commissioning.models import Bid, BidDocument, OpportunityKey
from stepchange.core.audit import audit_record

NONCE_BYTES = 12
KEY_BYTES = 32


class SealBroken(Exception):
    """A ciphertext that does not open: a master key missing or different from the one that sealed
    it, or a ciphertext changed or moved from the row it was sealed for."""


class NotOpenable(PermissionDenied):
    """The reader may not read this bid now (``access.bids_openable_by``)."""


@dataclass(frozen=True)
class BidContent:
    """What a sealed bid holds, once opened."""

    answers: dict[str, str] = field(default_factory=dict)
    price: Decimal | None = None

    def answer(self, number: int | str) -> str:
        return str(self.answers.get(str(number), ""))


# --- The cipher and the keys ----------------------------------------------------------------------


def encrypt(key: bytes, plaintext: bytes, associated: bytes) -> bytes:
    nonce = os.urandom(NONCE_BYTES)
    return nonce + AESGCM(key).encrypt(nonce, plaintext, associated)


def decrypt(key: bytes, sealed: bytes, associated: bytes, *, what: str) -> bytes:
    sealed = bytes(sealed)
    if len(sealed) < NONCE_BYTES + 16:
        raise SealBroken(f"{what} holds no sealed content")
    try:
        return AESGCM(key).decrypt(sealed[:NONCE_BYTES], sealed[NONCE_BYTES:], associated)
    except InvalidTag:
        raise SealBroken(f"{what} does not open: it was sealed under another key or for another row") from None


def master_keys() -> dict[str, bytes]:
    return dict(settings.BID_SEALING_KEYS)


def current_master_key() -> tuple[str, bytes]:
    key_id, key = settings.BID_SEALING_KEYS[0]
    return key_id, key


def _wrapping_data(opportunity_id: int) -> bytes:
    return f"stepchange opportunity-key {opportunity_id}".encode()


def wrap_key(data_key: bytes, *, opportunity_id: int) -> tuple[str, bytes]:
    """The opportunity key wrapped by the current master key, and that master key's id."""
    key_id, master = current_master_key()
    return key_id, encrypt(master, data_key, _wrapping_data(opportunity_id))


def unwrap_key(master_key_id: str, wrapped: bytes, *, opportunity_id: int) -> bytes:
    master = master_keys().get(master_key_id)
    if master is None:
        raise SealBroken(
            f"The bid key of opportunity {opportunity_id} is wrapped by master key {master_key_id!r}, "
            "which is not in BID_SEALING_KEYS"
        )
    try:
        return decrypt(master, wrapped, _wrapping_data(opportunity_id), what="The bid key")
    except SealBroken:
        raise SealBroken(
            f"Master key {master_key_id!r} in BID_SEALING_KEYS does not open the bid key of opportunity "
            f"{opportunity_id}: it is not the key that wrapped it"
        ) from None


def new_opportunity_key(opportunity_id: int) -> tuple[bytes, str, bytes]:
    """A fresh random key for an opportunity: (key, master key id, wrapped key)."""
    data_key = AESGCM.generate_key(bit_length=KEY_BYTES * 8)
    key_id, wrapped = wrap_key(data_key, opportunity_id=opportunity_id)
    return data_key, key_id, wrapped


def _opportunity_key(opportunity_id: int) -> bytes:
    """The opportunity's key, made (and stored wrapped) the first time it is needed."""
    stored = OpportunityKey.objects.filter(opportunity_id=opportunity_id).first()
    if stored is None:
        data_key, key_id, wrapped = new_opportunity_key(opportunity_id)
        try:
            with transaction.atomic():
                OpportunityKey.objects.create(
                    opportunity_id=opportunity_id, master_key_id=key_id, wrapped_key=wrapped, created_at=timezone.now()
                )
            return data_key
        except IntegrityError:  # made meanwhile by another bid of the same opportunity
            stored = OpportunityKey.objects.get(opportunity_id=opportunity_id)
    return unwrap_key(stored.master_key_id, bytes(stored.wrapped_key), opportunity_id=opportunity_id)


def _opportunity_id(bid: Bid) -> int:
    return int(bid.stage.opportunity_id)


# --- What is sealed, and what it is bound to ---------------------------------------------------------


def bid_associated_data(bid_id: int) -> bytes:
    return f"stepchange bid {bid_id}".encode()


def document_associated_data(document_id: int, bid_id: int) -> bytes:
    return f"stepchange bid-document {document_id} of bid {bid_id}".encode()


def bid_plaintext(answers: dict[str, str], price: Decimal | None) -> bytes:
    return json.dumps(
        {"answers": {str(k): str(v) for k, v in answers.items()}, "price": None if price is None else str(price)},
        sort_keys=True,
    ).encode()


def _content(plaintext: bytes) -> BidContent:
    data = json.loads(plaintext)
    price = data.get("price")
    return BidContent(answers=dict(data.get("answers") or {}), price=None if price is None else Decimal(price))


# --- Sealing: for whoever writes ---------------------------------------------------------------------


def sealed_bid(bid: Bid, *, answers: dict[str, str], price: Decimal | None) -> bytes:
    """The value of ``Bid.sealed`` holding these answers and this price; the bid must be saved."""
    if bid.pk is None:
        raise ValueError("A bid is sealed once it has an id")
    key = _opportunity_key(_opportunity_id(bid))
    return encrypt(key, bid_plaintext(answers, price), bid_associated_data(bid.pk))


def seal_bid(bid: Bid, *, answers: dict[str, str], price: Decimal | None) -> None:
    """Store these answers and this price, sealed, on a saved bid (as it stands, no version check)."""
    bid.sealed = sealed_bid(bid, answers=answers, price=price)
    Bid.objects.filter(pk=bid.pk).update(sealed=bid.sealed)


def seal_bid_document(document: BidDocument, content: bytes) -> None:
    """Store a saved bid document's bytes, sealed."""
    if document.pk is None:
        raise ValueError("A document is sealed once it has an id")
    key = _opportunity_key(_opportunity_id(document.bid))
    document.sealed_content = encrypt(key, content, document_associated_data(document.pk, document.bid_id))
    BidDocument.objects.filter(pk=document.pk).update(sealed_content=document.sealed_content)


# --- Opening: only for whoever ``access.bids_openable_by`` names ----------------------------------------


def _openable_ids(reader: Any, bid_ids: Iterable[int], now: datetime.datetime | None) -> set[int]:
    from stepchange.commissioning import access

    return set(access.bids_openable_by(reader, now=now).filter(pk__in=list(bid_ids)).values_list("pk", flat=True))


def _open(bid: Bid, key: bytes) -> BidContent:
    return _content(decrypt(key, bid.sealed, bid_associated_data(bid.pk), what=f"Bid {bid.pk}"))


def open_bid(bid: Bid, *, reader: Any, now: datetime.datetime | None = None) -> BidContent:
    """The bid's answers and price, for a reader who may read them now; ``NotOpenable`` otherwise."""
    if bid.pk not in _openable_ids(reader, [bid.pk], now):
        raise NotOpenable("This bid is sealed.")
    return _open(bid, _opportunity_key(_opportunity_id(bid)))


def open_bids(bids: Iterable[Bid], *, reader: Any, now: datetime.datetime | None = None) -> dict[int, BidContent]:
    """The content of each of these bids the reader may read now, by bid id; the others left out."""
    bids = list(bids)
    openable = _openable_ids(reader, [b.pk for b in bids], now)
    keys: dict[int, bytes] = {}
    opened = {}
    for bid in bids:
        if bid.pk in openable:
            opportunity_id = _opportunity_id(bid)
            if opportunity_id not in keys:
                keys[opportunity_id] = _opportunity_key(opportunity_id)
            opened[bid.pk] = _open(bid, keys[opportunity_id])
    return opened


def open_bid_document(document: BidDocument, *, reader: Any, now: datetime.datetime | None = None) -> bytes:
    """A bid document's bytes, for a reader who may read its bid now; ``NotOpenable`` otherwise."""
    if document.bid_id not in _openable_ids(reader, [document.bid_id], now):
        raise NotOpenable("This bid is sealed.")
    key = _opportunity_key(_opportunity_id(document.bid))
    associated = document_associated_data(document.pk, document.bid_id)
    return decrypt(key, document.sealed_content, associated, what=f"Bid document {document.pk}")


# --- Rotation ----------------------------------------------------------------------------------------


@transaction.atomic
def rewrap_all(now: datetime.datetime | None = None) -> tuple[int, int]:
    """Wrap every opportunity key again under the current master key: all or nothing.

    Returns (keys re-wrapped, keys already under the current master key); each re-wrapping leaves
    an audit event naming the master keys, never a key. A key wrapped by a master key no longer in
    the environment raises ``SealBroken`` and nothing changes."""
    now = now or timezone.now()
    current_id, _ = current_master_key()
    rewrapped = unchanged = 0
    for stored in OpportunityKey.objects.select_for_update().order_by("pk"):
        if stored.master_key_id == current_id:
            unchanged += 1
            continue
        before = stored.master_key_id
        data_key = unwrap_key(before, bytes(stored.wrapped_key), opportunity_id=stored.opportunity_id)
        stored.master_key_id, stored.wrapped_key = wrap_key(data_key, opportunity_id=stored.opportunity_id)
        stored.rewrapped_at = now
        stored.save(update_fields=["master_key_id", "wrapped_key", "rewrapped_at"])
        audit_record(
            actor=None,
            action="opportunity_key_rewrap",
            obj=stored,
            before={"master_key_id": before},
            after={"master_key_id": stored.master_key_id, "rewrapped_at": now.isoformat()},
        )
        rewrapped += 1
    return rewrapped, unchanged
