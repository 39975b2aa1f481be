"""Settings come from the environment: safe defaults locally, a loud failure in production."""

from __future__ import annotations

import base64
import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


SETTINGS_IN_ENV = {
    "DJANGO_ENV",
    "SECRET_KEY",
    "DATABASE_URL",
    "ALLOWED_HOSTS",
    "DEBUG",
    "EMAIL_URL",
    "BID_SEALING_KEYS",
    "SECURE_PROXY_SSL_HEADER",
}
PRODUCTION = {
    "DJANGO_ENV": "production",
    "SECRET_KEY": "k" * 50,
    "DATABASE_URL": "postgres://u@db:5432/x",
    "ALLOWED_HOSTS": "a.example",
    "EMAIL_URL": "smtp+tls://mailer:secret@smtp.example.org:587",
    "BID_SEALING_KEYS": "2026-12:" + base64.b64encode(b"k" * 32).decode(),
}
DEFAULT_CODE = (
    "import stepchange.settings as s; print(s.DEBUG, s.DATABASES['default']['ENGINE'], s.ALLOWED_HOSTS)"
    "; print(s.EMAIL_BACKEND, s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_USE_TLS)"
)


def load_settings(code: str = DEFAULT_CODE, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in SETTINGS_IN_ENV}
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env={**clean, **env}, capture_output=True, text=True, timeout=60
    )


def test_locally_nothing_needs_setting() -> None:
    result = load_settings()
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[:2] == ["True", "django.db.backends.sqlite3"]


def test_production_refuses_to_start_without_its_secret_key() -> None:
    result = load_settings(DJANGO_ENV="production", DATABASE_URL="postgres://u@db/x", ALLOWED_HOSTS="a.example")
    assert result.returncode != 0
    assert "SECRET_KEY must be set in the environment when DJANGO_ENV=production" in result.stderr


def test_production_refuses_to_start_without_a_database_or_hosts() -> None:
    no_db = load_settings(DJANGO_ENV="production", SECRET_KEY="k" * 50, ALLOWED_HOSTS="a.example")
    assert "DATABASE_URL must be set" in no_db.stderr
    no_hosts = load_settings(DJANGO_ENV="production", SECRET_KEY="k" * 50, DATABASE_URL="postgres://u@db/x")
    assert "ALLOWED_HOSTS must be set" in no_hosts.stderr


def test_production_with_everything_set_runs_without_debug_on_postgres() -> None:
    result = load_settings(**PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[:3] == ["False", "django.db.backends.postgresql", "['a.example']"]


def test_locally_mail_is_printed_to_the_console() -> None:
    result = load_settings()
    assert result.stdout.split()[-4] == "django.core.mail.backends.console.EmailBackend"


def test_production_sends_mail_through_the_smtp_server_its_email_url_names() -> None:
    result = load_settings(**PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-4:] == [
        "django.core.mail.backends.smtp.EmailBackend",
        "smtp.example.org",
        "587",
        "True",
    ]


def test_production_refuses_to_start_without_an_email_url() -> None:
    result = load_settings(**{**PRODUCTION, "EMAIL_URL": ""})
    assert result.returncode != 0
    assert "EMAIL_URL must be set in the environment when DJANGO_ENV=production" in result.stderr


def test_production_refuses_mail_that_would_go_nowhere() -> None:
    for url in ("consolemail://", "memorymail://", "dummymail://", "filemail:///tmp/mail"):
        result = load_settings(**{**PRODUCTION, "EMAIL_URL": url})
        assert result.returncode != 0, url
        assert "ImproperlyConfigured: EMAIL_URL must be an smtp://" in result.stderr, url


def test_production_refuses_to_start_without_the_bid_sealing_keys() -> None:
    result = load_settings(**{k: v for k, v in PRODUCTION.items() if k != "BID_SEALING_KEYS"})
    assert result.returncode != 0
    assert "BID_SEALING_KEYS must be set in the environment when DJANGO_ENV=production" in result.stderr


def test_bid_sealing_keys_must_be_named_32_byte_keys() -> None:
    good = base64.b64encode(b"k" * 32).decode()
    for wrong in ("2026-12", f":{good}", "2026-12:" + base64.b64encode(b"short").decode(), f"a:{good},a:{good}"):
        result = load_settings(**(PRODUCTION | {"BID_SEALING_KEYS": wrong}))
        assert result.returncode != 0, wrong
        assert "ImproperlyConfigured: BID_SEALING_KEYS must be" in result.stderr, wrong
    rotated = load_settings(**(PRODUCTION | {"BID_SEALING_KEYS": f"new:{good},old:{good}"}))
    assert rotated.returncode == 0, rotated.stderr


PROXY_HEADER = "import stepchange.settings as s; print(getattr(s, 'SECURE_PROXY_SSL_HEADER', None))"


def test_production_believes_no_forwarded_protocol_header_unless_the_deployment_names_it() -> None:
    unnamed = load_settings(PROXY_HEADER, **PRODUCTION)
    assert unnamed.returncode == 0, unnamed.stderr
    assert unnamed.stdout.strip() == "None"

    named = load_settings(PROXY_HEADER, **PRODUCTION, SECURE_PROXY_SSL_HEADER="HTTP_X_FORWARDED_PROTO")
    assert named.stdout.strip() == "('HTTP_X_FORWARDED_PROTO', 'https')"


def test_a_proxy_header_not_named_as_django_sees_it_is_refused() -> None:
    result = load_settings(PROXY_HEADER, **PRODUCTION, SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto")
    assert result.returncode != 0
    assert "SECURE_PROXY_SSL_HEADER names a request header as Django sees it" in result.stderr


def test_production_settings_pass_the_deployment_checks(tmp_path: Path) -> None:
    env = {
        **PRODUCTION,
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
    }
    # The browser tests set DJANGO_ALLOW_ASYNC_UNSAFE in this process; a deployment never does.
    left_out = SETTINGS_IN_ENV | {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {k: v for k, v in os.environ.items() if k not in left_out}
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr + result.stdout
