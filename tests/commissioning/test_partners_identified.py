"""Partners are identified: a member carries the charity or company number it bids under (format
checked where the lead enters it) into the contract's notes and the open data, and a bidder that
lost and reappears as a sub-contractor of the winner is flagged for the commissioner."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from stepchange.accounts.models import Role
from stepchange.commissioning import selectors, services
from stepchange.commissioning.models import PartnershipMember
from stepchange.organisations.models import Sector
from tests.commissioning.world import HOUR, award_tender, build_tender
from tests.factories import OrganisationFactory, UserFactory


@pytest.fixture
def tender(cast):
    return build_tender(cast, identified=True)


def test_members_carry_the_numbers_on_their_profiles(cast, tender):
    acorn, centre = tender.partnership.active_members().order_by("invited_at", "id")
    assert (acorn.charity_number, acorn.company_number) == ("1099999", "04567890")
    assert (centre.charity_number, centre.company_number) == ("1100001-1", "")
    assert centre.registered_numbers == "charity 1100001-1"


def test_the_lead_enters_a_number_the_profile_lacks_and_a_wrong_one_is_refused(cast, client_for, tender):
    unregistered = OrganisationFactory.create(name="Moor Lane Women's Group", sector=Sector.VCS)
    url = reverse("commissioning:member-invite", args=[tender.partnership.pk])
    dave = client_for(cast.dave)
    form = {"organisation": unregistered.pk, "role": "Peer support", "share": "0"}

    page = dave.post(url, form | {"charity_number": "11000", "company_number": "SC12345"}).content.decode()
    assert "Enter a registered charity number in England and Wales as 6 or 7 digits" in page
    assert "Enter a company number as 8 characters: 8 digits, or 2 letters such as SC" in page
    assert not PartnershipMember.objects.filter(organisation=unregistered).exists()

    response = dave.post(url, form | {"charity_number": "1150000", "company_number": "sc 123456"})
    assert response.status_code == 302
    member = PartnershipMember.objects.get(organisation=unregistered)
    assert (member.charity_number, member.company_number) == ("1150000", "SC123456")
    # The membership carries it; the organisation's own profile is its own to change.
    unregistered.refresh_from_db()
    assert unregistered.charity_number == ""
    assert (
        "Moor Lane Women&#x27;s Group"
        in dave.get(reverse("commissioning:partnership", args=[tender.partnership.pk])).content.decode()
    )


def test_a_number_that_contradicts_the_profile_is_refused_naming_the_profiles(cast, tender):
    registered = OrganisationFactory.create(name="Shelter Leeds", sector=Sector.VCS, charity_number="263710")
    with pytest.raises(ValidationError) as refused:
        services.member_invite(
            actor=cast.dave,
            partnership=tender.partnership,
            organisation=registered,
            role="Housing advice",
            share=Decimal(0),
            charity_number="263711",
            now=tender.start + HOUR,
        )
    assert refused.value.message_dict == {
        "charity_number": [
            "Shelter Leeds's profile records charity number 263710. Enter 263710, or leave this blank to use it."
        ]
    }
    member = services.member_invite(
        actor=cast.dave,
        partnership=tender.partnership,
        organisation=registered,
        role="Housing advice",
        share=Decimal(0),
        now=tender.start + HOUR,
    )
    assert member.charity_number == "263710"


def test_the_contract_names_each_partner_as_it_bid(cast, tender):
    done = award_tender(cast, tender)
    assert done.award.contract is not None
    contract = done.award.contract
    assert contract.notes == (
        "Awarded to Acorn Women's Partnership through womens-services."
        " Prime: Acorn Housing Trust (charity 1099999, company 04567890), Lead, housing, 60.00%."
        " Sub-contractors: Riverside Women's Centre (charity 1100001-1), Women's centre, 40.00%."
    )
    assert [(s.partner.name, s.value) for s in contract.sub_contracts.all()] == [
        ("Riverside Women's Centre", Decimal("60000.00"))
    ]


def test_a_loser_that_joins_the_winner_is_flagged_for_the_commissioner_only(cast, client_for, tender):
    done = award_tender(cast, tender, hope_joins_acorn=True)
    flags = selectors.lost_bidders_in_winning_partnership(tender.opportunity)
    # Hope Trust led Hope Partnership, not taken forward at stage 1, then joined Acorn's for stage 2.
    # The women's centre was in both partnerships from the start: flagged too.
    assert [str(f) for f in flags] == [
        "Hope Trust (charity 1123456) bid as lead of Hope Partnership, not successful at stage 1, "
        "and is a sub-contractor of the winner (Outreach, 10.00%); matched by the same organisation.",
        "Riverside Women's Centre (charity 1100001-1) bid as a member of Hope Partnership, not successful at "
        "stage 1, and is a sub-contractor of the winner (Women's centre, 30.00%); matched by the same organisation.",
    ]
    assert done.award.contract is not None
    contract = done.award.contract
    assert sorted(s.partner.name for s in contract.sub_contracts.all()) == ["Hope Trust", "Riverside Women's Centre"]

    detail = reverse("commissioning:detail", args=["womens-services"])
    audit = reverse("commissioning:audit", args=["womens-services"])
    alice = client_for(cast.alice)
    for url in (detail, audit):
        page = alice.get(url).content.decode()
        assert "A bidder that lost is a sub-contractor of the winner" in page
        assert "Hope Trust (charity 1123456) bid as lead of Hope Partnership" in page
    for user in (None, cast.dave, done.harry):
        assert "A bidder that lost" not in client_for(user).get(detail).content.decode()


def test_the_same_charity_under_another_directory_entry_is_caught_by_its_number(cast, tender):
    # Hope Trust's Leeds office is in the directory twice; the number says it is the same charity.
    twin = OrganisationFactory.create(name="Hope Trust Leeds", sector=Sector.VCS, charity_number="1123456")
    hannah = UserFactory.create(username="hannah", role=Role.PROVIDER, organisation=twin)
    unrelated = OrganisationFactory.create(name="Unrelated Trust", sector=Sector.VCS, charity_number="1123457")
    done = award_tender(cast, tender, joiner=twin, joiner_user=hannah)
    flags = selectors.lost_bidders_in_winning_partnership(tender.opportunity)
    assert [(f.organisation, f.lost_as, f.matched_by) for f in flags] == [
        ("Hope Trust Leeds", "lead", "charity number 1123456"),
        ("Riverside Women's Centre", "a member", "the same organisation"),
    ]
    assert str(flags[0]).startswith(
        "Hope Trust Leeds (charity 1123456), in the directory also as Hope Trust, bid as lead of Hope Partnership"
    )
    assert unrelated.name not in str(flags)
    # Once the award is withdrawn there is no winner to flag.
    services.award_withdraw(actor=cast.alice, award=done.award, reason="Re-run with the full partnership.")
    assert selectors.lost_bidders_in_winning_partnership(tender.opportunity) == []
