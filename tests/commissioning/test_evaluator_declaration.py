"""An evaluator declares before seeing anything of a bid: not its price or answers, not its
documents, not the partnership's members, shares or registered numbers, on any page, until they have
declared no conflict on that bid. The same holds for a commissioner who is also named evaluator.

Heidi evaluates both stages of "Women's services"; Acorn's stage 1 bid (£140,000) carries a method
statement and the partnership a constitution. The pages run after the stage 1 deadline.
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from stepchange.commissioning import access, services
from stepchange.commissioning.models import BidDocument, PartnershipDocument
from tests.commissioning.files import pdf, upload
from tests.commissioning.world import HOUR, build_tender


@pytest.fixture
def tender(cast, monkeypatch):
    tender = build_tender(cast, identified=True)
    services.bid_document_add(
        actor=cast.dave,
        bid=tender.bid,
        kind="method_statement",
        title="Method",
        upload=upload("m.pdf", pdf()),
        now=tender.start + 4 * HOUR,
    )
    services.partnership_document_add(
        actor=cast.dave,
        partnership=tender.partnership,
        kind="constitution",
        title="",
        upload=upload("c.pdf", pdf()),
        now=tender.start + 4 * HOUR,
    )
    monkeypatch.setattr(timezone, "now", lambda: tender.after_stage1)
    return tender


def pages(tender):
    bid_document = BidDocument.objects.get(bid=tender.bid)
    partnership_document = PartnershipDocument.objects.get(partnership=tender.partnership)
    return {
        "bid": reverse("commissioning:bid", args=[tender.bid.pk]),
        "partnership": reverse("commissioning:partnership", args=[tender.partnership.pk]),
        "bid document": reverse("commissioning:bid-document", args=[tender.bid.pk, bid_document.pk]),
        "partnership document": reverse(
            "commissioning:partnership-document", args=[tender.partnership.pk, partnership_document.pk]
        ),
        "evaluations": reverse("commissioning:evaluations"),
        "evaluation": reverse("commissioning:evaluation", args=["womens-services", 1]),
        "opportunity": reverse("commissioning:detail", args=["womens-services"]),
    }


# What would give the bid or its partnership away: the price, the answer, the member, her share,
# the registered numbers, the documents' titles.
SECRETS = ("140,000", "Through the women", "Riverside", "40.00%", "1099999", "1100001", "Method", "Constitution")


def leaks(body: str) -> list[str]:
    return [secret for secret in SECRETS if secret in body]


def test_heidi_sees_no_price_member_or_document_on_any_page_until_she_declares(cast, client_for, tender):
    heidi = client_for(cast.heidi)
    urls = pages(tender)
    for name, url in urls.items():
        response = heidi.get(url)
        assert response.status_code in (200, 404), name
        body = response.content.decode() if response.status_code == 200 else ""
        assert not leaks(body) and b"%PDF" not in response.content, (name, leaks(body))
    assert heidi.get(urls["partnership"]).status_code == 404
    # She knows the bid is there and whose it is, to declare on it.
    assert "Bid from Acorn Women" in heidi.get(urls["evaluations"]).content.decode()

    heidi.post(urls["bid"], {"has_conflict": "no"})

    assert "140,000" in heidi.get(urls["bid"]).content.decode()
    partnership_page = heidi.get(urls["partnership"]).content.decode()
    assert "Riverside" in partnership_page and "40.00%" in partnership_page and "140,000" in partnership_page
    assert heidi.get(urls["bid document"]).status_code == 200


def test_a_commissioner_named_evaluator_declares_too(cast, client_for, tender):
    services.evaluator_assign(actor=cast.alice, stage=tender.stage1, evaluator=cast.alice)
    alice = client_for(cast.alice)
    urls = pages(tender)
    first = alice.get(urls["bid"]).content.decode()
    assert "Declare any conflict of interest" in first and not leaks(first)
    for name in ("partnership", "bid document", "partnership document"):
        assert alice.get(urls[name]).status_code == 404, name
    assert not leaks(alice.get(urls["evaluation"]).content.decode())
    # Root, who manages it but does not evaluate, reads everything.
    assert "140,000" in client_for(cast.root).get(urls["bid"]).content.decode()

    alice.post(urls["bid"], {"has_conflict": "no"})

    assert "140,000" in alice.get(urls["bid"]).content.decode()
    assert alice.get(urls["partnership document"]).status_code == 200


def test_one_rule_decides_for_each_bid(cast, tender):
    now = tender.after_stage1
    assert list(access.bids_awaiting_declaration(cast.heidi, now=now)) == [tender.bid]
    assert not access.bids_openable_by(cast.heidi, now=now).exists()
    assert not access.partnerships_open_to(cast.heidi, now=now).exists()
    assert not access.partnership_documents_visible_to(cast.heidi, now=now).exists()
    services.conflict_declare(actor=cast.heidi, bid=tender.bid, has_conflict=False, now=now)
    assert not access.bids_awaiting_declaration(cast.heidi, now=now).exists()
    assert list(access.partnerships_open_to(cast.heidi, now=now)) == [tender.partnership]
