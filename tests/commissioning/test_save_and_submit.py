"""The bid form's "submit" saves and submits whole, or saves nothing: a refused submission leaves the
bid as it was (same answers, price and version, no audit event) and says nothing was saved, and the
corrected retry, posting the page's version again, goes through."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.forms.models import model_to_dict
from django.urls import reverse

from stepchange.commissioning import sealing
from stepchange.commissioning.models import Bid
from stepchange.core.models import AuditEvent
from tests.commissioning.world import build_tender


@pytest.fixture
def tender(cast):
    return build_tender(cast, submit=False)


def test_a_refused_submit_saves_nothing_and_the_retry_is_not_stale(cast, client_for, tender):
    dave = client_for(cast.dave)
    url = reverse("commissioning:bid-edit", args=[tender.partnership.pk, 1])
    bid = Bid.objects.get(pk=tender.bid.pk)
    before, events = model_to_dict(bid), AuditEvent.objects.count()
    # Over the £200,000 the opportunity allows: the submission is refused.
    form = {"q1": "Through the women's centre, and outreach.", "price": "250000", "version": str(bid.version)}

    refused = dave.post(url, form | {"submit": "1"})

    assert refused.status_code == 200
    body = refused.content.decode()
    assert "The price must not be more than £200,000.00" in body and "Nothing was saved" in body
    assert model_to_dict(Bid.objects.get(pk=bid.pk)) == before
    assert AuditEvent.objects.count() == events

    retried = dave.post(url, form | {"price": "150000", "submit": "1"})

    assert retried.status_code == 302, retried.content.decode()
    bid = Bid.objects.get(pk=bid.pk)
    content = sealing.open_bid(bid, reader=cast.dave)
    assert bid.submitted_at is not None and content.price == Decimal("150000")
    assert content.answers == {"1": "Through the women's centre, and outreach."}


def test_save_without_submitting_still_saves(cast, client_for, tender):
    bid = Bid.objects.get(pk=tender.bid.pk)
    url = reverse("commissioning:bid-edit", args=[tender.partnership.pk, 1])
    client_for(cast.dave).post(url, {"q1": "Draft.", "price": "250000", "version": str(bid.version), "save": "1"})
    bid = Bid.objects.get(pk=bid.pk)
    assert sealing.open_bid(bid, reader=cast.dave).price == Decimal("250000") and bid.submitted_at is None
