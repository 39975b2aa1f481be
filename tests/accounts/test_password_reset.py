"""Bob forgets his password, asks for a link by email, and chooses a new one."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client


@pytest.mark.django_db
def test_bob_resets_his_password_through_the_emailed_link(cast) -> None:
    client = Client()
    response = client.post("/account/password-reset/", {"email": "bob@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/]+(/account/password-reset/[^\s]+)", mail.outbox[0].body)
    assert link
    page = client.get(link.group(1), follow=True)
    assert b"Choose a new password" in page.content
    form_url = page.redirect_chain[-1][0] if page.redirect_chain else link.group(1)
    weak = client.post(form_url, {"new_password1": "password", "new_password2": "password"})
    assert b"This password is too common" in weak.content or b"too short" in weak.content
    done = client.post(
        form_url, {"new_password1": "a much longer phrase 2006", "new_password2": "a much longer phrase 2006"}
    )
    assert done.status_code == 302
    cast.bob.refresh_from_db()
    assert cast.bob.check_password("a much longer phrase 2006")


@pytest.mark.django_db
def test_an_unknown_address_gets_the_same_answer_and_no_email(cast) -> None:
    response = Client().post("/account/password-reset/", {"email": "nobody@example.org"}, follow=True)
    assert b"Check your email" in response.content
    assert mail.outbox == []
