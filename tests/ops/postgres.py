"""A PostgreSQL database of a test's own, on the server the tests use, dropped afterwards."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.conf import settings

DEFAULT = settings.DATABASES["default"]
ON_POSTGRESQL = DEFAULT["ENGINE"] == "django.db.backends.postgresql"
only_on_postgresql = pytest.mark.skipif(not ON_POSTGRESQL, reason="needs PostgreSQL (the CI runs the suite on it too)")


def server() -> dict[str, Any]:
    return {
        "host": DEFAULT["HOST"] or "localhost",
        "port": int(DEFAULT["PORT"] or 5432),
        "user": DEFAULT["USER"],
        "password": DEFAULT["PASSWORD"] or None,
    }


def admin(sql: str) -> None:
    """Run one statement (CREATE or DROP DATABASE) on the server's maintenance database."""
    import psycopg

    with psycopg.connect(dbname="postgres", autocommit=True, **server()) as connection:
        connection.execute(sql)


def url(name: str) -> str:
    s = server()
    password = f":{s['password']}" if s["password"] else ""
    return f"postgres://{s['user']}{password}@{s['host']}:{s['port']}/{name}"


def tool_env() -> dict[str, str]:
    """The environment for pg_dump and pg_restore to reach the server."""
    s = server()
    env = {**os.environ, "PGHOST": s["host"], "PGPORT": str(s["port"]), "PGUSER": s["user"]}
    if s["password"]:
        env["PGPASSWORD"] = s["password"]
    return env


@contextmanager
def own_databases(*suffixes: str) -> Iterator[tuple[str, ...]]:
    """Names of databases of this process's own (named after the configured database and the
    process, so parallel runs differ), dropped before and after, whatever happened."""
    names = tuple(f"{DEFAULT['NAME']}_{os.getpid()}_{suffix}" for suffix in suffixes)
    try:
        for name in names:
            admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        yield names
    finally:
        for name in names:
            admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
