"""The probe's attack: the regional commissioner gets into a provider's account to read its bid.

It went: open an account in the provider's organisation with a password of her choosing; or
change a provider's staff member's address to her own, then reset the password. Each step now
fails, and no mail carrying a way in reaches Alice.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from stepchange.accounts import services
from stepchange.accounts.models import Role, User
from tests.personas import PASSWORD

ALICES = "alice.private@example.net"


def test_alice_cannot_open_an_account_in_daves_charity(cast, client_for, smtp):
    alice = client_for(cast.alice)
    data = {
        "username": "mole",
        "first_name": "Mole",
        "email": ALICES,
        "role": Role.PROVIDER,
        "organisation": cast.charity.pk,
        "region": "",
        "password": "a password alice chose 2006",
    }

    response = alice.post("/manage/users/new/", data)

    assert response.status_code == 200
    assert not User.objects.filter(username="mole").exists()
    assert smtp.messages == []
    # Nor by the service itself, whatever a form offers.
    with pytest.raises(ValidationError, match="already has people"):
        services.invitation_send(
            actor=cast.alice,
            username="mole",
            first_name="Mole",
            last_name="",
            email=ALICES,
            role=Role.PROVIDER,
            organisation=cast.charity,
            region=None,
            is_organisation_admin=True,
            link_for=str,
        )
    # Nor through Dave's own page.
    assert alice.get("/account/people/").status_code == 404


def test_alice_cannot_change_daves_address_then_reset_his_password(cast, client_for, smtp):
    alice = client_for(cast.alice)

    edited = alice.post(
        f"/manage/users/{cast.dave.pk}/edit/",
        {
            "first_name": "Dave",
            "email": ALICES,
            "role": Role.REGIONAL_COMMISSIONER,
            "organisation": cast.regional_team.organisation.pk,
            "is_active": "on",
            "version": cast.dave.version,
        },
    )
    asked = alice.post(f"/manage/users/{cast.dave.pk}/email/", {"new_email": ALICES})
    with pytest.raises(PermissionDenied):
        services.email_change_ask(actor=cast.alice, account=cast.dave, new_email=ALICES, link_for=str)
    reset = Client().post("/account/password-reset/", {"email": ALICES})

    assert edited.status_code == 302  # the names and open/closed she may change
    assert asked.status_code == 404
    assert reset.status_code == 302  # the same answer as for any address
    cast.dave.refresh_from_db()
    assert (cast.dave.email, cast.dave.role, cast.dave.organisation) == (
        "dave@example.org",
        Role.PROVIDER,
        cast.charity,
    )
    assert smtp.to(ALICES) == []
    assert cast.dave.check_password(PASSWORD)


def test_alice_cannot_move_someone_she_controls_into_a_providers_organisation(cast, client_for):
    alice = client_for(cast.alice)
    alice.post(
        f"/manage/users/{cast.bob.pk}/edit/",
        {
            "first_name": "Bob",
            "role": Role.PROVIDER,
            "organisation": cast.charity.pk,
            "is_active": "on",
            "version": cast.bob.version,
        },
    )
    with pytest.raises(ValidationError, match="commissioner"):
        services.user_update(
            actor=cast.alice,
            account=cast.bob,
            expected_version=cast.bob.version,
            first_name="Bob",
            last_name="",
            role=Role.PROVIDER,
            organisation=cast.charity,
            region=None,
            is_active=True,
        )
    cast.bob.refresh_from_db()
    assert (cast.bob.role, cast.bob.organisation) == (Role.PROBATION_MANAGER, cast.sypa.organisation)
