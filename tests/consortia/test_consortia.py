"""Standing consortia: who sets one up and changes it, its members joining and leaving, its
members' combined reach, and its partnerships and bids shown only as commissioning's sealed-bid
rules allow."""

from __future__ import annotations

import datetime
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from stepchange.consortia import access, selectors, services
from stepchange.consortia.models import ConsortiumPartnership
from stepchange.core.audit import AuditEvent
from stepchange.core.concurrency import StaleEdit
from stepchange.core.models import Pathway
from stepchange.organisations.models import Listing, Sector, ServiceOffer
from tests.commissioning.world import build_tender
from tests.factories import ConsortiumFactory, ConsortiumMemberFactory, OrganisationFactory, UserFactory
from tests.personas import Cast

TEXTS = {
    "name": "MOVE Consortium",
    "purpose": "Small Leeds groups bidding together.",
    "constitution": "An unincorporated association.",
    "bidding_protocol": "The lead member bids; every member agrees the price.",
    "governance": "Quarterly meetings, chaired in turn.",
    "formed_on": datetime.date(2006, 9, 1),
}


@pytest.fixture
def move(cast: Cast):
    """A consortium of Yorkshire and Humberside: Acorn (Dave's) its lead member."""
    consortium = ConsortiumFactory.create(region=cast.region, name="MOVE Consortium")
    ConsortiumMemberFactory.create(consortium=consortium, organisation=cast.charity, role="Lead", is_lead=True)
    return consortium


@pytest.mark.django_db
def test_a_regional_commissioner_sets_one_up_in_their_region_with_one_audit_event(cast: Cast) -> None:
    before = AuditEvent.objects.count()
    consortium = services.consortium_create(actor=cast.alice, region=cast.region, texts=TEXTS)
    assert (consortium.name, consortium.governance, consortium.version) == (
        "MOVE Consortium",
        "Quarterly meetings, chaired in turn.",
        1,
    )
    assert AuditEvent.objects.count() == before + 1
    assert AuditEvent.objects.latest("pk").action == "consortium.create"
    with pytest.raises(PermissionDenied):
        services.consortium_create(actor=cast.bob, region=cast.region, texts={**TEXTS, "name": "Other"})
    with pytest.raises(PermissionDenied):
        services.consortium_create(actor=cast.alice, region=cast.other_region, texts={**TEXTS, "name": "Other"})
    with pytest.raises(ValidationError, match="already a consortium of that name"):
        services.consortium_create(actor=cast.alice, region=cast.region, texts={**TEXTS, "name": "move consortium"})


@pytest.mark.django_db
def test_the_lead_members_people_change_it_and_a_stale_save_is_refused(cast: Cast, move) -> None:
    assert access.may_manage_consortium(cast.dave, move)
    assert access.may_manage_consortium(cast.alice, move)
    assert not access.may_manage_consortium(cast.erin, move)
    assert not access.may_manage_consortium(cast.bob, move)
    saved = services.consortium_update(actor=cast.dave, consortium=move, texts=TEXTS, version=1)
    assert saved.version == 2
    with pytest.raises(StaleEdit):
        services.consortium_update(actor=cast.alice, consortium=move, texts={**TEXTS, "governance": "x"}, version=1)
    with pytest.raises(PermissionDenied):
        services.consortium_update(actor=cast.erin, consortium=move, texts=TEXTS, version=2)
    # An ordinary member's people do not manage it.
    calder = OrganisationFactory.create(name="Calder Mentoring", region=cast.region)
    ConsortiumMemberFactory.create(consortium=move, organisation=calder)
    calder_user = UserFactory.create(role="provider", organisation=calder)
    assert not access.may_manage_consortium(calder_user, move)


@pytest.mark.django_db
def test_members_join_once_leave_once_and_may_join_again(cast: Cast, move) -> None:
    calder = OrganisationFactory.create(name="Calder Mentoring", region=cast.region)
    joined = datetime.date(2006, 10, 2)
    member = services.member_add(
        actor=cast.dave, consortium=move, organisation=calder, role="Mentoring", is_lead=False, joined_on=joined
    )
    with pytest.raises(ValidationError, match="Calder Mentoring is already a member"):
        services.member_add(
            actor=cast.alice, consortium=move, organisation=calder, role="Again", is_lead=False, joined_on=joined
        )
    with pytest.raises(ValidationError, match="not a voluntary and community organisation"):
        services.member_add(
            actor=cast.alice, consortium=move, organisation=cast.company, role="x", is_lead=False, joined_on=joined
        )
    waiting = OrganisationFactory.create(name="New Group", listing=Listing.WAITING)
    with pytest.raises(ValidationError, match="New Group is not listed in the directory yet"):
        services.member_add(
            actor=cast.alice, consortium=move, organisation=waiting, role="x", is_lead=False, joined_on=joined
        )
    with pytest.raises(ValidationError, match=r"on or after the day it joined \(2/10/2006\)"):
        services.member_remove(actor=cast.alice, member=member, left_on=datetime.date(2006, 10, 1))
    services.member_remove(actor=cast.alice, member=member, left_on=datetime.date(2007, 3, 31))
    with pytest.raises(ValidationError, match="already left"):
        services.member_remove(actor=cast.alice, member=member, left_on=datetime.date(2007, 4, 1))
    again = services.member_add(
        actor=cast.dave,
        consortium=move,
        organisation=calder,
        role="Mentoring",
        is_lead=False,
        joined_on=datetime.date(2008, 1, 1),
    )
    assert list(access.current_members(move).values_list("organisation__name", flat=True)) == [
        "Acorn Housing Trust",
        "Calder Mentoring",
    ]
    assert again.pk != member.pk
    assert AuditEvent.objects.filter(action__startswith="consortium.member_").count() == 3


@pytest.mark.django_db
def test_who_sees_a_consortium(cast: Cast, move) -> None:
    assert set(access.consortia_visible_to(cast.erin)) == {move}  # works in the region
    assert set(access.consortia_visible_to(cast.root)) == {move}
    # A member organisation of another region sees the consortium it is in.
    tyne = OrganisationFactory.create(name="Tyne Outreach", sector=Sector.VCS, region=cast.other_region)
    tyne_user = UserFactory.create(role="provider", organisation=tyne)
    assert not access.consortia_visible_to(tyne_user).exists()
    ConsortiumMemberFactory.create(consortium=move, organisation=tyne)
    assert set(access.consortia_visible_to(tyne_user)) == {move}
    assert not access.consortia_visible_to(cast.nadia).exists()  # of no region


@pytest.mark.django_db
def test_the_combined_reach_is_the_current_members_probation_services(cast: Cast, move) -> None:
    health, ete, housing = (Pathway.objects.get(code=c) for c in ("health", "ete", "accommodation"))
    calder = OrganisationFactory.create(name="Calder Mentoring", region=cast.region)
    gone = OrganisationFactory.create(name="Gone Group", region=cast.region)
    ConsortiumMemberFactory.create(consortium=move, organisation=calder)
    ConsortiumMemberFactory.create(consortium=move, organisation=gone, left_on=datetime.date(2007, 1, 1))
    outsider = OrganisationFactory.create(name="Outsider Trust", region=cast.region)
    for org, pathway, area in [
        (cast.charity, health, cast.sypa),
        (cast.charity, health, cast.wypa),
        (calder, health, cast.wypa),
        (calder, ete, cast.sypa),
        (calder, ete, cast.leeds),  # a prison: not a probation area
        (gone, housing, cast.wypa),  # a former member
        (outsider, housing, cast.sypa),  # not a member
    ]:
        ServiceOffer.objects.create(organisation=org, pathway=pathway, area=area)
    assert [(c.area, c.pathway, c.organisations) for c in selectors.reach(move)] == [
        ("South Yorkshire Probation Area", ete.name, ("Calder Mentoring",)),
        ("South Yorkshire Probation Area", health.name, ("Acorn Housing Trust",)),
        ("West Yorkshire Probation Area", health.name, ("Acorn Housing Trust", "Calder Mentoring")),
    ]


@pytest.mark.django_db
def test_a_linked_partnership_and_its_bid_stay_sealed_from_the_regional_team_until_the_deadline(
    cast: Cast, move, client_for
) -> None:
    tender = build_tender(cast)  # Acorn leads the partnership; Dave is on its bid team
    assert list(access.partnerships_linkable_by(cast.alice, move)) == []
    assert list(access.partnerships_linkable_by(cast.dave, move)) == [tender.partnership]
    with pytest.raises(PermissionDenied):
        services.partnership_link(actor=cast.alice, consortium=move, partnership=tender.partnership)
    services.partnership_link(actor=cast.dave, consortium=move, partnership=tender.partnership)
    assert ConsortiumPartnership.objects.get().consortium == move
    assert list(access.partnerships_linkable_by(cast.dave, move)) == []  # linked once
    url = reverse("consortia:detail", args=[move.pk])

    before = client_for(cast.alice).get(url).content.decode()
    assert "MOVE Consortium" in before
    assert "Acorn Women&#x27;s Partnership" not in before
    assert "Women&#x27;s services" not in before
    assert "Bids you can see" not in before
    assert not access.bids_shown(cast.alice, move).exists()
    # Erin sees the consortium (her region) but never the partnership her company is not in.
    assert "Acorn Women&#x27;s Partnership" not in client_for(cast.erin).get(url).content.decode()

    team = client_for(cast.dave).get(url).content.decode()
    assert "Acorn Women&#x27;s Partnership" in team
    assert "Bids you can see" in team

    with mock.patch.object(timezone, "now", lambda: tender.after_stage1):
        after = client_for(cast.alice).get(url).content.decode()
    assert "Acorn Women&#x27;s Partnership" in after
    assert "Bids you can see" in after
    assert "Stage 1: Outline" in after


@pytest.mark.django_db
def test_the_pages_save_through_the_services(cast: Cast, move, client_for) -> None:
    alice = client_for(cast.alice)
    created = alice.post(
        reverse("consortia:create"), {**TEXTS, "name": "Leeds Arts Consortium", "version": "0", "formed_on": "1/9/2006"}
    )
    assert created.status_code == 302
    calder = OrganisationFactory.create(name="Calder Mentoring", region=cast.region)
    added = client_for(cast.dave).post(
        reverse("consortia:member-add", args=[move.pk]),
        {"organisation": calder.pk, "role": "Mentoring", "joined_on": "2/10/2006"},
    )
    assert added.status_code == 302
    member = access.current_members(move).get(organisation=calder)
    left = alice.post(reverse("consortia:member-remove", args=[move.pk, member.pk]), {"left_on": "31/3/2007"})
    assert left.status_code == 302
    member.refresh_from_db()
    assert member.left_on == datetime.date(2007, 3, 31)
    stale = alice.post(reverse("consortia:edit", args=[move.pk]), {**TEXTS, "formed_on": "", "version": "0"})
    assert "Someone else changed this record" in stale.content.decode()
    page = alice.get(reverse("consortia:detail", args=[move.pk])).content.decode()
    assert "Former members" in page and "31 March 2007" in page


@pytest.mark.django_db
def test_an_organisations_profile_lists_the_consortia_it_is_in_to_those_who_may_see_them(
    cast: Cast, move, client_for
) -> None:
    url = reverse("organisations:detail", args=[cast.charity.pk])
    page = client_for(cast.bob).get(url).content.decode()
    assert "MOVE Consortium" in page
    assert "Lead member (Lead), since 1 April 2006" in page
    # Someone of another region does not see Yorkshire and Humberside's consortium.
    ne = UserFactory.create(role="provider", organisation=OrganisationFactory.create(region=cast.other_region))
    elsewhere = client_for(ne).get(url)
    assert elsewhere.status_code == 200
    assert "Acorn Housing Trust" in elsewhere.content.decode()
    assert "MOVE Consortium" not in elsewhere.content.decode()


@pytest.mark.django_db
def test_the_lead_members_provider_links_a_partnership_on_its_page(cast: Cast, move, client_for) -> None:
    tender = build_tender(cast)
    url = reverse("consortia:link", args=[move.pk])
    assert client_for(cast.alice).get(url).status_code == 404  # the regional team links none
    dave = client_for(cast.dave)
    assert "Acorn Women&#x27;s Partnership (Women&#x27;s services)" in dave.get(url).content.decode()
    assert dave.post(url, {"partnership": tender.partnership.pk}).status_code == 302
    assert ConsortiumPartnership.objects.get().partnership == tender.partnership
    assert dave.get(url).status_code == 404  # nothing left to link
