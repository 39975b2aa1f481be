"""A region set up from the browser: Nadia, the national administrator, adds the East Midlands and
invites its first regional commissioner, Emma; Emma adds its probation area, prisons and regional
team, invites its people and records its grants. Duplicates are refused beside the field; a stale
edit is refused; nobody reaches another region's set-up."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from stepchange.accounts.models import User
from stepchange.contracts.models import MainGrant
from stepchange.core.models import AuditEvent, Region
from stepchange.core.roles import Role
from stepchange.organisations.models import Commissioner, CommissionerKind, Operator, Sector
from tests.factories import OrganisationFactory, persona, year_0607


def _errors(page: str) -> list[str]:
    return re.findall(r'class="govuk-error-message"><span class="govuk-visually-hidden">Error:</span> ([^<]+)<', page)


@pytest.fixture
def east_midlands(cast, client_for) -> Region:
    response = client_for(cast.nadia).post("/manage/service-regions/new/", {"code": "em", "name": "East Midlands"})
    assert response.status_code == 302
    return Region.objects.get(code="EM")


@pytest.fixture
def emma(east_midlands) -> User:
    return persona("emma", Role.REGIONAL_COMMISSIONER, region=east_midlands)


def test_nadia_adds_a_region_which_is_then_on_the_service(cast, client_for, east_midlands):
    assert (east_midlands.name, east_midlands.holds_contracts) == ("East Midlands", True)
    event = AuditEvent.objects.get(action="region_create")
    assert event.after is not None and event.after["code"] == "EM"
    listing = client_for(cast.nadia).get("/manage/service-regions/").content.decode()
    assert "East Midlands" in listing and "Invite its first regional commissioner" in listing
    assert 'href="/manage/service-regions/"' in client_for(cast.nadia).get("/manage/").content.decode()


def test_a_region_code_or_name_already_taken_is_refused_beside_the_field(cast, client_for, east_midlands):
    page = client_for(cast.nadia).post("/manage/service-regions/new/", {"code": "Em", "name": "east midlands"})

    assert page.status_code == 200
    errors = _errors(page.content.decode())
    assert "The code EM is already used by East Midlands; choose another code" in errors
    assert "East Midlands is already on the service" in errors
    assert "<title>Error: " in page.content.decode()
    assert Region.objects.filter(code="EM").count() == 1


def test_a_region_known_from_published_figures_is_put_on_the_service(cast, client_for):
    cast.other_region.holds_contracts = False
    cast.other_region.save()
    refused = client_for(cast.nadia).post("/manage/service-regions/new/", {"code": "NE2", "name": "North East"})
    assert "North East is already listed, from published figures; put it on the service instead" in _errors(
        refused.content.decode()
    )

    done = client_for(cast.nadia).post(
        f"/manage/service-regions/{cast.other_region.pk}/join/", {"version": cast.other_region.version}
    )

    assert done.status_code == 302
    cast.other_region.refresh_from_db()
    assert cast.other_region.holds_contracts
    assert AuditEvent.objects.filter(action="region_join").count() == 1


def test_nadia_invites_the_first_regional_commissioner_by_email_once(cast, client_for, east_midlands, smtp):
    nadia = client_for(cast.nadia)
    response = nadia.post(
        f"/manage/service-regions/{east_midlands.pk}/invite/",
        {"username": "emma", "first_name": "Emma", "last_name": "Hart", "email": "emma@example.org"},
    )

    assert response.status_code == 302
    emma = User.objects.get(username="emma")
    assert (emma.role, emma.region, emma.organisation) == (Role.REGIONAL_COMMISSIONER, east_midlands, None)
    assert not emma.has_usable_password()
    assert re.search(r"/account/invitation/\S+", smtp.body(smtp.to("emma@example.org")[-1]))
    # The region has its commissioner now: a second "first" one is not Nadia's to invite.
    assert nadia.get(f"/manage/service-regions/{east_midlands.pk}/invite/").status_code == 404


def test_nadia_invites_nobody_else_and_alice_sets_up_no_region(cast, client_for, east_midlands):
    from stepchange.accounts.access import invitation_refusal

    assert invitation_refusal(
        cast.nadia, organisation=cast.sypa.organisation, role=Role.PROBATION_MANAGER, is_organisation_admin=False
    )
    assert invitation_refusal(
        cast.nadia,
        organisation=None,
        role=Role.REGIONAL_COMMISSIONER,
        is_organisation_admin=False,
        region=cast.region,  # Yorkshire and Humberside has Alice already
    )
    alice = client_for(cast.alice)
    for url in ("/manage/service-regions/", "/manage/service-regions/new/", "/manage/national/"):
        assert alice.get(url).status_code == 404
    assert alice.get(f"/manage/service-regions/{east_midlands.pk}/invite/").status_code == 404


def test_emma_sets_up_her_regions_commissioners(cast, client_for, east_midlands, emma):
    client = client_for(emma)
    assert client.get("/manage/commissioners/").status_code == 200
    for kind, data in (
        ("probation-area", {"name": "Derbyshire Probation Area", "code": "dpa"}),
        ("prison", {"name": "HMP Nottingham", "code": "NOTT", "operator": "public", "establishment_type": "local"}),
        ("prison", {"name": "HMP Lowdham Grange", "code": "LOWD", "operator": "private"}),
        ("regional-team", {"name": "Regional Offender Manager, East Midlands", "code": "ROM-EM"}),
    ):
        response = client.post(f"/manage/commissioners/new/{kind}/", data)
        assert response.status_code == 302, _errors(response.content.decode())

    made = {c.code: c for c in Commissioner.objects.filter(region=east_midlands)}
    assert set(made) == {"DPA", "NOTT", "LOWD", "ROM-EM"}
    assert made["DPA"].kind == CommissionerKind.PROBATION and made["DPA"].operator == ""
    assert (made["NOTT"].operator, made["NOTT"].establishment_type) == (Operator.PUBLIC, "local")
    assert (made["LOWD"].operator, made["LOWD"].establishment_type) == (Operator.PRIVATE, "")
    organisation = made["NOTT"].organisation
    assert (organisation.name, organisation.sector, organisation.region) == (
        "HMP Nottingham",
        Sector.PUBLIC,
        east_midlands,
    )
    assert AuditEvent.objects.filter(action="commissioner_create").count() == 4
    listing = client.get("/manage/commissioners/").content.decode()
    assert "HMP Lowdham Grange" in listing and "Private sector" in listing
    # Her list holds her region's only.
    assert "South Yorkshire Probation Area" not in listing
    # One regional team a region: the button is gone, and a POST is refused.
    assert "Add the regional team" not in listing
    again = client.post("/manage/commissioners/new/regional-team/", {"name": "Another team", "code": "ROM-EM2"})
    assert "East Midlands already has a regional team; change that one instead" in _errors(again.content.decode())


def test_duplicate_codes_and_names_and_a_prison_without_operator_are_refused(cast, client_for, emma):
    client = client_for(emma)
    taken = client.post(
        "/manage/commissioners/new/probation-area/", {"name": "South Yorkshire Probation Area", "code": "sypa"}
    )
    errors = _errors(taken.content.decode())
    assert "The code SYPA is already used by South Yorkshire Probation Area; choose another code" in errors
    assert "There is already an organisation called South Yorkshire Probation Area; choose another name" in errors
    no_operator = client.post("/manage/commissioners/new/prison/", {"name": "HMP Nottingham", "code": "NOTT"})
    assert "Select whether the public or the private sector runs it" in _errors(no_operator.content.decode())
    bad_code = client.post("/manage/commissioners/new/probation-area/", {"name": "Leicestershire", "code": "L P A"})
    assert "Enter a code of letters, digits and hyphens only, like NEPA" in _errors(bad_code.content.decode())
    assert not Commissioner.objects.filter(region=emma.region).exists()


def test_a_stale_change_to_a_prison_is_refused(cast, client_for, east_midlands, emma):
    client = client_for(emma)
    client.post("/manage/commissioners/new/prison/", {"name": "HMP Nottingham", "code": "NOTT", "operator": "public"})
    prison = Commissioner.objects.get(code="NOTT")
    read_at = prison.organisation.version
    first = client.post(
        f"/manage/commissioners/{prison.pk}/edit/",
        {"name": "HMP Nottingham", "operator": "public", "establishment_type": "cat_b", "version": read_at},
    )
    assert first.status_code == 302
    second = client.post(
        f"/manage/commissioners/{prison.pk}/edit/",
        {"name": "HMP & YOI Nottingham", "operator": "private", "version": read_at},
    )

    assert second.status_code == 200
    assert "changed" in second.content.decode().lower()
    prison.refresh_from_db()
    prison.organisation.refresh_from_db()
    assert (prison.organisation.name, prison.operator, prison.establishment_type) == (
        "HMP Nottingham",
        Operator.PUBLIC,
        "cat_b",
    )
    event = AuditEvent.objects.get(action="commissioner_update")
    assert event.before is not None and event.after is not None
    assert (event.before["establishment_type"], event.after["establishment_type"]) == ("", "cat_b")


def test_emma_reaches_no_other_regions_commissioners_and_alice_none_of_hers(cast, client_for, east_midlands, emma):
    client_for(emma).post("/manage/commissioners/new/probation-area/", {"name": "Derbyshire PA", "code": "DPA"})
    derbyshire = Commissioner.objects.get(code="DPA")

    assert client_for(emma).get(f"/manage/commissioners/{cast.sypa.pk}/edit/").status_code == 404
    assert client_for(cast.alice).get(f"/manage/commissioners/{derbyshire.pk}/edit/").status_code == 404
    assert "Derbyshire PA" not in client_for(cast.alice).get("/manage/commissioners/").content.decode()
    for outsider in (cast.nadia, cast.bob, cast.dave):
        assert client_for(outsider).get("/manage/commissioners/").status_code == 404


def test_emma_invites_her_regions_people_and_records_its_grants(cast, client_for, east_midlands, emma, smtp):
    client = client_for(emma)
    client.post("/manage/commissioners/new/probation-area/", {"name": "Derbyshire Probation Area", "code": "DPA"})
    derbyshire = Commissioner.objects.get(code="DPA")

    invite_page = client.get("/manage/users/new/").content.decode()
    assert "Derbyshire Probation Area" in invite_page and "South Yorkshire Probation Area" not in invite_page
    invited = client.post(
        "/manage/users/new/",
        {
            "username": "derek",
            "first_name": "Derek",
            "last_name": "Moss",
            "email": "derek@example.org",
            "role": Role.PROBATION_MANAGER,
            "organisation": derbyshire.organisation.pk,
            "region": east_midlands.pk,
        },
    )
    assert invited.status_code == 302, _errors(invited.content.decode())
    users = client.get("/manage/users/").content.decode()
    assert "Derek" in users and "Bob" not in users and "Alice" not in users

    # The indicative grant first, the final one later: the share reads the final where there is one.
    added = client.post(
        "/manage/grants/new/", {"commissioner": derbyshire.pk, "year": year_0607().pk, "indicative": "9,500,000"}
    )
    assert added.status_code == 302
    grant = MainGrant.objects.get(commissioner=derbyshire)
    assert (grant.indicative, grant.final, grant.amount) == (Decimal("9500000.00"), None, Decimal("9500000.00"))
    changed = client.post(
        f"/manage/grants/{grant.pk}/edit/", {"indicative": "9500000", "final": "9612000.50", "version": grant.version}
    )
    assert changed.status_code == 302
    grant.refresh_from_db()
    assert grant.amount == Decimal("9612000.50")
    grants = client.get("/manage/grants/").content.decode()
    assert "Derbyshire Probation Area" in grants and "South Yorkshire" not in grants


def test_a_region_whose_commissioner_is_placed_by_organisation_only_is_not_open(cast, client_for, east_midlands):
    from stepchange.accounts.access import regions_open_to_first_commissioner

    assert east_midlands in regions_open_to_first_commissioner(cast.nadia)
    team = Commissioner.objects.create(
        organisation=OrganisationFactory.create(name="ROM, East Midlands"),
        code="ROM-EM",
        kind=CommissionerKind.REGIONAL,
        region=east_midlands,
    )
    persona("ellen", Role.REGIONAL_COMMISSIONER, organisation=team.organisation)

    assert east_midlands not in regions_open_to_first_commissioner(cast.nadia)
    assert regions_open_to_first_commissioner(cast.alice).count() == 0
