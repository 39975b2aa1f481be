"""Dave administers his charity's people: he invites Ivy, who chooses her own password.

An invitation link works once, for 7 days; re-sending kills the old link, cancelling closes the
account. Accepting signs nobody in. Erin, who administers nothing, reaches none of it.
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.test import Client
from django.utils import timezone

from stepchange.accounts.models import Invitation, Role, User
from stepchange.core.models import AuditEvent
from tests.fixture_types import ClientFor
from tests.personas import Cast

CHOSEN = "ivy's own long passphrase"


def invite_ivy(client_for: ClientFor, cast: Cast, smtp) -> tuple[User, str]:
    response = client_for(cast.dave).post(
        "/account/people/invite/",
        {"username": "ivy", "first_name": "Ivy", "last_name": "Lamb", "email": "ivy@example.org"},
    )
    assert response.status_code == 302
    return User.objects.get(username="ivy"), last_link(smtp, "ivy@example.org")


def last_link(smtp, address: str) -> str:
    link = re.search(r"https?://[^/]+(/account/invitation/\S+)", smtp.body(smtp.to(address)[-1]))
    assert link
    return link.group(1)


def accept(link: str, password: str = CHOSEN, client: Client | None = None):
    return (client or Client()).post(link, {"new_password1": password, "new_password2": password})


def test_dave_invites_ivy_to_his_charity_and_she_chooses_her_password(cast, client_for, smtp):
    ivy, link = invite_ivy(client_for, cast, smtp)

    assert (ivy.role, ivy.organisation, ivy.is_organisation_admin) == (Role.PROVIDER, cast.charity, False)
    assert not ivy.has_usable_password()
    assert "ivy" in smtp.body(smtp.to("ivy@example.org")[0])
    page = Client().get(link).content.decode()
    assert "Choose your password" in page and "ivy" in page

    weak = accept(link, "password").content.decode()
    assert "This password is too short" in weak or "This password is too common" in weak
    visitor = Client()
    done = accept(link, client=visitor)

    assert done.status_code == 302 and done["Location"] == "/account/sign-in/"
    # Accepting signs nobody in.
    assert "_auth_user_id" not in visitor.session
    ivy.refresh_from_db()
    assert ivy.check_password(CHOSEN)
    signed_in = Client().post("/account/sign-in/", {"username": "ivy", "password": CHOSEN})
    assert signed_in.status_code == 302 and signed_in["Location"] == "/"
    # The link works once.
    assert "This link does not work" in Client().get(link).content.decode()
    assert accept(link, "another long passphrase").status_code == 200
    ivy.refresh_from_db()
    assert ivy.check_password(CHOSEN)


def test_an_expired_link_says_so_and_sets_nothing(cast, client_for, smtp):
    ivy, link = invite_ivy(client_for, cast, smtp)
    Invitation.objects.filter(user=ivy).update(
        sent_at=timezone.now() - datetime.timedelta(days=8), expires_at=timezone.now() - datetime.timedelta(days=1)
    )

    page = accept(link).content.decode()

    assert "This link does not work" in page and "7 days" in page
    ivy.refresh_from_db()
    assert not ivy.has_usable_password()


def test_re_sending_kills_the_old_link_and_the_new_one_works(cast, client_for, smtp):
    ivy, first = invite_ivy(client_for, cast, smtp)

    response = client_for(cast.dave).post(f"/account/people/{ivy.pk}/invitation/resend/", {"back": "/account/people/"})

    assert response.status_code == 302 and response["Location"] == "/account/people/"
    second = last_link(smtp, "ivy@example.org")
    assert second != first
    assert "This link does not work" in accept(first).content.decode()
    assert accept(second).status_code == 302


def test_cancelling_closes_the_account_and_kills_the_link(cast, client_for, smtp):
    ivy, link = invite_ivy(client_for, cast, smtp)

    client_for(cast.dave).post(f"/account/people/{ivy.pk}/invitation/cancel/")

    ivy.refresh_from_db()
    assert not ivy.is_active
    assert "This link does not work" in accept(link).content.decode()


def test_every_step_is_audited_without_a_token_or_password(cast, client_for, smtp):
    ivy, first = invite_ivy(client_for, cast, smtp)
    client_for(cast.dave).post(f"/account/people/{ivy.pk}/invitation/resend/")
    second = last_link(smtp, "ivy@example.org")
    accept(second)
    bea = client_for(cast.dave).post(
        "/account/people/invite/", {"username": "bea", "first_name": "Bea", "email": "bea@example.org"}
    )
    assert bea.status_code == 302
    client_for(cast.dave).post(f"/account/people/{User.objects.get(username='bea').pk}/invitation/cancel/")

    events = AuditEvent.objects.order_by("pk")
    assert [e.action for e in events] == [
        "invitation_send",
        "invitation_resend",
        "invitation_accept",
        "invitation_send",
        "invitation_cancel",
    ]
    recorded = " ".join(f"{e.before} {e.after}" for e in events)
    for secret in (first.split("/")[-2], second.split("/")[-2], CHOSEN):
        assert secret not in recorded


def test_dave_sees_and_closes_only_his_own_organisations_people(cast, client_for, smtp):
    colleague = User.objects.create_user(
        "sam", "sam@example.org", "x" * 20, role=Role.PROVIDER, organisation=cast.charity
    )
    dave = client_for(cast.dave)

    page = dave.get("/account/people/").content.decode()

    assert "sam" in page and "Dave" in page
    assert "erin" not in page and "bob" not in page
    assert dave.post(f"/account/people/{cast.erin.pk}/close/").status_code == 404
    assert dave.post(f"/account/people/{cast.dave.pk}/close/").status_code == 404
    assert dave.post(f"/account/people/{colleague.pk}/close/").status_code == 302
    colleague.refresh_from_db()
    cast.erin.refresh_from_db()
    assert not colleague.is_active and cast.erin.is_active
    assert AuditEvent.objects.get(action="user_close").actor == cast.dave


def test_erin_administers_nothing_and_dave_invites_no_one_elsewhere(cast, client_for, smtp):
    erin = client_for(cast.erin)
    assert erin.get("/account/people/").status_code == 404
    assert (
        erin.post("/account/people/invite/", {"username": "x", "first_name": "X", "email": "x@example.org"}).status_code
        == 404
    )
    # Whatever Dave posts, the person is his organisation's staff, never an administrator.
    client_for(cast.dave).post(
        "/account/people/invite/",
        {
            "username": "zed",
            "first_name": "Zed",
            "email": "zed@example.org",
            "organisation": cast.company.pk,
            "role": Role.REGIONAL_COMMISSIONER,
            "is_organisation_admin": "on",
        },
    )
    zed = User.objects.get(username="zed")
    assert (zed.organisation, zed.role, zed.is_organisation_admin) == (cast.charity, Role.PROVIDER, False)
    assert smtp.to("x@example.org") == []


@pytest.mark.django_db
def test_alice_invites_a_new_providers_first_administrator_but_no_one_into_a_provider_with_people(
    cast, client_for, smtp
):
    from tests.factories import OrganisationFactory

    fresh = OrganisationFactory.create(name="Dales Mentoring", region=cast.region)
    alice = client_for(cast.alice)
    form = {"first_name": "Fay", "role": Role.PROVIDER, "region": ""}

    page = alice.get("/manage/users/new/").content.decode()
    into_company = alice.post(
        "/manage/users/new/", {**form, "username": "fay", "email": "fay@example.org", "organisation": cast.company.pk}
    )
    first_admin = alice.post(
        "/manage/users/new/", {**form, "username": "gus", "email": "gus@example.org", "organisation": fresh.pk}
    )

    assert "Dales Mentoring" in page and "Beacon Services Ltd" not in page and "Acorn Housing Trust" not in page
    assert into_company.status_code == 200 and not User.objects.filter(username="fay").exists()
    assert first_admin.status_code == 302
    gus = User.objects.get(username="gus")
    assert (gus.organisation, gus.role, gus.is_organisation_admin) == (fresh, Role.PROVIDER, True)
    # Now Dales Mentoring has someone, Alice cannot add a second person to it.
    again = alice.post(
        "/manage/users/new/", {**form, "username": "hal", "email": "hal@example.org", "organisation": fresh.pk}
    )
    assert again.status_code == 200 and not User.objects.filter(username="hal").exists()
    assert [m["To"] for m in smtp.messages] == ["gus@example.org"]


def test_when_the_mail_server_is_down_nothing_is_saved_and_dave_is_told(cast, client_for, smtp, settings):
    smtp_port_nobody_listens_on = 1  # below 1024 and unused: the connection is refused at once
    settings.EMAIL_PORT = smtp_port_nobody_listens_on

    response = client_for(cast.dave).post(
        "/account/people/invite/", {"username": "ivy", "first_name": "Ivy", "email": "ivy@example.org"}
    )

    assert response.status_code == 200
    assert "The email could not be sent, so nothing has been saved" in response.content.decode()
    assert not User.objects.filter(username="ivy").exists()
    assert not Invitation.objects.exists() and not AuditEvent.objects.exists()
