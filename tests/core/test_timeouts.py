"""A query the database gives up on (a lock held too long, a statement run too long) gives the busy
page: 503, "This is busy: nothing was saved", a short Retry-After, the request id, logged, nothing
kept. The web gets short timeouts; commands get the longer ones.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import OperationalError, connection
from django.test import Client, override_settings

from stepchange.core import timeouts
from stepchange.core.models import AuditEvent
from stepchange.returns.models import PrisonReturn
from tests.factories import open_prison_round
from tests.faults.test_two_editors import version_on

ROOT = Path(__file__).resolve().parents[2]
BUSY = b"This is busy: nothing was saved"
UNAVAILABLE = b"Sorry, the service is unavailable"
on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's own timeouts")


def pathway_form(running: str, version: str) -> dict[str, Any]:
    return {
        "services_running": running,
        "services_started": "0",
        "services_ended": "0",
        "spend": "",
        "version": version,
    }


def other_connection() -> Any:
    """A second session on the test database, outside Django, as another request would be."""
    import psycopg

    db = connection.settings_dict
    return psycopg.connect(
        dbname=db["NAME"], user=db["USER"], password=db["PASSWORD"] or None, host=db["HOST"], port=db["PORT"] or None
    )


@on_postgresql
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("clock")
def test_a_return_locked_by_another_session_gives_the_busy_page_and_saves_nothing(
    cast: Any, client_for: Any, caplog: pytest.LogCaptureFixture
) -> None:
    prison_return = PrisonReturn.objects.get(round=open_prison_round(cast))
    url = f"/returns/prison/{prison_return.pk}/pathways/accommodation/"
    frank = client_for(cast.frank)
    version = version_on(frank.get(url))
    before = PrisonReturn.objects.get(pk=prison_return.pk)
    events = AuditEvent.objects.count()

    holder = other_connection()
    try:
        # Another session is half-way through changing this return: its row is locked until it ends
        # (or for 30 s at most, so that a web request that waited without limit fails, not hangs).
        holder.execute("SET idle_in_transaction_session_timeout = '30s'")
        holder.execute("SELECT id FROM returns_prisonreturn WHERE id = %s FOR UPDATE", [prison_return.pk])
        web = {"web": {"statement": 20.0, "lock": 0.2}, "commands": settings.DATABASE_TIMEOUTS["commands"]}
        with (
            override_settings(DATABASE_TIMEOUTS=web),
            timeouts.acting_as(timeouts.WEB),
            caplog.at_level(logging.WARNING, logger="stepchange.errors"),
        ):
            response = frank.post(url, pathway_form("2", version), headers={"X-Request-ID": "busy-req-0001"})
    finally:
        holder.rollback()
        holder.close()

    assert response.status_code == 503
    assert BUSY in response.content and b"Try again in a few seconds" in response.content
    assert UNAVAILABLE not in response.content
    assert b"busy-req-0001" in response.content
    assert response["Retry-After"] == "5"
    logged = [r for r in caplog.records if r.name == "stepchange.errors"]
    assert [r.getMessage() for r in logged] == ["database busy: LockNotAvailable 55P03"]
    # The request id is an extra of the log record, which LogRecord does not declare.
    assert logged[0].request_id == "busy-req-0001"  # type: ignore[attr-defined]
    after = PrisonReturn.objects.get(pk=prison_return.pk)
    assert (after.version, after.lines.count()) == (before.version, before.lines.count())
    assert AuditEvent.objects.count() == events

    # The lock gone, the same form saves: it was the lock, nothing else, that stopped it.
    assert frank.post(url, pathway_form("2", version)).status_code == 302
    assert PrisonReturn.objects.get(pk=prison_return.pk).lines.get().services_running == 2


def session_timeouts(entry: str, database_url: str) -> str:
    """The timeouts a fresh process's connection has, started the way the web or a command starts."""
    if connection.vendor == "postgresql":
        queries = ["SHOW statement_timeout", "SHOW lock_timeout"]
    else:
        queries = ["PRAGMA busy_timeout"]
    script = (
        "from django.db import connection\n"
        "with connection.cursor() as c:\n"
        f"    print(' '.join(str(c.execute(q).fetchone()[0]) for q in {queries!r}))\n"
    )
    if entry == "web":
        argv = [sys.executable, "-c", "import stepchange.wsgi\n" + script]
    else:
        argv = [sys.executable, "manage.py", "shell", "--no-startup", "-c", script]
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DB_STATEMENT_TIMEOUT_WEB": "20",
        "DB_LOCK_TIMEOUT_WEB": "5",
        "DB_STATEMENT_TIMEOUT_COMMANDS": "600",
        "DB_LOCK_TIMEOUT_COMMANDS": "30",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    done = subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip().splitlines()[-1]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("entry", "postgresql", "sqlite"), [("web", "20s 5s", "5000"), ("command", "10min 30s", "30000")]
)
def test_the_web_gets_short_timeouts_and_a_command_the_longer_ones(
    entry: str, postgresql: str, sqlite: str, tmp_path: Path
) -> None:
    if connection.vendor == "postgresql":
        db = connection.settings_dict
        url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"
        assert session_timeouts(entry, url) == postgresql
    else:
        assert session_timeouts(entry, f"sqlite:///{tmp_path / 'timeouts.sqlite3'}") == sqlite


def raising(error: Exception) -> Any:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise error

    return broken


class Cancelled(Exception):
    """What psycopg raises for a cancelled statement, as far as the service looks at it."""

    sqlstate = timeouts.QUERY_CANCELED


def statement_timed_out() -> OperationalError:
    error = OperationalError("canceling statement due to statement timeout")
    error.__cause__ = Cancelled()
    return error


@pytest.mark.django_db
@pytest.mark.parametrize(
    "error",
    [statement_timed_out(), OperationalError("database is locked")],
    ids=["statement-timeout", "sqlite-locked"],
)
def test_a_cancelled_query_is_the_busy_page_not_the_unavailable_one(
    client: Client, monkeypatch: pytest.MonkeyPatch, error: Exception
) -> None:
    monkeypatch.setattr("stepchange.core.views.render", raising(error))
    client.raise_request_exception = False
    response = client.get("/", headers={"X-Request-ID": "busy-req-0002"})
    assert response.status_code == 503
    assert BUSY in response.content and UNAVAILABLE not in response.content
    assert b"busy-req-0002" in response.content
    assert response["Retry-After"] == "5"
    assert b"statement timeout" not in response.content


@pytest.mark.django_db
def test_an_unreachable_database_is_still_the_unavailable_page(client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("stepchange.core.views.render", raising(OperationalError("could not connect to server")))
    client.raise_request_exception = False
    response = client.get("/")
    assert response.status_code == 503
    assert UNAVAILABLE in response.content and BUSY not in response.content
    assert response["Retry-After"] == "60"
