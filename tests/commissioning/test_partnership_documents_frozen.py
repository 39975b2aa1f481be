"""A partnership's constitution and bidding protocol freeze, like its bid, at the deadline of a stage
it submitted a bid to; a replaced one is kept, and the history is shown to those who may read them.

Acorn's partnership bid at stage 1 of "Women's services"; its constitution was attached, then
replaced by a signed one, before the deadline.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.forms.models import model_to_dict
from django.urls import reverse
from django.utils import timezone

from stepchange.commissioning import services
from stepchange.commissioning.models import PartnershipDocument
from tests.commissioning.files import pdf, upload
from tests.commissioning.world import HOUR, build_tender


@pytest.fixture
def tender(cast):
    tender = build_tender(cast)
    for title, at in (("First constitution", 4), ("Signed constitution", 5)):
        services.partnership_document_add(
            actor=cast.dave,
            partnership=tender.partnership,
            kind="constitution",
            title=title,
            upload=upload("c.pdf", pdf(title)),
            now=tender.start + at * HOUR,
        )
    return tender


def test_a_replaced_constitution_is_kept_with_when_it_was_replaced(cast, tender):
    first, signed = PartnershipDocument.objects.order_by("id")
    assert first.replaced_at == tender.start + 5 * HOUR and first.replaced_by == signed
    assert signed.replaced_at is None


def test_after_the_deadline_the_documents_can_be_neither_replaced_nor_removed(cast, tender):
    rows = [model_to_dict(d) for d in PartnershipDocument.objects.order_by("id")]
    signed = PartnershipDocument.objects.get(replaced_at__isnull=True)
    with pytest.raises(ValidationError, match="frozen"):
        services.partnership_document_add(
            actor=cast.dave,
            partnership=tender.partnership,
            kind="constitution",
            title="Rewritten",
            upload=upload("r.pdf", pdf("Rewritten")),
            now=tender.after_stage1,
        )
    with pytest.raises(ValidationError, match="frozen"):
        services.partnership_document_remove(actor=cast.dave, document=signed, now=tender.after_stage1)
    assert [model_to_dict(d) for d in PartnershipDocument.objects.order_by("id")] == rows


def test_a_withdrawn_bid_freezes_nothing(cast, tender):
    services.bid_withdraw(actor=cast.dave, bid=tender.bid, now=tender.start + 6 * HOUR)
    assert not tender.partnership.documents_frozen(tender.after_stage1)


def test_the_pages_after_the_deadline(cast, client_for, tender, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: tender.after_stage1)
    first, signed = PartnershipDocument.objects.order_by("id")
    page_url = reverse("commissioning:partnership", args=[tender.partnership.pk])
    dave = client_for(cast.dave)
    page = dave.get(page_url).content.decode()
    assert "frozen" in page and "Attach the constitution" not in page
    assert "Earlier versions, replaced" in page and "First constitution" in page
    add = dave.post(
        reverse("commissioning:partnership-document-add", args=[tender.partnership.pk]),
        {"kind": "constitution", "title": "Rewritten", "file": upload("r.pdf", pdf("Rewritten"))},
    )
    assert add.status_code == 200 and "frozen" in add.content.decode()
    removed = dave.post(
        reverse("commissioning:partnership-document-remove", args=[tender.partnership.pk, signed.pk]), follow=True
    )
    assert "frozen" in removed.content.decode()
    assert PartnershipDocument.objects.count() == 2
    # The commissioner reads the history too, and may download the replaced version.
    alice = client_for(cast.alice)
    assert "First constitution" in alice.get(page_url).content.decode()
    download = reverse("commissioning:partnership-document", args=[tender.partnership.pk, first.pk])
    assert alice.get(download).status_code == 200
