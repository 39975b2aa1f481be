"""Someone guessing Bob's password is locked out after five tries, with a clear message."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.personas import PASSWORD


@pytest.mark.django_db
def test_five_wrong_passwords_lock_the_account_out_even_for_the_right_one(cast) -> None:
    client = Client()
    for _ in range(4):
        response = client.post("/account/sign-in/", {"username": "bob", "password": "guess"})
        assert response.status_code == 200
        assert b"There is a problem" in response.content
    locked = client.post("/account/sign-in/", {"username": "bob", "password": "guess"})
    assert locked.status_code == 429
    assert b"You cannot sign in for 15 minutes" in locked.content
    again = client.post("/account/sign-in/", {"username": "bob", "password": PASSWORD})
    assert again.status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_a_right_password_after_a_few_mistakes_signs_in_and_clears_the_count(cast) -> None:
    client = Client()
    for _ in range(3):
        client.post("/account/sign-in/", {"username": "bob", "password": "guess"})
    response = client.post("/account/sign-in/", {"username": "bob", "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(cast.bob.pk)


@pytest.mark.django_db
def test_passwords_are_stored_with_argon2(settings) -> None:
    from stepchange import settings as service_settings
    from stepchange.accounts.models import User

    settings.PASSWORD_HASHERS = service_settings.PASSWORD_HASHERS
    user = User.objects.create_user("ivan", password="a long enough passphrase")
    assert user.password.startswith("argon2")
