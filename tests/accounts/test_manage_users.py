"""Alice opens and changes the accounts of her region; passwords must pass Django's validators."""

from __future__ import annotations

from stepchange.accounts.models import Role, User
from stepchange.core.models import AuditEvent
from tests.factories import OrganisationFactory, RegionFactory, UserFactory


def new_user(cast, **changes):  # type: ignore[no-untyped-def]
    data = {
        "username": "ian",
        "first_name": "Ian",
        "last_name": "Hart",
        "email": "ian@example.org",
        "role": Role.PROVIDER,
        "organisation": cast.charity.pk,
        "region": cast.region.pk,
        "password": "a long and unusual passphrase",
    }
    data.update(changes)
    return data


def test_alice_opens_an_account_for_a_charity_worker_who_can_then_sign_in(cast, client_for):
    response = client_for(cast.alice).post("/manage/users/new/", new_user(cast))

    assert response.status_code == 302
    ian = User.objects.get(username="ian")
    assert (ian.role, ian.organisation, ian.region) == (Role.PROVIDER, cast.charity, cast.region)
    assert ian.check_password("a long and unusual passphrase")
    event = AuditEvent.objects.get(action="user_create")
    assert event.actor == cast.alice
    assert "password" not in (event.after or {})


def test_a_weak_password_or_taken_username_is_refused_and_no_account_opened(cast, client_for):
    alice = client_for(cast.alice)
    before = User.objects.count()

    short = alice.post("/manage/users/new/", new_user(cast, password="short")).content.decode()
    common = alice.post("/manage/users/new/", new_user(cast, password="password1234")).content.decode()
    taken = alice.post("/manage/users/new/", new_user(cast, username="DAVE")).content.decode()
    markup = alice.post("/manage/users/new/", new_user(cast, username="<script>")).content.decode()

    assert "This password is too short" in short
    assert "This password is too common" in common
    assert "The username DAVE is already taken" in taken
    assert "Enter a valid username" in markup
    assert User.objects.count() == before
    assert not AuditEvent.objects.exists()


def test_alice_changes_daves_role_and_closes_his_account(cast, client_for):
    alice = client_for(cast.alice)
    data = new_user(cast, role=Role.INFRASTRUCTURE, version=cast.dave.version)
    del data["username"], data["password"]

    response = alice.post(f"/manage/users/{cast.dave.pk}/edit/", data)

    assert response.status_code == 302
    cast.dave.refresh_from_db()
    assert (cast.dave.role, cast.dave.is_active, cast.dave.version) == (Role.INFRASTRUCTURE, False, 2)
    event = AuditEvent.objects.get(action="user_update")
    assert ((event.before or {})["is_active"], (event.after or {})["is_active"]) == (True, False)


def test_alice_cannot_close_her_own_account_nor_see_another_regions_users(cast, client_for):
    alice = client_for(cast.alice)
    stranger = UserFactory.create(
        username="nina",
        region=RegionFactory.create(code="NE"),
        organisation=OrganisationFactory.create(name="Tyne Aid"),
    )
    data = new_user(cast, organisation=cast.regional_team.organisation.pk, role=Role.REGIONAL_COMMISSIONER)
    data.update(version=cast.alice.version)
    del data["username"], data["password"]

    own = alice.post(f"/manage/users/{cast.alice.pk}/edit/", data).content.decode()
    listing = alice.get("/manage/users/").content.decode()

    assert "You cannot close your own account" in own
    cast.alice.refresh_from_db()
    assert cast.alice.is_active
    assert alice.get(f"/manage/users/{stranger.pk}/edit/").status_code == 404
    assert "nina" not in listing and "root" not in listing
    assert "dave" in listing
