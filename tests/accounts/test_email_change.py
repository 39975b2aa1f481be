"""An address changes only when the new address confirms it, and the old address is told.

Dave changes his own (with his password); Alice asks for Bob's. Nothing changes until the link
sent to the new address is used, once, within 3 days; a GET of the link changes nothing.
"""

from __future__ import annotations

import datetime
import re

from django.test import Client
from django.utils import timezone

from stepchange.accounts.models import EmailChange
from stepchange.core.models import AuditEvent
from tests.personas import PASSWORD


def confirm_link(smtp, address: str) -> str:
    link = re.search(r"https?://[^/]+(/account/email-change/\S+)", smtp.body(smtp.to(address)[-1]))
    assert link
    return link.group(1)


def test_dave_changes_his_address_once_the_new_one_confirms(cast, client_for, smtp):
    dave = client_for(cast.dave)

    wrong = dave.post("/account/you/", {"new_email": "dave@acorn.example", "password": "not it"})
    asked = dave.post("/account/you/", {"new_email": "dave@acorn.example", "password": PASSWORD})

    assert "Your password is not right" in wrong.content.decode()
    assert asked.status_code == 302
    cast.dave.refresh_from_db()
    assert cast.dave.email == "dave@example.org"
    [notice] = smtp.to("dave@example.org")
    assert "dave@acorn.example" in smtp.body(notice) and "/account/email-change/" not in smtp.body(notice)
    link = confirm_link(smtp, "dave@acorn.example")
    assert "Waiting for confirmation from dave@acorn.example" in dave.get("/account/you/").content.decode()

    shown = Client().get(link)
    cast.dave.refresh_from_db()
    assert "Confirm the new address" in shown.content.decode() and cast.dave.email == "dave@example.org"

    done = Client().post(link)
    cast.dave.refresh_from_db()
    assert "Your email address has been changed" in done.content.decode()
    assert cast.dave.email == "dave@acorn.example"
    assert "This link does not work" in Client().post(link).content.decode()
    assert [e.action for e in AuditEvent.objects.order_by("pk")] == ["email_change_ask", "email_change_confirm"]
    token = link.rstrip("/").rsplit("/", 1)[-1]
    assert all(token not in f"{e.before} {e.after}" for e in AuditEvent.objects.all())


def test_alice_asks_to_change_bobs_address_and_bob_is_told(cast, client_for, smtp):
    response = client_for(cast.alice).post(f"/manage/users/{cast.bob.pk}/email/", {"new_email": "bob@sypa.example"})

    assert response.status_code == 302
    assert smtp.to("bob@example.org") and smtp.to("bob@sypa.example")
    cast.bob.refresh_from_db()
    assert cast.bob.email == "bob@example.org"
    Client().post(confirm_link(smtp, "bob@sypa.example"))
    cast.bob.refresh_from_db()
    assert cast.bob.email == "bob@sypa.example"
    assert AuditEvent.objects.get(action="email_change_ask").actor == cast.alice


def test_an_expired_or_replaced_link_changes_nothing(cast, client_for, smtp):
    dave = client_for(cast.dave)
    dave.post("/account/you/", {"new_email": "first@acorn.example", "password": PASSWORD})
    first = confirm_link(smtp, "first@acorn.example")
    dave.post("/account/you/", {"new_email": "second@acorn.example", "password": PASSWORD})
    second = confirm_link(smtp, "second@acorn.example")
    EmailChange.objects.filter(new_email="second@acorn.example").update(
        sent_at=timezone.now() - datetime.timedelta(days=4), expires_at=timezone.now() - datetime.timedelta(days=1)
    )

    replaced = Client().post(first).content.decode()
    expired = Client().post(second).content.decode()

    assert "This link does not work" in replaced and "This link does not work" in expired
    cast.dave.refresh_from_db()
    assert cast.dave.email == "dave@example.org"


def test_your_account_needs_the_second_sign_in_step_first(cast, smtp):
    # Alice must use an authenticator app; with her password alone she is sent to it.
    client = Client()
    client.post("/account/sign-in/", {"username": "alice", "password": PASSWORD})
    response = client.get("/account/you/")
    assert response.status_code == 302 and "/account/two-factor/" in response["Location"]
