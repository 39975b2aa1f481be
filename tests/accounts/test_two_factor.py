"""Alice, the regional commissioner, must sign in with a code from an app as well as her password;
Dave, a provider, may choose to."""

from __future__ import annotations

import datetime
import re
from base64 import b32decode

import pytest
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from pytest_django import Settings

from tests.factories import Clock
from tests.personas import PASSWORD


@pytest.fixture(autouse=True)
def no_waiting_between_codes(settings: Settings):
    """django-otp makes each wrong code double the wait before the next; these stories type at
    machine speed, so the wait is off here and tested on its own below."""
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


def code_for(key_b32: str, offset_steps: int = 0) -> str:
    totp = TOTP(b32decode(key_b32.replace(" ", "")))
    totp.time = totp.time + 30 * offset_steps
    return f"{totp.token():06d}"


def sign_in(client: Client, username: str) -> None:
    response = client.post("/account/sign-in/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302


def set_up_app(client: Client) -> tuple[str, list[str]]:
    page = client.get("/account/two-factor/set-up/").content.decode()
    found = re.search(r'id="secret-key">([A-Z2-7 ]+)<', page)
    assert found is not None, "no secret key on the page"
    key = found.group(1)
    done = client.post("/account/two-factor/set-up/", {"code": code_for(key)})
    assert b"Two-factor sign-in is set up" in done.content
    codes = re.findall(r"<li><code>([0-9a-f]{8})</code></li>", done.content.decode())
    return key, codes


@pytest.mark.django_db
def test_alice_cannot_see_anything_until_she_pairs_an_app(cast) -> None:
    client = Client()
    sign_in(client, "alice")
    for path in ("/", "/contracts/", "/contracts.csv", "/manage/", "/reports/probation-share.json"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith("/account/two-factor/set-up/?next=")
    wrong = client.post("/account/two-factor/set-up/", {"code": "000000"})
    assert b"The code is not right" in wrong.content
    _key, codes = set_up_app(client)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert client.get("/contracts/").status_code == 200


@pytest.mark.django_db
def test_next_time_alice_enters_a_code_or_a_backup_code_once(cast) -> None:
    first = Client()
    sign_in(first, "alice")
    _key, codes = set_up_app(first)

    second = Client()
    sign_in(second, "alice")
    assert second.get("/contracts/")["Location"].startswith("/account/two-factor/verify/")
    refused = second.post("/account/two-factor/verify/", {"code": "123456"})
    assert b"The code is not right" in refused.content
    assert second.get("/contracts/").status_code == 302
    # A backup code signs her in once.
    assert (
        second.post("/account/two-factor/verify/", {"code": codes[0], "next": "/contracts/"})["Location"]
        == "/contracts/"
    )
    assert second.get("/contracts/").status_code == 200

    third = Client()
    sign_in(third, "alice")
    reused = third.post("/account/two-factor/verify/", {"code": codes[0]})
    assert b"The code is not right" in reused.content


@pytest.mark.django_db
def test_a_password_alone_cannot_pair_a_new_app_over_the_old_one(cast) -> None:
    first = Client()
    sign_in(first, "alice")
    set_up_app(first)
    intruder = Client()
    sign_in(intruder, "alice")
    response = intruder.get("/account/two-factor/set-up/")
    assert response["Location"].startswith("/account/two-factor/verify/")
    assert TOTPDevice.objects.filter(user=cast.alice, confirmed=True).count() == 1


@pytest.mark.django_db
def test_the_analyst_the_evaluator_the_national_admin_and_superusers_must_use_it_too_providers_need_not(
    cast,
) -> None:
    for username in ("grace", "heidi", "nadia", "root"):
        client = Client()
        sign_in(client, username)
        assert client.get("/")["Location"].startswith("/account/two-factor/set-up/"), username
    for username in ("bob", "dave", "frank"):
        client = Client()
        sign_in(client, username)
        assert client.get("/").status_code == 200, username


@pytest.mark.django_db
def test_dave_chooses_two_factor_and_is_then_asked_for_a_code(cast) -> None:
    client = Client()
    sign_in(client, "dave")
    assert b"Not set up" in client.get("/account/two-factor/").content
    set_up_app(client)
    later = Client()
    sign_in(later, "dave")
    assert later.get("/organisations/")["Location"].startswith("/account/two-factor/verify/")


@pytest.mark.django_db
def test_the_verify_page_never_sends_people_off_the_site(cast) -> None:
    client = Client()
    sign_in(client, "alice")
    key, _ = set_up_app(client)
    again = Client()
    sign_in(again, "alice")
    response = again.post("/account/two-factor/verify/", {"code": code_for(key, 1), "next": "https://evil.example/"})
    assert response["Location"] == "/"


@pytest.mark.django_db
def test_guessing_codes_is_slowed_down(cast, settings, clock: Clock) -> None:
    """django-otp's own wait, which the service keeps: a second after one wrong code. The clock is
    the test's, so however slow the machine, the wait ends only when the test moves it on."""
    settings.OTP_TOTP_THROTTLE_FACTOR = 1
    settings.OTP_STATIC_THROTTLE_FACTOR = 1
    client = Client()
    sign_in(client, "alice")
    key, _ = set_up_app(client)
    guesser = Client()
    sign_in(guesser, "alice")
    guesser.post("/account/two-factor/verify/", {"code": "111111"})
    # Right away, even the right code is not tried: the devices are waiting after a wrong one.
    response = guesser.post("/account/two-factor/verify/", {"code": code_for(key, 1)})
    assert b"Too many wrong codes in a row" in response.content
    assert guesser.get("/contracts/").status_code == 302
    clock.now += datetime.timedelta(milliseconds=999)
    response = guesser.post("/account/two-factor/verify/", {"code": code_for(key, 1)})
    assert b"Too many wrong codes in a row" in response.content
    # A second after the wrong code, the right one lets her in.
    clock.now += datetime.timedelta(milliseconds=1)
    assert guesser.post("/account/two-factor/verify/", {"code": code_for(key, 1)}).status_code == 302
    assert guesser.get("/contracts/").status_code == 200
