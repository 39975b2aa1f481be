"""The commissioning rules the opportunity and partnership pages ask of ``commissioning/access.py``
(and the opportunity's and stage's own state methods), at their boundaries, per role: who is
offered to ask a clarification question or form a partnership, whose memberships count as
confirmed, when an opportunity may be called off, a stage's deadline moved or a bid changed."""

from __future__ import annotations

from decimal import Decimal
from unittest import mock

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import timezone

from stepchange.commissioning import access
from stepchange.commissioning.models import Bid, PartnershipMember
from stepchange.core.roles import Role
from tests.commissioning.world import DAY, HOUR, award_tender, build_tender
from tests.factories import UserFactory

# Only a provider's people bid, and so ask questions and form partnerships.
PROVIDERS = {"dave", "erin"}
EVERYONE = ["alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "nadia", "root"]


@pytest.fixture
def tender(cast):
    return build_tender(cast)


@pytest.mark.parametrize("name", EVERYONE)
def test_a_provider_asks_until_the_clarification_deadline(cast, tender, name):
    user, opportunity = getattr(cast, name), tender.opportunity
    deadline = opportunity.clarification_deadline
    assert access.may_ask_clarification(user, opportunity, now=deadline) == (name in PROVIDERS)
    assert access.may_ask_clarification(user, opportunity, now=deadline + HOUR) is False


def test_nobody_asks_about_a_draft_or_signed_out(cast, tender):
    opportunity = tender.opportunity
    assert access.may_ask_clarification(AnonymousUser(), opportunity, now=tender.start) is False
    opportunity.published_at = None
    assert access.may_ask_clarification(cast.dave, opportunity, now=tender.start) is False
    assert not opportunity.clarification_deadline_passed(opportunity.clarification_deadline)
    opportunity.clarification_deadline = None
    assert not opportunity.clarification_deadline_passed(tender.start + 100 * DAY)


@pytest.mark.parametrize("name", EVERYONE)
def test_a_provider_forms_a_partnership_while_the_opportunity_is_open(cast, tender, name):
    user, opportunity = getattr(cast, name), tender.opportunity
    assert access.may_form_partnership(user, opportunity, now=tender.stage1.deadline - HOUR) == (name in PROVIDERS)
    # Once the first stage's deadline has passed the opportunity is being evaluated: nobody forms one.
    assert access.may_form_partnership(user, opportunity, now=tender.after_stage1) is False
    assert access.may_form_partnership(AnonymousUser(), opportunity, now=tender.start) is False


def test_confirmed_memberships_leave_out_an_invitation_not_yet_confirmed(cast, tender):
    invited = PartnershipMember.objects.create(
        partnership=tender.partnership,
        organisation=cast.company,
        role="Employment",
        share=Decimal(0),
        invited_at=tender.start + 2 * HOUR,
    )
    assert invited in access.memberships_of(cast.erin)
    assert not access.confirmed_memberships_of(cast.erin).exists()
    assert access.confirmed_memberships_of(cast.dave).filter(partnership=tender.partnership).exists()
    assert access.confirmed_memberships_of(tender.wendy).filter(partnership=tender.partnership).exists()
    for name in ("alice", "heidi", "root"):
        assert not access.confirmed_memberships_of(getattr(cast, name)).exists(), name


def test_an_opportunity_is_called_off_while_published_not_ended_and_not_awarded(cast, tender):
    opportunity = tender.opportunity
    assert opportunity.may_be_called_off()
    opportunity.published_at = None
    assert not opportunity.may_be_called_off()
    opportunity.refresh_from_db()
    opportunity.cancelled_at = tender.start
    assert not opportunity.may_be_called_off()
    opportunity.cancelled_at = None
    opportunity.closed_without_award_at = tender.start
    assert not opportunity.may_be_called_off()


def test_a_stage_deadline_moves_only_while_sealed(cast, tender):
    stage = tender.stage1
    assert stage.deadline_may_change(stage.deadline - HOUR)
    assert not stage.deadline_may_change(stage.deadline)
    stage.opportunity.cancelled_at = tender.start
    assert not stage.deadline_may_change(stage.deadline - HOUR)


def test_an_award_stops_calling_off_and_moving_deadlines(cast, tender):
    award_tender(cast, tender)
    assert tender.stage2.is_sealed(tender.start)
    assert not tender.opportunity.may_be_called_off()
    assert not tender.stage2.deadline_may_change(tender.start)


def test_a_bid_is_changed_until_its_stage_deadline_and_never_once_withdrawn(cast, tender):
    bid = tender.bid
    assert bid.is_changeable(tender.stage1.deadline - HOUR)
    assert not bid.is_changeable(tender.stage1.deadline)
    bid.withdrawn_at = tender.start + 4 * HOUR
    assert not bid.is_changeable(tender.stage1.deadline - HOUR)


def test_the_opportunity_page_offers_calling_off_and_moving_deadlines_until_an_award(cast, tender, client_for):
    client = client_for(cast.alice)
    url = reverse("commissioning:detail", args=[tender.opportunity.reference])
    cancel = reverse("commissioning:cancel", args=[tender.opportunity.reference])
    deadline = reverse("commissioning:stage-deadline", args=[tender.opportunity.reference, 1])
    page = client.get(url).content.decode()
    assert cancel in page and deadline in page
    award_tender(cast, tender)
    page = client.get(url).content.decode()
    assert cancel not in page and deadline not in page


def test_the_partnership_page_offers_changing_a_bid_only_while_it_may_be(cast, tender, client_for):
    client = client_for(cast.dave)
    url = reverse("commissioning:partnership", args=[tender.partnership.pk])
    change = 'Change<span class="govuk-visually-hidden"> the stage 1 bid'
    withdraw = reverse("commissioning:bid-withdraw", args=[tender.bid.pk])
    page = client.get(url).content.decode()
    assert change in page and withdraw in page
    Bid.objects.filter(pk=tender.bid.pk).update(withdrawn_at=tender.start + 4 * HOUR)
    page = client.get(url).content.decode()
    assert change not in page and withdraw not in page


def test_an_evaluators_list_says_a_sealed_stage_is_sealed(cast, tender, client_for):
    page = client_for(cast.heidi).get(reverse("commissioning:evaluations")).content.decode()
    assert page.count("Bids are sealed until") == 2
    assert reverse("commissioning:bid", args=[tender.bid.pk]) not in page


def test_an_evaluators_list_shows_each_unsealed_stages_bids_under_it(cast, tender, client_for):
    with mock.patch.object(timezone, "now", lambda: tender.after_stage1):
        page = client_for(cast.heidi).get(reverse("commissioning:evaluations")).content.decode()
    assert page.count("Bids are sealed until") == 1  # stage 2 still is
    stage1 = page.index("stage 1: Outline")
    stage2 = page.index("stage 2: Full bid")
    link = page.index(reverse("commissioning:bid", args=[tender.bid.pk]))
    assert stage1 < link < stage2


# Evaluators, regional commissioners and probation contracts managers may be named as a stage's
# evaluator; root is a regional commissioner by role.
NAMEABLE_EVALUATORS = {"alice", "bob", "carol", "heidi", "root"}


@pytest.mark.parametrize("name", EVERYONE)
def test_a_stage_names_as_evaluator_only_evaluators_and_commissioners(cast, name):
    user = getattr(cast, name)
    assert access.may_be_named_evaluator(user) == (name in NAMEABLE_EVALUATORS)
    assert (user in access.evaluator_candidates()) == (name in NAMEABLE_EVALUATORS)


def test_a_closed_account_is_not_named_as_evaluator(cast):
    cast.heidi.is_active = False
    cast.heidi.save(update_fields=["is_active"])
    assert not access.may_be_named_evaluator(cast.heidi)


@pytest.mark.parametrize("name", EVERYONE)
def test_a_bid_team_takes_only_the_members_own_providers(cast, tender, name):
    lead = tender.partnership.active_members().get(organisation=tender.partnership.lead)
    centre = tender.partnership.active_members().get(organisation=tender.womens_centre)
    user = getattr(cast, name)
    # Dave is a provider of the lead (Acorn); nobody of the cast works for the women's centre.
    assert access.may_join_bid_team(user, lead) == (name == "dave")
    assert access.may_join_bid_team(user, centre) is False
    assert access.may_join_bid_team(tender.wendy, centre)


def test_a_bid_team_refuses_a_closed_account_and_another_role_of_the_organisation(cast, tender):
    lead = tender.partnership.active_members().get(organisation=tender.partnership.lead)
    infrastructure = UserFactory.create(username="ivy", role=Role.INFRASTRUCTURE, organisation=lead.organisation)
    closed = UserFactory.create(username="otto", organisation=lead.organisation, is_active=False)
    assert not access.may_join_bid_team(infrastructure, lead)
    assert not access.may_join_bid_team(closed, lead)
    assert list(access.bid_team_candidates(lead)) == [cast.dave]
    assert list(access.people_invited_by(lead)) == [cast.dave]
