"""Settings come from the environment: safe defaults locally, a loud failure in production."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


SETTINGS_IN_ENV = {"DJANGO_ENV", "SECRET_KEY", "DATABASE_URL", "ALLOWED_HOSTS", "DEBUG", "SECURE_PROXY_SSL_HEADER"}
PRODUCTION = {
    "DJANGO_ENV": "production",
    "SECRET_KEY": "k" * 50,
    "DATABASE_URL": "postgres://u@db:5432/x",
    "ALLOWED_HOSTS": "a.example",
}


def load_settings(
    code: str = "import stepchange.settings as s; print(s.DEBUG, s.DATABASES['default']['ENGINE'], s.ALLOWED_HOSTS)",
    **env: str,
) -> subprocess.CompletedProcess[str]:
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
    result = load_settings(
        DJANGO_ENV="production", SECRET_KEY="k" * 50, DATABASE_URL="postgres://u@db:5432/x", ALLOWED_HOSTS="a.example"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "django.db.backends.postgresql", "['a.example']"]


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
    clean = {k: v for k, v in os.environ.items() if k not in SETTINGS_IN_ENV and k != "DJANGO_SETTINGS_MODULE"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr + result.stdout
