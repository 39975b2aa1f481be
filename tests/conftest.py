from __future__ import annotations

import pytest
from django.test import Client

from stepchange.accounts.two_factor import must_use_two_factor
from tests.personas import Cast, build_cast


def verify_second_factor(client: Client, user) -> None:  # type: ignore[no-untyped-def]
    """Mark a signed-in test client as having passed two-factor sign-in with an app."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device, _ = TOTPDevice.objects.get_or_create(user=user, confirmed=True, defaults={"name": "Test app"})
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):  # type: ignore[no-untyped-def]
    """Argon2 is deliberately slow; the cast's sign-ins would take seconds per test.

    tests/accounts/test_sign_in_lockout.py checks that the service itself hashes with Argon2.
    """
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def cast(db: None) -> Cast:
    return build_cast()


@pytest.fixture
def client_for(client: Client):  # type: ignore[no-untyped-def]
    """A fresh client signed in as the given user (or signed out for None)."""

    def make(user):  # type: ignore[no-untyped-def]
        c = Client()
        if user is not None:
            c.force_login(user)
            if must_use_two_factor(user):
                verify_second_factor(c, user)
        return c

    return make


def pytest_terminal_summary(terminalreporter, exitstatus, config):  # type: ignore[no-untyped-def]
    """Counts printed at the end of a run. Here, not in the suites' own conftests, because an
    xdist controller loads only this one."""
    from tests.access.tally import print_summary as print_access_summary
    from tests.browser.summary import report_crawl_counts
    from tests.hostile.tally import print_summary

    print_summary(terminalreporter, config)
    print_access_summary(terminalreporter, config)
    report_crawl_counts(terminalreporter, config)
