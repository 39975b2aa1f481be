"""Bob forgets his password, asks for a link by email, and chooses a new one.

The mail goes through a real SMTP server on 127.0.0.1 (the ``smtp`` fixture).
"""

from __future__ import annotations

import re

import pytest
from django.test import Client

from stepchange.core.models import AuditEvent


def reset_link(body: str) -> str:
    link = re.search(r"https?://[^/]+(/account/password-reset/\S+)", body)
    assert link, body
    return link.group(1)


@pytest.mark.django_db
def test_bob_resets_his_password_through_the_emailed_link(cast, smtp) -> None:
    client = Client()
    response = client.post("/account/password-reset/", {"email": "bob@example.org"})
    assert response.status_code == 302
    [message] = smtp.to("bob@example.org")
    link = reset_link(smtp.body(message))
    page = client.get(link, follow=True)
    assert b"Choose a new password" in page.content
    form_url = page.redirect_chain[-1][0] if page.redirect_chain else link
    weak = client.post(form_url, {"new_password1": "password", "new_password2": "password"})
    assert b"This password is too common" in weak.content or b"too short" in weak.content
    done = client.post(
        form_url, {"new_password1": "a much longer phrase 2006", "new_password2": "a much longer phrase 2006"}
    )
    assert done.status_code == 302
    cast.bob.refresh_from_db()
    assert cast.bob.check_password("a much longer phrase 2006")
    # The link works once.
    again = client.get(link, follow=True)
    assert b"This link does not work" in again.content


@pytest.mark.django_db
def test_asking_and_completing_a_reset_are_audited_without_the_token_or_password(cast, smtp) -> None:
    client = Client()
    client.post("/account/password-reset/", {"email": "bob@example.org"})
    link = reset_link(smtp.body(smtp.messages[0]))
    form_url = client.get(link, follow=True).redirect_chain[-1][0]
    client.post(form_url, {"new_password1": "a much longer phrase 2006", "new_password2": "a much longer phrase 2006"})

    events = list(AuditEvent.objects.filter(object_id=str(cast.bob.pk)).order_by("pk"))
    assert [e.action for e in events] == ["password_reset_ask", "password_reset_complete"]
    token = link.rstrip("/").split("/")[-1]
    for event in events:
        recorded = f"{event.before} {event.after} {event.object_repr}"
        assert token not in recorded and "a much longer phrase" not in recorded


@pytest.mark.django_db
def test_an_unknown_address_gets_the_same_answer_and_no_email(cast, smtp) -> None:
    response = Client().post("/account/password-reset/", {"email": "nobody@example.org"}, follow=True)
    assert b"Check your email" in response.content
    assert smtp.messages == []
    assert not AuditEvent.objects.exists()


@pytest.mark.django_db
def test_an_invited_person_who_has_not_chosen_a_password_gets_no_reset_link(cast, smtp) -> None:
    cast.erin.set_unusable_password()
    cast.erin.save()
    Client().post("/account/password-reset/", {"email": "erin@example.org"})
    assert smtp.messages == []
