"""/healthz and /readyz: what each answers, and each failing check named (core/health.py)."""

from __future__ import annotations

import datetime
import json
from unittest import mock

import pytest
from django.db import OperationalError, connections
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max
from pytest_django import DjangoAssertNumQueries, Settings

from stepchange.core import health

pytestmark = pytest.mark.django_db


def _ready(client: Client) -> tuple[int, dict[str, object]]:
    response = client.get("/readyz")
    assert response["Content-Type"] == "application/json"
    assert response["Cache-Control"].startswith("no-store")
    assert not response.cookies, "a probe is given no cookie"
    return response.status_code, json.loads(response.content)


def _task(*, waited: datetime.timedelta, run_after: datetime.datetime | None = None) -> DBTaskResult:
    """A task left waiting (READY, never started) since ``waited`` ago."""
    task = DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {}},
        task_path="stepchange.imports.tasks.check_upload",
        backend_name="default",
        queue_name="default",
        priority=0,
        run_after=run_after or get_date_max(),
    )
    DBTaskResult.objects.filter(pk=task.pk).update(enqueued_at=timezone.now() - waited)
    return task


def test_healthz_answers_without_the_database(
    client: Client, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert json.loads(response.content) == {"status": "ok"}
    assert not response.cookies
    # Only GET: a probe never changes anything.
    assert client.post("/healthz").status_code == 405


def test_healthz_answers_when_the_database_does_not() -> None:
    with mock.patch.object(connections["default"], "cursor", side_effect=OperationalError("down")):
        response = Client().get("/healthz")
    assert response.status_code == 200


def test_ready_when_every_check_passes(client: Client) -> None:
    # A task enqueued two minutes ago is waiting its turn, not stuck: within the 5 minutes.
    _task(waited=datetime.timedelta(minutes=2))
    status, body = _ready(client)
    assert status == 200
    assert body == {"status": "ready", "checks": {"database": "ok", "migrations": "ok", "worker": "ok"}}


def test_not_ready_when_the_database_does_not_answer(client: Client) -> None:
    # The error's own text (which could name a host or a user) never reaches the answer.
    failure = OperationalError('connection to server at "db.internal", user "secret-user" failed')
    with mock.patch.object(connections["default"], "cursor", side_effect=failure):
        status, body = _ready(client)
    assert status == 503
    assert body["failing"] == ["database", "migrations", "worker"]
    checks = body["checks"]
    assert isinstance(checks, dict)
    assert checks["database"] == "the database does not answer (OperationalError)"
    assert checks["worker"] == "not checked: the database does not answer"
    assert "secret-user" not in json.dumps(body) and "db.internal" not in json.dumps(body)


def test_not_ready_when_a_migration_is_not_applied(client: Client, settings: Settings) -> None:
    # The tests' database is made from the models, with no migration recorded; with the project's
    # migrations in view again, every one of them is waiting to be applied.
    settings.MIGRATION_MODULES = {}
    status, body = _ready(client)
    assert status == 503
    assert body["failing"] == ["migrations"]
    checks = body["checks"]
    assert isinstance(checks, dict)
    assert str(checks["migrations"]).endswith("migration(s) not applied, the first contenttypes.0001_initial")


def test_not_ready_when_a_task_has_waited_too_long(client: Client) -> None:
    # Six minutes is past the five a worker that is running would take to start it.
    _task(waited=datetime.timedelta(minutes=6))
    status, body = _ready(client)
    assert status == 503
    assert body["failing"] == ["worker"]
    assert body["checks"] == {
        "database": "ok",
        "migrations": "ok",
        "worker": "a task has waited 6 minutes for the worker (limit 0:05:00)",
    }


def test_a_task_scheduled_for_later_is_not_waiting(client: Client) -> None:
    # Enqueued an hour ago to run in an hour: nobody should have started it yet.
    _task(waited=datetime.timedelta(hours=1), run_after=timezone.now() + datetime.timedelta(hours=1))
    assert _ready(client)[0] == 200


def test_a_task_waits_from_when_it_was_due(client: Client) -> None:
    # Enqueued an hour ago, due ten minutes ago and not started: it has waited ten minutes.
    now = timezone.now()
    _task(waited=datetime.timedelta(hours=1), run_after=now - datetime.timedelta(minutes=10))
    assert health.oldest_waiting_task(now) == now - datetime.timedelta(minutes=10)
    status, body = _ready(client)
    assert (status, body["failing"]) == (503, ["worker"])


def test_started_and_finished_tasks_are_not_waiting(client: Client) -> None:
    for status in ("RUNNING", "SUCCESSFUL", "FAILED"):
        task = _task(waited=datetime.timedelta(hours=1))
        DBTaskResult.objects.filter(pk=task.pk).update(status=status)
    assert _ready(client)[0] == 200


def test_probes_are_not_rate_limited(client: Client) -> None:
    assert {client.get("/readyz").status_code for _ in range(30)} == {200}
    assert {client.get("/healthz").status_code for _ in range(30)} == {200}


def test_probes_in_production_are_not_redirected_to_https() -> None:
    """Production redirects plain HTTP to HTTPS, but not the probes the load balancer sends."""
    from tests.core.test_settings import PRODUCTION, load_settings

    result = load_settings(
        "import re, stepchange.settings as s; print(s.SECURE_SSL_REDIRECT,"
        " [p for p in s.SECURE_REDIRECT_EXEMPT if re.search(p, 'healthz') or re.search(p, 'readyz')])",
        **PRODUCTION,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True ['^healthz$', '^readyz$']"
