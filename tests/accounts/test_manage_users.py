"""Alice invites the staff of her region's commissioners and changes their accounts.

Nobody chooses another person's password: an invited account has none until its person chooses
one through the emailed link.
"""

from __future__ import annotations

import re

from stepchange.accounts.models import Invitation, Role, User
from stepchange.core.models import AuditEvent
from tests.factories import OrganisationFactory, RegionFactory, UserFactory
from tests.personas import Cast


def invitee(cast: Cast, **changes):
    data = {
        "username": "ian",
        "first_name": "Ian",
        "last_name": "Hart",
        "email": "ian@example.org",
        "role": Role.PROBATION_MANAGER,
        "organisation": cast.sypa.organisation.pk,
        "region": cast.region.pk,
    }
    data.update(changes)
    return data


def invitation_link(smtp, address: str) -> str:
    [message] = smtp.to(address)
    link = re.search(r"https?://[^/]+(/account/invitation/\S+)", smtp.body(message))
    assert link
    return link.group(1)


def test_alice_invites_a_probation_manager_who_chooses_his_own_password(cast, client_for, smtp):
    response = client_for(cast.alice).post("/manage/users/new/", invitee(cast, password="alice knows this one"))

    assert response.status_code == 302
    ian = User.objects.get(username="ian")
    assert (ian.role, ian.organisation, ian.region) == (Role.PROBATION_MANAGER, cast.sypa.organisation, cast.region)
    # No password anyone knows: not even the one Alice tried to post.
    assert not ian.has_usable_password()
    assert not ian.check_password("alice knows this one")
    link = invitation_link(smtp, "ian@example.org")
    event = AuditEvent.objects.get(action="invitation_send")
    assert event.actor == cast.alice
    assert "password" not in (event.after or {})
    assert link.rstrip("/").rsplit("/", 1)[-1] not in str(event.after)
    assert Invitation.objects.get(user=ian).token_hash != link.rstrip("/").rsplit("/", 1)[-1]


def test_the_invitation_page_has_no_password_field(cast, client_for):
    page = client_for(cast.alice).get("/manage/users/new/").content.decode()
    assert 'type="password"' not in page
    assert "Invite a user" in page


def test_a_taken_username_or_address_or_a_bad_username_is_refused_and_nothing_sent(cast, client_for, smtp):
    alice = client_for(cast.alice)
    before = User.objects.count()

    taken = alice.post("/manage/users/new/", invitee(cast, username="DAVE")).content.decode()
    address = alice.post("/manage/users/new/", invitee(cast, email="BOB@example.org")).content.decode()
    markup = alice.post("/manage/users/new/", invitee(cast, username="<script>")).content.decode()

    assert "The username DAVE is already taken" in taken
    assert "That email address already has an account" in address
    assert "Enter a valid username" in markup
    assert User.objects.count() == before
    assert not AuditEvent.objects.exists()
    assert smtp.messages == []


def test_alice_changes_bobs_role_and_closes_his_account_but_not_his_address(cast, client_for):
    alice = client_for(cast.alice)
    data = invitee(cast, role=Role.AREA_ANALYST, version=cast.bob.version, email="alice@example.org")
    del data["username"]

    response = alice.post(f"/manage/users/{cast.bob.pk}/edit/", data)

    assert response.status_code == 302
    cast.bob.refresh_from_db()
    assert (cast.bob.role, cast.bob.is_active, cast.bob.version) == (Role.AREA_ANALYST, False, 2)
    assert cast.bob.email == "bob@example.org"
    event = AuditEvent.objects.get(action="user_update")
    assert ((event.before or {})["is_active"], (event.after or {})["is_active"]) == (True, False)


def test_alice_cannot_give_a_commissioners_staff_member_a_providers_role_or_organisation(cast, client_for):
    alice = client_for(cast.alice)
    data = invitee(cast, version=cast.bob.version, is_active="on")
    del data["username"]

    as_provider = alice.post(f"/manage/users/{cast.bob.pk}/edit/", {**data, "role": Role.PROVIDER})
    into_charity = alice.post(f"/manage/users/{cast.bob.pk}/edit/", {**data, "organisation": cast.charity.pk})

    assert as_provider.status_code == 200 and into_charity.status_code == 200
    assert "Select a valid choice" in as_provider.content.decode()
    assert "Select a valid choice" in into_charity.content.decode()
    cast.bob.refresh_from_db()
    assert (cast.bob.role, cast.bob.organisation) == (Role.PROBATION_MANAGER, cast.sypa.organisation)


def test_alice_cannot_close_her_own_account_nor_see_another_regions_users(cast, client_for):
    alice = client_for(cast.alice)
    stranger = UserFactory.create(
        username="nina",
        region=RegionFactory.create(code="NE"),
        organisation=OrganisationFactory.create(name="Tyne Aid"),
    )
    data = invitee(cast, organisation=cast.regional_team.organisation.pk, role=Role.REGIONAL_COMMISSIONER)
    data.update(version=cast.alice.version)
    del data["username"]

    own = alice.post(f"/manage/users/{cast.alice.pk}/edit/", data).content.decode()
    listing = alice.get("/manage/users/").content.decode()

    assert "You cannot close your own account" in own
    cast.alice.refresh_from_db()
    assert cast.alice.is_active
    assert alice.get(f"/manage/users/{stranger.pk}/edit/").status_code == 404
    assert "nina" not in listing and "root" not in listing
    assert "dave" in listing
