"""Confirmation dates never move: a membership confirmed again, or a bid re-confirmed or submitted
again, keeps the date it was first confirmed or submitted, and the page says it was already done."""

from __future__ import annotations

import pytest
from django.forms.models import model_to_dict
from django.urls import reverse
from django.utils import timezone

from stepchange.commissioning import services
from stepchange.commissioning.models import Bid, PartnershipMember
from stepchange.core.models import AuditEvent
from tests.commissioning.world import DAY, HOUR, build_tender


@pytest.fixture
def tender(cast):
    return build_tender(cast)


def test_confirming_a_confirmed_membership_changes_nothing_and_says_so(cast, client_for, tender, monkeypatch):
    member = PartnershipMember.objects.get(partnership=tender.partnership, organisation=tender.womens_centre)
    before = model_to_dict(member)
    events = AuditEvent.objects.count()
    monkeypatch.setattr(timezone, "now", lambda: tender.start + 2 * DAY)

    response = client_for(tender.wendy).post(reverse("commissioning:member-confirm", args=[member.pk]), follow=True)

    member.refresh_from_db()
    assert model_to_dict(member) == before
    assert member.confirmed_at == tender.start + 2 * HOUR
    assert AuditEvent.objects.count() == events
    body = response.content.decode()
    assert "already confirmed" in body and "You have confirmed" not in body


def test_the_service_refuses_a_second_confirmation(cast, tender):
    member = PartnershipMember.objects.get(partnership=tender.partnership, organisation=tender.womens_centre)
    with pytest.raises(services.AlreadyConfirmed, match="already confirmed"):
        services.member_confirm(actor=tender.wendy, member=member, now=tender.start + DAY)
    member.refresh_from_db()
    assert member.confirmed_at == tender.start + 2 * HOUR


def test_re_confirming_a_bid_keeps_the_date_it_was_submitted(cast, tender):
    submitted = tender.bid.submitted_at
    change_at = tender.start + 5 * DAY
    opportunity = type(tender.opportunity).objects.get(pk=tender.opportunity.pk)
    services.opportunity_update(
        actor=cast.alice,
        opportunity=opportunity,
        expected_version=opportunity.version,
        description="New",
        now=change_at,
    )
    bid = Bid.objects.get(pk=tender.bid.pk)
    assert bid.reconfirm_needed_since == change_at

    services.bid_submit(actor=cast.dave, bid=bid, now=change_at + HOUR)

    bid = Bid.objects.get(pk=tender.bid.pk)
    assert bid.reconfirm_needed_since is None and bid.submitted_at == submitted
    assert AuditEvent.objects.filter(action="bid_reconfirm").count() == 1
    # Submitting it again, with nothing to re-confirm, changes nothing at all.
    row = model_to_dict(bid)
    services.bid_submit(actor=cast.dave, bid=bid, now=change_at + 2 * HOUR)
    assert model_to_dict(Bid.objects.get(pk=bid.pk)) == row
    assert AuditEvent.objects.filter(action="bid_reconfirm").count() == 1
