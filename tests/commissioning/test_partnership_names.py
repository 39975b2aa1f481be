"""Forming a partnership never tells a bidder that a rival is bidding: a name another partnership
for the same opportunity already holds is accepted like any other, and nothing on the page says it
is taken."""

from __future__ import annotations

from django.urls import reverse

from stepchange.commissioning.models import BiddingPartnership
from tests.commissioning.world import build_tender


def test_a_name_a_rival_holds_is_accepted_and_not_called_taken(cast, client_for):
    tender = build_tender(cast)
    url = reverse("commissioning:partnership-create", args=["womens-services"])

    response = client_for(cast.erin).post(
        url, {"name": "acorn women's partnership", "lead_role": "Lead", "lead_share": "100"}
    )

    body = response.content.decode()
    assert response.status_code == 302, body
    assert "name" not in body.lower()
    ours = BiddingPartnership.objects.get(lead=cast.company)
    assert ours.opportunity == tender.opportunity and ours.pk != tender.partnership.pk
    # Erin still cannot see the rival: only her own partnership is open to her.
    assert (
        client_for(cast.erin).get(reverse("commissioning:partnership", args=[tender.partnership.pk])).status_code == 404
    )
