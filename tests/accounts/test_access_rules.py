"""The account rules the people pages ask of ``accounts/access.py``, per role: whose accounts a
person may close, which regions an invitation may place someone in, and (a state, in
``accounts/selectors.py``) which accounts wait on an invitation."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from stepchange.accounts import access, selectors, services
from stepchange.accounts.models import Role
from stepchange.core.models import Region
from tests.factories import UserFactory

EVERYONE = ["alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "nadia", "root"]


@pytest.fixture
def staff(cast):
    """A member of staff of Dave's charity, whom Dave administers."""
    return UserFactory.create(username="sam", role=Role.PROVIDER, organisation=cast.charity)


@pytest.mark.parametrize("name", EVERYONE)
def test_nobody_closes_their_own_account(cast, name):
    user = getattr(cast, name)
    assert access.may_close_account(user, user) is False
    assert user not in access.accounts_closable_by(user)


@pytest.mark.parametrize("name", EVERYONE)
def test_a_providers_staff_are_closed_by_its_administrator_and_the_regional_team(cast, staff, name):
    closes = name in {"dave", "alice", "root"}
    assert access.may_close_account(getattr(cast, name), staff) == closes
    assert (staff in access.accounts_closable_by(getattr(cast, name))) == closes


@pytest.mark.parametrize("name", EVERYONE)
def test_the_regions_commissioner_staff_are_closed_by_the_regional_team_only(cast, name):
    closes = name in {"alice", "root"}
    assert access.may_close_account(getattr(cast, name), cast.bob) == (closes and name != "bob")


def test_superusers_and_national_administrators_are_closed_by_a_superuser_only(cast):
    for account in (cast.root, cast.nadia):
        assert access.may_close_account(cast.alice, account) is False
    assert access.may_close_account(cast.root, cast.nadia) is True


def test_signed_out_closes_nothing(cast, staff):
    assert not access.accounts_closable_by(AnonymousUser()).exists()
    assert access.may_close_account(AnonymousUser(), staff) is False


def test_invitations_place_people_in_the_inviters_region_and_a_superuser_anywhere(cast):
    assert list(access.invitation_regions_for(cast.alice)) == [cast.region]
    assert set(access.invitation_regions_for(cast.root)) == set(Region.objects.all())
    assert Region.objects.count() >= 2
    # Someone with no region of their own places nobody anywhere.
    assert not access.invitation_regions_for(cast.nadia).exists()


@pytest.mark.parametrize(
    ("status", "waiting"),
    [("Invited", True), ("Invitation expired", True), ("Open", False), ("Closed", False), ("No password", False)],
)
def test_an_account_waits_on_an_invitation_only_while_invited(status, waiting):
    assert selectors.invitation_waiting(status) is waiting


def _actions(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_people_page_offers_what_access_allows_row_by_row(cast, staff, client_for):
    """Dave's page: an invited person's invitation to re-send or cancel, an open account to close,
    nothing for his own, a closed one, or the administrator an invitation made."""
    invited = services.invitation_send(
        actor=cast.dave,
        username="ivy",
        first_name="Ivy",
        last_name="Invited",
        email="ivy@example.org",
        role=Role.PROVIDER,
        organisation=cast.charity,
        region=None,
        is_organisation_admin=False,
        link_for=lambda token: f"https://example.org/{token}",
    ).user
    closed = UserFactory.create(username="cleo", role=Role.PROVIDER, organisation=cast.charity, is_active=False)
    page = _actions(client_for(cast.dave), reverse("accounts:people"))
    assert reverse("accounts:invitation-resend", args=[invited.pk]) in page
    assert reverse("accounts:invitation-cancel", args=[invited.pk]) in page
    assert reverse("accounts:people-close", args=[invited.pk]) not in page
    assert reverse("accounts:people-close", args=[staff.pk]) in page
    assert reverse("accounts:invitation-resend", args=[staff.pk]) not in page
    for account in (cast.dave, closed):
        assert reverse("accounts:people-close", args=[account.pk]) not in page
        assert reverse("accounts:invitation-resend", args=[account.pk]) not in page


# A superuser, the regional commissioner, the area office analyst, the evaluator and the national
# administrator must use two-factor sign-in; the probation managers, the providers and the prison
# co-ordinator may choose to.
MUST_USE_TWO_FACTOR = {"alice", "grace", "heidi", "nadia", "root"}


@pytest.mark.parametrize("name", EVERYONE)
def test_who_must_use_two_factor_sign_in(cast, name):
    assert access.must_use_two_factor(getattr(cast, name)) == (name in MUST_USE_TWO_FACTOR)


def test_someone_signed_out_need_not_use_two_factor_sign_in():
    assert access.must_use_two_factor(AnonymousUser()) is False
