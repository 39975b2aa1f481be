"""Where reads go: the reports to the read replica, everything else to the primary.

The ``replica`` alias (settings: ``DATABASE_REPLICA_URL``) is a PostgreSQL streaming replica of
the primary. Reports are the heaviest reads and need no row written a moment ago, so a registered
report's selector runs inside ``report_reads()`` and the router sends its reads there when
``REPORTS_READ_FROM_REPLICA`` is on. Everything else reads from, and every write goes to, the
primary (``default``):

- writes never go to the replica, whoever asks (a replica refuses them anyway);
- a read inside a transaction stays on the primary, so that a service reads what it has just
  written (and a test's rolled-back data is seen);
- figures kept in the cache under a data version (``core.dataversion.cached``) are read from the
  primary (``primary_reads()``), so a replica a moment behind never leaves a stale figure cached
  under the new version.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"

# "": ordinary reads; "reports": a report's; "primary": pinned to the primary, a report's included.
_reads: contextvars.ContextVar[str] = contextvars.ContextVar("reads", default="")


@contextmanager
def report_reads() -> Iterator[None]:
    """Reads made inside go to the replica (when one is in use and no transaction is open), unless
    an enclosing ``primary_reads()`` keeps them on the primary."""
    token = _reads.set(_reads.get() or "reports")
    try:
        yield
    finally:
        _reads.reset(token)


@contextmanager
def primary_reads() -> Iterator[None]:
    """Reads made inside go to the primary, a report's included."""
    token = _reads.set("primary")
    try:
        yield
    finally:
        _reads.reset(token)


def read_alias() -> str:
    """The alias a read made now goes to."""
    if (
        _reads.get() == "reports"
        and getattr(settings, "REPORTS_READ_FROM_REPLICA", False)
        and REPLICA in settings.DATABASES
        and not connections[DEFAULT_DB_ALIAS].in_atomic_block
    ):
        return REPLICA
    return DEFAULT_DB_ALIAS


class ReplicaRouter:
    """Django's database router for the two aliases (settings.DATABASE_ROUTERS)."""

    def db_for_read(self, model: type[Any], **hints: Any) -> str:
        return read_alias()

    def db_for_write(self, model: type[Any], **hints: Any) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        # Both aliases hold the same rows.
        return True

    def allow_migrate(self, db: str, app_label: str, model_name: str | None = None, **hints: Any) -> bool | None:
        # The replica follows the primary's schema by replication; it is never migrated itself.
        return False if db == REPLICA else None
