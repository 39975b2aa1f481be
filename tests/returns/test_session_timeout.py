"""The warning before a session ends ("Save as you go"): every signed-in page carries the
seconds its session has left, read from the session's own row, and the warning's button saves the
session so that its time starts again. The browser half is tests/browser/test_session_timeout.py.
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

pytestmark = pytest.mark.django_db


def seconds_on(page: str) -> int:
    found = re.search(r'data-module="app-session-timeout" data-seconds-left="(\d+)"', page)
    assert found is not None, "no session-timeout notice on the page"
    return int(found.group(1))


def session_of(client: Client) -> Session:
    return Session.objects.get(session_key=client.session.session_key)


def test_a_signed_in_page_carries_what_the_session_has_left_and_a_signed_out_one_nothing(cast, client_for):
    frank = client_for(cast.frank)
    page = frank.get("/").content.decode()
    # Just signed in: the whole age, less the moment the test took.
    assert settings.SESSION_COOKIE_AGE - 60 <= seconds_on(page) <= settings.SESSION_COOKIE_AGE
    assert re.search(r'data-module="app-session-timeout"[^>]*hidden>', page)
    assert "js/session-timeout.mjs" in page

    # Seven hours and fifty-eight minutes later (the session last saved then): 120 seconds left.
    Session.objects.filter(pk=session_of(frank).pk).update(expire_date=timezone.now() + datetime.timedelta(seconds=120))
    assert 100 <= seconds_on(frank.get("/").content.decode()) <= 120

    assert 'data-module="app-session-timeout"' not in client_for(None).get("/").content.decode()


def test_staying_signed_in_starts_the_sessions_time_again(cast, client_for):
    frank = client_for(cast.frank)
    Session.objects.filter(pk=session_of(frank).pk).update(expire_date=timezone.now() + datetime.timedelta(seconds=100))

    response = frank.post("/session/stay-signed-in/", {"next": "/returns/"}, HTTP_ACCEPT="application/json")

    assert response.json() == {"seconds_left": settings.SESSION_COOKIE_AGE}
    left = (session_of(frank).expire_date - timezone.now()).total_seconds()
    assert settings.SESSION_COOKIE_AGE - 60 <= left <= settings.SESSION_COOKIE_AGE


def test_without_javascript_the_button_comes_back_to_the_page_and_never_elsewhere(cast, client_for):
    frank = client_for(cast.frank)
    assert frank.post("/session/stay-signed-in/", {"next": "/returns/"})["Location"] == "/returns/"
    assert frank.post("/session/stay-signed-in/", {"next": "https://evil.example/"})["Location"] == "/"
    assert frank.get("/session/stay-signed-in/").status_code == 405
    signed_out = client_for(None).post("/session/stay-signed-in/", {"next": "/returns/"})
    assert signed_out.status_code == 302 and signed_out["Location"].startswith("/account/sign-in/")
