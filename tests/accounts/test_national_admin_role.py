"""The national administrator's role is given by a superuser only: a regional commissioner who could
give it could change every region's targets and pathways through a colleague's account."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from stepchange.accounts import services
from stepchange.accounts.models import Role, User
from stepchange.core.models import AuditEvent
from tests.accounts.test_manage_users import new_user


def test_alice_cannot_open_a_national_administrators_account(cast, client_for):
    alice = client_for(cast.alice)

    form = alice.get("/manage/users/new/").content.decode()
    response = alice.post("/manage/users/new/", new_user(cast, role=Role.NATIONAL_ADMIN, organisation=""))

    assert 'value="national_admin"' not in form
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    assert not User.objects.filter(username="ian").exists()


def test_alice_cannot_make_one_of_her_regions_people_a_national_administrator(cast, client_for):
    response = client_for(cast.alice).post(
        f"/manage/users/{cast.dave.pk}/edit/",
        {
            "first_name": "Dave",
            "last_name": "",
            "email": "dave@example.org",
            "role": Role.NATIONAL_ADMIN,
            "organisation": cast.charity.pk,
            "region": "",
            "is_active": "on",
            "version": cast.dave.version,
        },
    )

    assert response.status_code == 200
    cast.dave.refresh_from_db()
    assert cast.dave.role == Role.PROVIDER
    with pytest.raises(ValidationError):
        services.user_update(
            actor=cast.alice,
            account=cast.dave,
            expected_version=cast.dave.version,
            first_name="Dave",
            last_name="",
            email="dave@example.org",
            role=Role.NATIONAL_ADMIN,
            organisation=cast.charity,
            region=None,
            is_active=True,
        )
    cast.dave.refresh_from_db()
    assert cast.dave.role == Role.PROVIDER
    assert not AuditEvent.objects.exists()


def test_a_national_administrator_with_a_region_is_still_not_alices_to_manage(cast, client_for):
    cast.nadia.region = cast.region
    cast.nadia.save()

    response = client_for(cast.alice).get(f"/manage/users/{cast.nadia.pk}/edit/")

    assert response.status_code == 404


def test_root_opens_a_national_administrators_account(cast, client_for):
    response = client_for(cast.root).post(
        "/manage/users/new/", new_user(cast, username="nell", role=Role.NATIONAL_ADMIN, organisation="", region="")
    )

    assert response.status_code == 302
    assert User.objects.get(username="nell").role == Role.NATIONAL_ADMIN
