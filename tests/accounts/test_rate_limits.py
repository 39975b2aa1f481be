"""Mail-sending pages are limited per address and per IP address: over the limit, a 429 and no mail.

The answer over the limit is the same whether or not the address has an account, and the counts
are kept in the database, which every web process shares.
"""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from stepchange.accounts.models import RateLimitHit
from stepchange.accounts.rate_limits import PER_ADDRESS, PER_IP


def ask_reset(email: str, ip: str = "192.0.2.1"):
    return Client(REMOTE_ADDR=ip).post("/account/password-reset/", {"email": email})


@pytest.mark.django_db
def test_the_sixth_reset_for_one_address_in_an_hour_is_refused_and_sends_nothing(cast, smtp) -> None:
    for _ in range(PER_ADDRESS):
        assert ask_reset("bob@example.org").status_code == 302
    assert len(smtp.to("bob@example.org")) == PER_ADDRESS

    refused = ask_reset("bob@example.org", ip="198.51.100.7")

    assert refused.status_code == 429
    assert "Too many requests, try again later" in refused.content.decode()
    assert len(smtp.messages) == PER_ADDRESS


@pytest.mark.django_db
def test_an_address_without_an_account_is_limited_the_same_way(cast, smtp) -> None:
    answers = [ask_reset("nobody@example.org").status_code for _ in range(PER_ADDRESS + 1)]
    assert answers == [302] * PER_ADDRESS + [429]
    assert smtp.messages == []


@pytest.mark.django_db
def test_one_ip_address_is_limited_across_addresses(cast, smtp) -> None:
    answers = [ask_reset(f"someone{n}@example.org").status_code for n in range(PER_IP)]
    assert answers == [302] * PER_IP

    assert ask_reset("bob@example.org").status_code == 429
    assert smtp.messages == []
    # Another computer may still ask for Bob.
    assert ask_reset("bob@example.org", ip="198.51.100.7").status_code == 302
    assert len(smtp.to("bob@example.org")) == 1


@pytest.mark.django_db
def test_the_limit_lifts_after_an_hour(cast, smtp) -> None:
    for _ in range(PER_ADDRESS):
        ask_reset("bob@example.org")
    RateLimitHit.objects.update(at=timezone.now() - datetime.timedelta(hours=1, seconds=1))

    assert ask_reset("bob@example.org").status_code == 302
    # Counts older than the hour are deleted as new ones are written.
    assert RateLimitHit.objects.filter(at__lt=timezone.now() - datetime.timedelta(hours=1)).count() == 0


@pytest.mark.django_db
def test_re_sending_an_invitation_is_limited_per_address(cast, smtp, client_for) -> None:
    dave = client_for(cast.dave)
    dave.post(
        "/account/people/invite/",
        {"username": "ivy", "first_name": "Ivy", "email": "ivy@example.org"},
        REMOTE_ADDR="192.0.2.1",
    )
    ivy = cast.charity.users.get(username="ivy")
    answers = [dave.post(f"/account/people/{ivy.pk}/invitation/resend/").status_code for _ in range(PER_ADDRESS)]

    # One invitation and four re-sends were allowed; the fifth re-send is the sixth mail.
    assert answers == [302] * (PER_ADDRESS - 1) + [429]
    assert len(smtp.to("ivy@example.org")) == PER_ADDRESS
