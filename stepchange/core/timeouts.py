"""How long a query may run, and wait for a lock, before the database gives up on it.

A process is either the web service (the WSGI and ASGI entry points, and ``manage.py runserver``,
mark it so before Django starts) or anything else: management commands, migrations, imports,
``load_demo``, the benchmarks. Every new database connection is given the timeouts of its
process's kind (``settings.DATABASE_TIMEOUTS``, in seconds, 0 for none):

- PostgreSQL: ``statement_timeout`` and ``lock_timeout``, set on the connection's session;
- SQLite has neither: it only waits for another writer's lock (``PRAGMA busy_timeout``), for the
  lock timeout, or for ``SQLITE_LONGEST_WAIT`` seconds when that is 0.

A web request whose query is cancelled by either timeout is answered by the "busy" page
(``stepchange/core/errors.py``); ``cancelled_by_timeout`` tells such an error from the others.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

WEB = "web"
COMMANDS = "commands"
SQLITE_LONGEST_WAIT = 60.0

# PostgreSQL's SQLSTATEs for a statement cancelled by lock_timeout and by statement_timeout.
LOCK_NOT_AVAILABLE = "55P03"
QUERY_CANCELED = "57014"

_kind = COMMANDS


def mark_web_process() -> None:
    """Called by the web entry points, before Django opens any connection."""
    global _kind
    _kind = WEB


def process_kind() -> str:
    return _kind


def timeouts_for(kind: str) -> tuple[float, float]:
    """(statement, lock) in seconds for a process of this kind; 0 means none."""
    from django.conf import settings

    values = settings.DATABASE_TIMEOUTS[kind]
    return float(values["statement"]), float(values["lock"])


def apply(connection: Any) -> None:
    """Give an open connection the timeouts of this process's kind."""
    statement, lock = timeouts_for(_kind)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT set_config('statement_timeout', %s, false), set_config('lock_timeout', %s, false)",
                [f"{round(statement * 1000)}ms", f"{round(lock * 1000)}ms"],
            )
    elif connection.vendor == "sqlite":
        wait = lock or SQLITE_LONGEST_WAIT
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA busy_timeout = {round(wait * 1000)}")


def on_connection_created(sender: Any, connection: Any, **kwargs: Any) -> None:
    apply(connection)


@contextmanager
def acting_as(kind: str) -> Iterator[None]:
    """Treat this process as ``kind`` for a while (tests), the open connections included."""
    from django.db import connections

    global _kind
    before = _kind
    _kind = kind
    try:
        for connection in connections.all(initialized_only=True):
            if connection.connection is not None:
                apply(connection)
        yield
    finally:
        _kind = before
        for connection in connections.all(initialized_only=True):
            if connection.connection is not None:
                apply(connection)


def cancelled_by_timeout(exc: BaseException) -> bool:
    """Whether a database error is a query given up on for waiting too long, nothing else."""
    from django.db import OperationalError

    if not isinstance(exc, OperationalError):
        return False
    cause = exc.__cause__
    if getattr(cause, "sqlstate", None) in (LOCK_NOT_AVAILABLE, QUERY_CANCELED):
        return True
    # SQLite's word for a lock it waited busy_timeout for in vain (or could not wait for).
    return "database is locked" in str(exc)
