"""A version of the data figures are computed from, so that figures can be cached exactly.

Every table of the apps in ``TRACKED_APPS`` carries database triggers that record every insert,
update, delete (and, on PostgreSQL, truncate) in the same transaction as the change, whoever makes
it (a page, a command, a bulk insert, raw SQL). ``data_version()`` reads the record in one query;
a figure cached under that version is served only while no tracked table has changed since it was
computed, so a cache can never show a figure the data no longer gives. Two things are cached so:
the home page's figures (reports/dashboard.py) and the contract list's content
(templates/contracts/list.html); each names the benchmark goal it meets.

**One writer never waits for another (PostgreSQL).** The triggers only ever *insert*: a
transaction's first write to a tracked table adds one row (table, number from a sequence) to the
change log ``core_data_change``, and inserts of different transactions never wait for each other.
(An earlier design updated one version row per table; every write to that table then queued
behind the longest open transaction that had written it, a long import above all.) The version is
read, in one statement and so one snapshot, as (the prunes' number, how many changes the log
holds, the last change's number). Between two prunes the log only grows, and a row becomes
visible when its transaction commits, whatever order the numbers were drawn in: so the count
differs whenever a change has committed in between. (The highest number alone would not do: a
transaction that drew its number first may commit last, under a version already read.) The last
change's number makes a change seen from inside its own transaction and rolled back differ from
one made after it.

The log is pruned without waiting: when a change's number is a multiple of ``PRUNE_EVERY``, its
transaction takes the row of ``core_data_version`` that numbers the prunes with ``FOR UPDATE
SKIP LOCKED`` (if another transaction is pruning, it skips), gives it a new number and deletes the
rows it sees below its own. Readers never take locks; the prunes' number changes with every prune,
so a prune's shorter count can never meet a version read before it.

On SQLite, which writes one transaction at a time anyway, each tracked table has a row in
``core_data_version`` that every changed row gives a new random 64-bit number, and the version is
all those numbers.

Read the version before computing what is cached. A change committed in between makes the figure
newer than its version, never older: it is then served only to requests that read the same old
version, which ran alongside the change anyway.

A transaction logs a table once (a transaction-local setting remembers it), so a transaction of
thousands of single-row inserts stays linear. Nothing is cached or read from the cache inside a
transaction (``caching_allowed``): its own changes are not yet everyone's. Pages run outside one
(ATOMIC_REQUESTS is off).

The tables, functions and triggers are (re)made after every ``migrate`` (``install``, on
post_migrate): SQLite rebuilds a table to alter it and its triggers go with it, and a new model gets
its triggers without a migration of its own.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from django.apps import apps
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.db import connections

from stepchange.core.replica import primary_reads

# The apps whose data the service's figures and lists are computed from.
TRACKED_APPS = ("core", "organisations", "contracts", "returns", "reports")
# Tables of those apps that no figure or list is computed from. The audit log above all: every
# change of every kind writes to it, so tracking it would log a second change for every change
# (and on SQLite update its version row at every event) for no figure at all.
UNTRACKED_TABLES = frozenset({"core_auditevent"})
TABLE = "core_data_version"
# PostgreSQL: the change log, and the row of TABLE that numbers its prunes.
LOG = "core_data_change"
PRUNED = "(pruned)"
# The log is pruned when a change's number is a multiple of this: it holds about that many rows.
PRUNE_EVERY = 1000
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
    """Create the version tables and the triggers of every tracked table, where missing.

    Table names come from the model registry, never from input.
    """
    connection = connections[using]
    vendor = connection.vendor
    if vendor not in ("postgresql", "sqlite"):
        raise ImproperlyConfigured(
            f"stepchange runs on SQLite or PostgreSQL only, not {vendor}: no data version triggers"
        )
    existing = set(connection.introspection.table_names())
    tables = [table for table in tracked_tables() if table in existing]
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {TABLE} (table_name varchar(100) PRIMARY KEY, number bigint NOT NULL)"
        )
        if vendor == "postgresql":
            _install_postgresql(cursor, tables)
        else:
            _install_sqlite(cursor, tables)
        _remove_untracked(cursor, vendor, existing)


def _install_postgresql(cursor: Any, tables: list[str]) -> None:
    cursor.execute(f"CREATE SEQUENCE IF NOT EXISTS {TABLE}_seq")
    cursor.execute(f"CREATE TABLE IF NOT EXISTS {LOG} (id bigserial PRIMARY KEY, table_name varchar(100) NOT NULL)")
    # One row, the prunes' number; a database made by an earlier version had a row per table.
    cursor.execute(f"DELETE FROM {TABLE} WHERE table_name <> %s", [PRUNED])  # noqa: S608 - a constant
    cursor.execute(
        f"INSERT INTO {TABLE} (table_name, number) VALUES (%s, nextval('{TABLE}_seq')) ON CONFLICT DO NOTHING",  # noqa: S608
        [PRUNED],
    )
    cursor.execute(
        f"""CREATE OR REPLACE FUNCTION core_data_change_prune(upto bigint) RETURNS boolean LANGUAGE plpgsql AS $$
        BEGIN
            -- Whoever holds the prunes' row is pruning already: skip, never wait.
            PERFORM 1 FROM {TABLE} WHERE table_name = '{PRUNED}' FOR UPDATE SKIP LOCKED;
            IF NOT FOUND THEN
                RETURN false;
            END IF;
            UPDATE {TABLE} SET number = nextval('{TABLE}_seq') WHERE table_name = '{PRUNED}';
            DELETE FROM {LOG} WHERE id IN (SELECT id FROM {LOG} WHERE id < upto FOR UPDATE SKIP LOCKED);
            RETURN true;
        END $$"""  # noqa: S608 - constants
    )
    cursor.execute(
        f"""CREATE OR REPLACE FUNCTION core_data_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE
            change bigint;
        BEGIN
            -- Once per table and transaction: a transaction of thousands of single-row
            -- statements would otherwise log one change per statement.
            IF current_setting('stepchange.changed_' || TG_TABLE_NAME, true) IS DISTINCT FROM '1' THEN
                INSERT INTO {LOG} (table_name) VALUES (TG_TABLE_NAME) RETURNING id INTO change;
                PERFORM set_config('stepchange.changed_' || TG_TABLE_NAME, '1', true);
                IF change % {PRUNE_EVERY} = 0 THEN
                    PERFORM core_data_change_prune(change);
                END IF;
            END IF;
            RETURN NULL;
        END $$"""  # noqa: S608 - constants
    )
    cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
    made = {name for (name,) in cursor.fetchall()}
    for table in tables:
        if _trigger(table) not in made:
            cursor.execute(
                f'CREATE TRIGGER "{_trigger(table)}" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE '
                f'ON "{table}" FOR EACH STATEMENT EXECUTE FUNCTION core_data_version_bump()'
            )


def _install_sqlite(cursor: Any, tables: list[str]) -> None:
    for table in tables:
        cursor.execute(f"INSERT OR IGNORE INTO {TABLE} (table_name, number) VALUES (%s, 0)", [table])  # noqa: S608
        for event in ("INSERT", "UPDATE", "DELETE"):
            sql = (
                f'CREATE TRIGGER IF NOT EXISTS "{_trigger(table)}_{event.lower()}" AFTER {event} ON "{table}" '  # noqa: S608
                f"FOR EACH ROW BEGIN UPDATE {TABLE} SET number = random() WHERE table_name = '{table}'; END"
            )
            cursor.execute(sql)


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
    """The same numbers only while no tracked table has changed, in one query (one snapshot).

    PostgreSQL: the prunes' number, the changes logged since and the last change's number.
    SQLite: every tracked table's number, in table order."""
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"SELECT v.number, c.n, c.last FROM {TABLE} v, "  # noqa: S608 - constants
                f"(SELECT count(*) AS n, coalesce(max(id), 0) AS last FROM {LOG}) c WHERE v.table_name = %s",
                [PRUNED],
            )
            row = cursor.fetchone()
            return tuple(row) if row else ()
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
        with primary_reads():
            return compute()
    full_key = "figures:" + hashlib.sha256(repr((*key, data_version())).encode()).hexdigest()
    found = cache.get(full_key)
    if found is None:
        # From the primary: a replica a moment behind must not leave an old figure under this version.
        with primary_reads():
            found = compute()
        cache.set(full_key, found, timeout=CACHE_SECONDS)
    return found  # type: ignore[no-any-return]
