"""The data version cached figures are keyed by (stepchange/core/dataversion.py).

A cached figure may be served only while the data it was computed from is unchanged, however it
was changed: through a service, a queryset update or delete, a bulk insert or raw SQL.

Pages run outside a transaction and so cache; a test normally runs inside one, where nothing is
cached. The tests of the cache itself are transactional, as pages are; the reference data
(pathways, financial years) that emptying the tables after each removes are put back by the
teardown hook in tests/conftest.py.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.db import connection, transaction

from stepchange.contracts.models import Contract
from stepchange.core.dataversion import LOG, PRUNE_EVERY, cached, data_version, install, tracked_tables
from stepchange.core.models import Region
from stepchange.organisations.models import Organisation
from tests.factories import ContractFactory, ProbationReturnFactory, hand_worked_region
from tests.personas import Cast

pytestmark = pytest.mark.django_db
live = pytest.mark.django_db(transaction=True)


def counting(computed: list[int]) -> Callable[[], int]:
    """A computation that notes each time it runs and gives how many times it has."""

    def compute() -> int:
        computed.append(1)
        return len(computed)

    return compute


@pytest.fixture
def region(cast: Cast):
    """The hand-worked region of the reports tests (tests/reports/test_probation_share.py)."""
    return hand_worked_region(cast)


def test_every_tracked_table_has_its_triggers():
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT tbl_name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'data_version%'")
            found = [name for (name,) in cursor.fetchall()]
            assert all(found.count(table) == 3 for table in tracked_tables())  # insert, update, delete
        else:
            cursor.execute("SELECT tgrelid::regclass::text FROM pg_trigger WHERE tgname LIKE 'data_version%'")
            found = [name.strip('"') for (name,) in cursor.fetchall()]
            assert all(found.count(table) == 1 for table in tracked_tables())  # one per statement
    assert {"contracts_contract", "contracts_maingrant", "returns_probationreturnline"} <= set(tracked_tables())


def test_the_audit_log_is_not_tracked():
    """Every change writes an audit event and no figure is computed from the log.

    A database that had the log's triggers or version row (made by an earlier version) loses them
    at install."""
    assert "core_auditevent" not in tracked_tables()
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO core_data_version (table_name, number) VALUES ('core_auditevent', 0)")
        if connection.vendor == "sqlite":
            cursor.execute(
                'CREATE TRIGGER "data_version_core_auditevent_insert" AFTER INSERT ON core_auditevent '
                "FOR EACH ROW BEGIN UPDATE core_data_version SET number = random() "
                "WHERE table_name = 'core_auditevent'; END"
            )
        else:
            cursor.execute(
                'CREATE TRIGGER "data_version_core_auditevent" AFTER INSERT ON core_auditevent '
                "FOR EACH STATEMENT EXECUTE FUNCTION core_data_version_bump()"
            )
    install()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'core_auditevent'")
        else:
            cursor.execute("SELECT tgname FROM pg_trigger WHERE tgrelid = 'core_auditevent'::regclass")
        assert [name for (name,) in cursor.fetchall() if name.startswith("data_version")] == []
        cursor.execute("SELECT COUNT(*) FROM core_data_version WHERE table_name = 'core_auditevent'")
        assert cursor.fetchone()[0] == 0


@live
def test_a_change_by_any_route_gives_a_new_version(transactional_db, cast):
    seen = [data_version()]
    contract = ContractFactory.create(commissioner=cast.sypa)
    seen.append(data_version())
    Contract.objects.filter(pk=contract.pk).update(annual_value=Decimal("1.00"))
    seen.append(data_version())
    with connection.cursor() as cursor:
        cursor.execute("UPDATE core_region SET name = 'Yorkshire' WHERE code = 'YH'")
    seen.append(data_version())
    Region.objects.bulk_create([Region(code="XX", name="Nowhere")])
    seen.append(data_version())
    Contract.objects.filter(pk=contract.pk).delete()
    seen.append(data_version())
    assert len(set(seen)) == len(seen)


@live
def test_a_change_rolled_back_and_a_later_one_never_share_a_version(transactional_db, cast):
    before = data_version()
    with pytest.raises(RuntimeError), transaction.atomic():
        Region.objects.bulk_create([Region(code="XX", name="Nowhere")])
        inside = data_version()
        raise RuntimeError("rolled back")
    assert data_version() == before
    Region.objects.bulk_create([Region(code="XY", name="Elsewhere")])
    assert data_version() not in (before, inside)


@live
def test_cached_computes_again_only_after_a_change(transactional_db, cast):
    computed: list[int] = []

    def compute() -> int:
        computed.append(len(computed) + 1)
        return computed[-1]

    key = ("test", "cached")
    assert cached(key, compute) == 1
    assert cached(key, compute) == 1
    ContractFactory.create(commissioner=cast.sypa)
    assert cached(key, compute) == 2
    assert computed == [1, 2]


@live
def test_the_dashboard_shows_changes_made_behind_the_services_back(transactional_db, region, cast, client):
    """The region of test_probation_share.py at 1 October 2006: SYPA £50,000 of £2,000,000 = 2.5%,
    WYPA £60,000 of £4,000,000 = 1.5%."""
    ProbationReturnFactory.create(commissioner=cast.sypa, as_at=datetime.date(2006, 10, 1))

    def shares() -> str:
        return str(client.get("/").content.decode())

    # (50,000 + 60,000) / 6,000,000 = 1.83%; mean (2.5 + 1.5) / 2 = 2.00%
    html = shares()
    assert 'id="region-weighted-share">1.83%<' in html and 'id="region-mean-share">2.00%<' in html
    assert shares() == html
    # WYPA's contract to £120,000 by a queryset update (no model signal is sent):
    # (50,000 + 120,000) / 6,000,000 = 2.83%; mean (2.5 + 3.0) / 2 = 2.75%
    Contract.objects.filter(commissioner=cast.wypa).update(annual_value=Decimal("120000"))
    html = shares()
    assert 'id="region-weighted-share">2.83%<' in html and 'id="region-mean-share">2.75%<' in html
    # ... and deleted: 50,000 / 6,000,000 = 0.83%; mean (2.5 + 0) / 2 = 1.25%
    Contract.objects.filter(commissioner=cast.wypa).delete()
    html = shares()
    assert 'id="region-weighted-share">0.83%<' in html and 'id="region-mean-share">1.25%<' in html


def test_nothing_is_cached_inside_a_transaction(cast):
    """Its own changes are not yet everyone's, and on PostgreSQL a table changes its version once
    per transaction."""
    computed: list[int] = []
    key = ("test", "in a transaction")
    assert cached(key, counting(computed)) == 1
    assert cached(key, counting(computed)) == 2


@live
def test_the_change_log_is_pruned_and_a_prune_gives_a_new_version(transactional_db, cast):
    """PostgreSQL logs changes; the transaction whose change's number is a multiple of PRUNE_EVERY
    deletes the rows before it. SQLite keeps one number per table, has no log to prune, and gives
    the changed table a new number at each change."""
    computed: list[int] = []
    key = ("test", "pruned")
    ContractFactory.create(commissioner=cast.sypa)
    assert cached(key, counting(computed)) == 1
    before = data_version()
    if connection.vendor != "postgresql":
        assert LOG not in connection.introspection.table_names()
        ContractFactory.create(commissioner=cast.sypa)
        after = data_version()
        changed = [table for table, old, new in zip(tracked_tables(), before, after, strict=True) if old != new]
        # The contract and the new organisation the factory made its prime; no other table.
        assert set(changed) == {Contract._meta.db_table, Organisation._meta.db_table}
        assert cached(key, counting(computed)) == 2
        return
    from tests.faults.test_one_writer_does_not_wait import next_change_is_a_prune

    next_change_is_a_prune()
    ContractFactory.create(commissioner=cast.sypa)
    after = data_version()
    assert after[0] != before[0]  # the prunes' number
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT min(id) FROM {LOG}")  # noqa: S608 - a constant
        assert cursor.fetchone()[0] % PRUNE_EVERY == 0  # nothing older than the pruning change is left
    assert cached(key, counting(computed)) == 2
