"""The national administrator's role is given by a superuser only: a regional commissioner who could
give it could change every region's targets and pathways through a colleague's account."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from stepchange.accounts import services
from stepchange.accounts.models import Role, User
from stepchange.core.models import AuditEvent
from tests.accounts.test_manage_users import invitee


def test_alice_cannot_open_a_national_administrators_account(cast, client_for):
    alice = client_for(cast.alice)

    form = alice.get("/manage/users/new/").content.decode()
    response = alice.post("/manage/users/new/", invitee(cast, role=Role.NATIONAL_ADMIN, organisation=""))

    assert 'value="national_admin"' not in form
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    assert not User.objects.filter(username="ian").exists()


def test_alice_cannot_make_one_of_her_regions_people_a_national_administrator(cast, client_for):
    response = client_for(cast.alice).post(
        f"/manage/users/{cast.bob.pk}/edit/",
        {
            "first_name": "Bob",
            "last_name": "",
            "role": Role.NATIONAL_ADMIN,
            "organisation": cast.sypa.organisation.pk,
            "region": "",
            "is_active": "on",
            "version": cast.bob.version,
        },
    )

    assert response.status_code == 200
    cast.bob.refresh_from_db()
    assert cast.bob.role == Role.PROBATION_MANAGER
    with pytest.raises(ValidationError):
        services.user_update(
            actor=cast.alice,
            account=cast.bob,
            expected_version=cast.bob.version,
            first_name="Bob",
            last_name="",
            role=Role.NATIONAL_ADMIN,
            organisation=cast.sypa.organisation,
            region=None,
            is_active=True,
        )
    cast.bob.refresh_from_db()
    assert cast.bob.role == Role.PROBATION_MANAGER
    assert not AuditEvent.objects.exists()


def test_a_national_administrator_with_a_region_is_still_not_alices_to_manage(cast, client_for):
    cast.nadia.region = cast.region
    cast.nadia.save()

    response = client_for(cast.alice).get(f"/manage/users/{cast.nadia.pk}/edit/")

    assert response.status_code == 404


def test_root_invites_a_national_administrator(cast, client_for, smtp):
    response = client_for(cast.root).post(
        "/manage/users/new/",
        invitee(cast, username="nell", email="nell@example.org", role=Role.NATIONAL_ADMIN, organisation="", region=""),
    )

    assert response.status_code == 302
    assert User.objects.get(username="nell").role == Role.NATIONAL_ADMIN
