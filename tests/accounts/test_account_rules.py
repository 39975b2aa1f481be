"""The rules of accounts/access.py at their edges: who may invite whom, and whose address changes."""

from __future__ import annotations

from stepchange.accounts import access
from stepchange.accounts.models import Role, User
from tests.factories import OrganisationFactory


def test_a_provider_with_only_closed_accounts_is_open_to_a_first_administrator_again(cast):
    fresh = OrganisationFactory.create(name="Dales Mentoring", region=cast.region)
    left = User.objects.create_user("lou", "lou@example.org", role=Role.PROVIDER, organisation=fresh)

    with_someone = set(access.organisations_open_to_first_admin(cast.alice))
    left.is_active = False
    left.save()
    after_closing = set(access.organisations_open_to_first_admin(cast.alice))

    assert fresh not in with_someone and fresh in after_closing
    # Dave's charity and Erin's company have people; Dave and Erin themselves open nothing to anyone.
    assert cast.charity not in after_closing and cast.company not in after_closing
    assert not access.organisations_open_to_first_admin(cast.dave).exists()
    assert not access.organisations_open_to_first_admin(cast.bob).exists()


def test_who_may_invite_whom(cast):
    fresh = OrganisationFactory.create(name="Dales Mentoring", region=cast.region)
    refusal = access.invitation_refusal

    # Dave: his charity's staff only, never an administrator, never elsewhere.
    assert refusal(cast.dave, organisation=cast.charity, role=Role.PROVIDER, is_organisation_admin=False) is None
    assert refusal(cast.dave, organisation=cast.charity, role=Role.PROVIDER, is_organisation_admin=True)
    assert refusal(cast.dave, organisation=cast.company, role=Role.PROVIDER, is_organisation_admin=False)
    # Erin administers nothing.
    assert refusal(cast.erin, organisation=cast.company, role=Role.PROVIDER, is_organisation_admin=False)
    # Alice: commissioners' staff, and a first administrator of a provider with nobody.
    assert (
        refusal(
            cast.alice, organisation=cast.sypa.organisation, role=Role.PROBATION_MANAGER, is_organisation_admin=False
        )
        is None
    )
    assert refusal(cast.alice, organisation=None, role=Role.EVALUATOR, is_organisation_admin=False) is None
    assert refusal(cast.alice, organisation=fresh, role=Role.PROVIDER, is_organisation_admin=True) is None
    assert refusal(cast.alice, organisation=fresh, role=Role.PROVIDER, is_organisation_admin=False)
    assert refusal(cast.alice, organisation=cast.company, role=Role.PROVIDER, is_organisation_admin=True)
    assert refusal(cast.alice, organisation=cast.sypa.organisation, role=Role.PROVIDER, is_organisation_admin=False)
    # Bob invites nobody.
    assert refusal(
        cast.bob, organisation=cast.sypa.organisation, role=Role.PROBATION_MANAGER, is_organisation_admin=False
    )


def test_whose_address_may_be_changed(cast):
    assert set(access.emails_changeable_by(cast.dave)) == {cast.dave}
    alices = set(access.emails_changeable_by(cast.alice))
    assert {cast.alice, cast.bob, cast.carol, cast.frank, cast.grace, cast.heidi} <= alices
    assert cast.dave not in alices and cast.erin not in alices and cast.root not in alices
    # Not even a superuser changes a provider's address from the service's pages.
    assert not access.may_change_email_of(cast.root, cast.dave)
    assert access.may_change_email_of(cast.root, cast.bob)
