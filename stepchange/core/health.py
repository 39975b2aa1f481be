"""Health and readiness, for the load balancer and the process manager.

``/healthz``: the process is up and answers. It touches no database, so a database outage does not
make the platform restart every web process.

``/readyz``: the process may be sent traffic. Three checks, each named in the answer:

- ``database``: the primary answers a query;
- ``migrations``: every migration in the code has been applied to it (this release's schema);
- ``worker``: the background worker is taking tasks: no task has been waiting to run for longer
  than ``TASKS_LONGEST_WAIT`` (a worker that has stopped leaves them waiting).

Both answer JSON with no secrets in it (a check's name, "ok" or what failed, never an error's
text), use no session, set no cookie and are not rate-limited; ``/readyz`` answers 503 when a check
fails.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.migrations.executor import MigrationExecutor
from django.db.models.functions import Greatest
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger("stepchange.health")

# A task waiting longer than this to be started means no worker is taking them.
TASKS_LONGEST_WAIT = datetime.timedelta(minutes=5)


class NotReady(Exception):
    """A readiness check failed; the message says what, for the operator (no secrets)."""


def check_database() -> None:
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        raise NotReady(f"the database does not answer ({type(exc).__name__})") from exc


def check_migrations() -> None:
    connection = connections[DEFAULT_DB_ALIAS]
    executor = MigrationExecutor(connection)
    waiting = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if waiting:
        first = waiting[0][0]
        raise NotReady(f"{len(waiting)} migration(s) not applied, the first {first.app_label}.{first.name}")


def oldest_waiting_task(now: datetime.datetime) -> datetime.datetime | None:
    """When the task that has waited longest to be started became ready to run, if any waits."""
    from django_tasks_db.models import DBTaskResult

    ready = DBTaskResult.objects.ready().annotate(waiting_since=Greatest("enqueued_at", "run_after"))
    # A task with no run_after has the far-future date in it; it has waited since it was enqueued.
    undated = ready.filter(run_after__gt=now).order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
    dated = ready.filter(run_after__lte=now).order_by("waiting_since").values_list("waiting_since", flat=True).first()
    found = [t for t in (undated, dated) if t is not None]
    return min(found) if found else None


def check_worker() -> None:
    now = timezone.now()
    since = oldest_waiting_task(now)
    if since is not None and now - since > TASKS_LONGEST_WAIT:
        minutes = int((now - since).total_seconds() // 60)
        raise NotReady(f"a task has waited {minutes} minutes for the worker (limit {TASKS_LONGEST_WAIT})")


CHECKS: dict[str, Callable[[], None]] = {
    "database": check_database,
    "migrations": check_migrations,
    "worker": check_worker,
}


def _json(body: dict[str, object], status: int = 200) -> JsonResponse:
    response = JsonResponse(body, status=status)
    response["Cache-Control"] = "no-store"
    return response


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    return _json({"status": "ok"})


@never_cache
@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    results: dict[str, str] = {}
    for name, check in CHECKS.items():
        if results and "database" in results and results["database"] != "ok":
            results[name] = "not checked: the database does not answer"
            continue
        try:
            check()
        except NotReady as failure:
            results[name] = str(failure)
        except DatabaseError as exc:
            results[name] = f"failed ({type(exc).__name__})"
        else:
            results[name] = "ok"
    failing = [name for name, outcome in results.items() if outcome != "ok"]
    if failing:
        logger.warning("not ready: %s", ", ".join(failing), extra={"failing": ", ".join(failing)})
        response = _json({"status": "not ready", "failing": failing, "checks": results}, status=503)
        # Logged once, above, as a warning naming the checks: not again as a server error.
        response._has_been_logged = True  # type: ignore[attr-defined]
        return response
    return _json({"status": "ready", "checks": results})
