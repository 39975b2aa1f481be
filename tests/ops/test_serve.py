"""``make serve`` (manage.py serve): PostgreSQL only; gunicorn and the background worker started
together and stopped together (stepchange/core/management/commands/serve.py)."""

from __future__ import annotations

import base64
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from unittest import mock

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.utils import ConnectionHandler

from tests.ops.postgres import admin, only_on_postgresql, own_databases, url

ROOT = Path(__file__).resolve().parents[2]


def test_serve_refuses_sqlite() -> None:
    # The connections a process configured with SQLite would have.
    sqlite = ConnectionHandler({"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}})
    with (
        mock.patch("stepchange.core.management.commands.serve.connections", sqlite),
        mock.patch("stepchange.core.management.commands.serve.call_command") as migrate_or_collect,
        pytest.raises(CommandError, match="runs on PostgreSQL, as production does") as refused,
    ):
        call_command("serve")
    assert "the database now is sqlite" in str(refused.value)
    migrate_or_collect.assert_not_called()  # nothing was migrated or started


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(address: str) -> tuple[int, dict[str, object]]:
    try:
        with urllib.request.urlopen(address, timeout=60) as response:  # noqa: S310 (our own loopback server)
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(child) for child in path.read_text().split()] if path.exists() else []


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def _start(database: str, port: int) -> subprocess.Popen[str]:
    env = {
        **os.environ,
        "DJANGO_ENV": "production",
        "DATABASE_URL": url(database),
        "SECRET_KEY": base64.b64encode(os.urandom(40)).decode(),
        "ALLOWED_HOSTS": "127.0.0.1",
        "EMAIL_URL": "smtp://127.0.0.1:25",
        "BID_SEALING_KEYS": "serve-test:" + base64.b64encode(os.urandom(32)).decode(),
        "SECURE_SSL_REDIRECT": "false",
        "SERVE_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "1",
        "WEB_THREADS": "2",
    }
    return subprocess.Popen(
        [sys.executable, "manage.py", "serve"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def _wait_ready(serve: subprocess.Popen[str], port: int) -> None:
    deadline = time.monotonic() + 600  # migrating a new database on a busy machine
    while time.monotonic() < deadline:
        assert serve.poll() is None, serve.stderr.read() if serve.stderr else ""
        try:
            status, body = _get(f"http://127.0.0.1:{port}/readyz")
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.5)
            continue
        assert (status, body["status"]) == (200, "ready"), body
        return
    pytest.fail("make serve did not become ready")


@only_on_postgresql
def test_serve_runs_the_web_and_the_worker_and_stops_them_together() -> None:
    with own_databases("serve") as (database,):
        admin(f'CREATE DATABASE "{database}"')
        port = _free_port()
        serve = _start(database, port)
        try:
            _wait_ready(serve, port)  # migrated, the database answering, no task waiting
            assert _get(f"http://127.0.0.1:{port}/healthz") == (200, {"status": "ok"})
            web, worker = _children(serve.pid)
            # Asked to stop (SIGTERM, as systemd does): both stop, and so does the command, cleanly.
            serve.send_signal(signal.SIGTERM)
            assert serve.wait(timeout=90) == 0
            assert not _alive(web) and not _alive(worker)

            # The worker stopping by itself stops the web service too, and the command fails.
            serve = _start(database, port)
            _wait_ready(serve, port)
            web, worker = _children(serve.pid)
            os.kill(worker, signal.SIGKILL)
            assert serve.wait(timeout=90) == 1
            assert serve.stderr is not None
            assert "the background worker (db_worker) stopped" in serve.stderr.read()
            assert not _alive(web)
        finally:
            if serve.poll() is None:
                os.killpg(serve.pid, signal.SIGKILL)
                serve.wait()
