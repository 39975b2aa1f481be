"""The HTTP benchmark's floor view and signed-in session (bench/http.py).

The floor must exist only in the benchmark's own URLconf, never in the service's; the session the
benchmark writes must reach the contract list as a regional commissioner past two-factor sign-in,
or the benchmark would measure a redirect to sign in.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client, override_settings
from django.urls import Resolver404, resolve
from django_otp.plugins.otp_totp.models import TOTPDevice

from bench.http import FLOOR_PATH, end_session, parse_wrk, signed_in_session
from tests.factories import ContractFactory

pytestmark = pytest.mark.django_db


def test_the_floor_is_not_a_url_of_the_service(client):
    assert settings.ROOT_URLCONF == "stepchange.urls"
    with pytest.raises(Resolver404):
        resolve(FLOOR_PATH)
    assert client.get(FLOOR_PATH).status_code == 404


@override_settings(ROOT_URLCONF="bench.urls")
def test_the_floor_is_served_by_the_bench_urlconf_only(client):
    response = client.get(FLOOR_PATH)
    assert response.status_code == 200
    assert response.content == b"floor"
    # Every page of the service is still there beside it.
    assert client.get("/contracts/").status_code == 200


def test_the_bench_session_reaches_the_contract_list(cast):
    TOTPDevice.objects.create(user=cast.alice, name="App", confirmed=True)
    ContractFactory.create(reference="YH-BENCH-1", commissioner=cast.sypa, published=False)
    key = signed_in_session(cast.alice.username)
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = key

    response = client.get("/contracts/")

    assert response.status_code == 200
    assert response.wsgi_request.user == cast.alice
    # django_otp's middleware gives the request's user is_verified, which no stub knows of.
    assert response.wsgi_request.user.is_verified()  # type: ignore[union-attr]
    assert b"YH-BENCH-1" in response.content  # an unpublished contract: only the region sees it
    end_session(key)
    assert not Session.objects.filter(session_key=key).exists()


def test_no_session_without_a_confirmed_authenticator(cast):
    """Without one the list would be a redirect to two-factor sign-in, not the page to measure."""
    TOTPDevice.objects.create(user=cast.alice, name="App", confirmed=False)
    with pytest.raises(RuntimeError, match="no confirmed authenticator"):
        signed_in_session(cast.alice.username)
    assert not Session.objects.exists()


def test_a_session_signed_with_another_key_is_refused(cast):
    """The server reads the session with its own SECRET_KEY; one signed with any other is empty."""
    TOTPDevice.objects.create(user=cast.alice, name="App", confirmed=True)
    key = signed_in_session(cast.alice.username, secret_key="another-key-than-the-server's" * 2)
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = key

    response = client.get("/contracts/")

    assert response.status_code == 200
    assert not response.wsgi_request.user.is_authenticated
    end_session(key)


WRK_OUTPUT = """\
Running 1s test @ http://127.0.0.1:40123/contracts/
  2 threads and 8 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    20.00ms    5.00ms  40.00ms   70.00%
    Req/Sec   200.00     20.00   240.00     60.00%
  400 requests in 1.00s, 12.50MB read
  Socket errors: connect 0, read 2, write 0, timeout 1
  Non-2xx or 3xx responses: 4
Requests/sec:    399.50
Transfer/sec:     12.48MB
"""


def test_wrk_output_is_read_with_its_errors():
    load = parse_wrk(WRK_OUTPUT)
    assert load.requests_per_second == 399.5
    assert load.requests == 400
    assert load.bytes_read == 12.5 * 1024 * 1024
    assert load.bytes_per_response == 32768
    assert load.socket_errors == 3
    assert load.bad_statuses == 4
