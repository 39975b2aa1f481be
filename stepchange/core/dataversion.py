"""A version number of the data figures are computed from, so that figures can be cached exactly.

Every table of the apps in ``TRACKED_APPS`` carries database triggers that give that table's row
in ``core_data_version`` a new number on every insert, update, delete (and, on PostgreSQL,
truncate): in the same transaction as the change, whoever makes it (a page, a command, a bulk
insert, raw SQL). The number is one never used before (from a sequence on PostgreSQL, a 64-bit
random number on SQLite), not a count: a change rolled back and a different one made after it
must not end at the same version.
``data_version()`` reads all the rows in one query; a figure cached under that version is served
only while no tracked table has changed since it was computed, so a cache can never show a figure
the data no longer gives.

Read the version before computing what is cached. A change committed in between makes the figure
newer than its version, never older: it is then served only to requests that read the same old
version, which ran alongside the change anyway.

On PostgreSQL the triggers run once per statement and change a table's version once per
transaction (a transaction-local setting remembers it), so a transaction of thousands of
single-row inserts stays linear; two transactions writing the same table wait for each other's
commit at that table's version row (writes here are few and short). On SQLite, which writes one
transaction at a time anyway, they run once per row. Nothing is cached or read from the cache
inside a transaction (``caching_allowed``): pages run outside one (ATOMIC_REQUESTS is off).

The table and the triggers are (re)made after every ``migrate`` (``install``, on post_migrate):
SQLite rebuilds a table to alter it and its triggers go with it, and a new model gets its triggers
without a migration of its own.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from django.apps import apps
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.db import connections

# The apps whose data the service's figures and lists are computed from.
TRACKED_APPS = ("core", "organisations", "contracts", "returns", "reports")
# Tables of those apps that no figure or list is computed from. The audit log above all: every
# change of every kind writes to it, so a version row for it would make every writing
# transaction on PostgreSQL wait for every other's commit, and tie unrelated writes together in
# the order they take the version rows (a deadlock waiting to happen).
UNTRACKED_TABLES = frozenset({"core_auditevent"})
TABLE = "core_data_version"
# A figure of an old version is never served again; this only frees its memory.
CACHE_SECONDS = 60 * 60
T = TypeVar("T")


def tracked_tables() -> list[str]:
    tables = {
        model._meta.db_table
        for label in TRACKED_APPS
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    }
    return sorted(tables - UNTRACKED_TABLES)


def install(using: str = "default", **_kwargs: Any) -> None:
    """Create the version table and the triggers of every tracked table, where missing.

    Table names come from the model registry, never from input.
    """
    connection = connections[using]
    vendor = connection.vendor
    tables = tracked_tables()
    existing = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {TABLE} (table_name varchar(100) PRIMARY KEY, number bigint NOT NULL)"
        )
        for table in tables:
            if table not in existing:
                continue
            if vendor == "postgresql":
                cursor.execute(
                    f"INSERT INTO {TABLE} (table_name, number) VALUES (%s, 0) ON CONFLICT DO NOTHING",  # noqa: S608
                    [table],
                )
            else:
                cursor.execute(f"INSERT OR IGNORE INTO {TABLE} (table_name, number) VALUES (%s, 0)", [table])  # noqa: S608
        if vendor == "postgresql":
            cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
            made = {name for (name,) in cursor.fetchall()}
            cursor.execute(f"CREATE SEQUENCE IF NOT EXISTS {TABLE}_seq")
            cursor.execute(
                f"""CREATE OR REPLACE FUNCTION core_data_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    -- Once per table and transaction: a transaction of thousands of single-row
                    -- statements would otherwise make one row version per statement.
                    IF current_setting('stepchange.changed_' || TG_TABLE_NAME, true) IS DISTINCT FROM '1' THEN
                        UPDATE {TABLE} SET number = nextval('{TABLE}_seq') WHERE table_name = TG_TABLE_NAME;
                        PERFORM set_config('stepchange.changed_' || TG_TABLE_NAME, '1', true);
                    END IF;
                    RETURN NULL;
                END $$"""  # noqa: S608 - a constant
            )
            for table in tables:
                if table in existing and _trigger(table) not in made:
                    cursor.execute(
                        f'CREATE TRIGGER "{_trigger(table)}" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE '
                        f'ON "{table}" FOR EACH STATEMENT EXECUTE FUNCTION core_data_version_bump()'
                    )
        elif vendor == "sqlite":
            for table in tables:
                if table not in existing:
                    continue
                for event in ("INSERT", "UPDATE", "DELETE"):
                    sql = (
                        f'CREATE TRIGGER IF NOT EXISTS "{_trigger(table)}_{event.lower()}" AFTER {event} ON "{table}" '  # noqa: S608
                        f"FOR EACH ROW BEGIN UPDATE {TABLE} SET number = random() WHERE table_name = '{table}'; END"
                    )
                    cursor.execute(sql)
        else:
            raise ImproperlyConfigured(
                f"stepchange runs on SQLite or PostgreSQL only, not {vendor}: no data version triggers"
            )
        _remove_untracked(cursor, vendor, existing)


def _remove_untracked(cursor: Any, vendor: str, existing: set[str]) -> None:
    """A table that has left the tracked set loses its triggers and its version row."""
    for table in sorted(UNTRACKED_TABLES & existing):
        if vendor == "postgresql":
            cursor.execute(f'DROP TRIGGER IF EXISTS "{_trigger(table)}" ON "{table}"')
        else:
            for event in ("insert", "update", "delete"):
                cursor.execute(f'DROP TRIGGER IF EXISTS "{_trigger(table)}_{event}"')
        cursor.execute(f"DELETE FROM {TABLE} WHERE table_name = %s", [table])  # noqa: S608 - a constant


def _trigger(table: str) -> str:
    return f"data_version_{table}"[:55]


def data_version(using: str = "default") -> tuple[int, ...]:
    """Every tracked table's version, in table order: the same only while nothing changed."""
    with connections[using].cursor() as cursor:
        cursor.execute(f"SELECT number FROM {TABLE} ORDER BY table_name")  # noqa: S608 - a constant
        return tuple(number for (number,) in cursor.fetchall())


def caching_allowed(using: str = "default") -> bool:
    """Only outside a transaction: inside one the data may not be what everyone else sees (its
    own changes not yet committed, and on PostgreSQL its later changes to a table it has already
    changed keep the version it gave that table)."""
    return not connections[using].in_atomic_block


def cached(key: tuple[Hashable, ...], compute: Callable[[], T]) -> T:
    """``compute()``, from the cache while no tracked table has changed since it was stored."""
    if not caching_allowed():
        return compute()
    full_key = "figures:" + hashlib.sha256(repr((*key, data_version())).encode()).hexdigest()
    found = cache.get(full_key)
    if found is None:
        found = compute()
        cache.set(full_key, found, timeout=CACHE_SECONDS)
    return found  # type: ignore[no-any-return]
